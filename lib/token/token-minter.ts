import axios, { type AxiosInstance } from 'axios';
import { ExotelProtocolError } from '../errors/exotel.error.js';
import type { CredentialConfig, ResolvedExotelOptions } from '../options/resolved-options.js';
import { ExotelTelemetry } from '../telemetry/exotel-telemetry.js';
import type { MintTrace } from '../telemetry/mint-trace.js';
import { requestIdOf, tokenProblem } from '../wire/reply.js';
import { send } from '../wire/send.js';

/** A freshly minted token and where it came from. */
export interface MintResult {
  token: string;
  requestId?: string;
}

const OPERATION = 'POST /token';

/** Largest `/token` reply accepted (after decompression): an envelope with a token of at most 4096 characters is far smaller. */
export const TOKEN_REPLY_MAX_BYTES = 64 * 1024;

/**
 * Calls `POST {baseUrl}/token` and turns every outcome into either a token or a typed error. Knows
 * nothing about caching or timing. It has an axios instance of its own, with no auth interceptor
 * and no redirects: a mint never asks for a token, and the secret never follows a redirect. Each mint
 * has a deadline of `requestTimeoutMs` for the whole exchange and a reply limit of 64 KiB. Every
 * mint is counted and traced (`exotel.token.mint`) when OpenTelemetry is on.
 */
export class TokenMinter {
  private readonly http: AxiosInstance;

  constructor(
    private readonly options: ResolvedExotelOptions,
    /** Only tests pass an instance; the module never does. */
    http?: AxiosInstance,
    private readonly telemetry: ExotelTelemetry = ExotelTelemetry.none,
  ) {
    this.http =
      http ??
      axios.create({
        timeout: options.requestTimeoutMs,
        maxRedirects: 0,
        fetchOptions: { redirect: 'manual' },
        maxContentLength: TOKEN_REPLY_MAX_BYTES,
      });
  }

  /** One `POST /token`; `trace` names the callers waiting on it, for its span. */
  async mint(credential: CredentialConfig, signal?: AbortSignal, trace?: MintTrace): Promise<MintResult> {
    const { token, requestId } = await this.telemetry.traceMint(credential, trace, () =>
      this.exchange(credential, signal),
    );
    return { token, requestId };
  }

  private async exchange(
    credential: CredentialConfig,
    signal?: AbortSignal,
  ): Promise<MintResult & { status: number }> {
    const secret = credential.secret.reveal();
    const { envelope, status, requestId } = await send(this.http, {
      method: 'POST',
      url: `${this.options.baseUrl}/token`,
      operation: OPERATION,
      phase: 'mint',
      credential: credential.label,
      // Built by hand so the body is exactly {"Id","Secret","Entity"}, in that order.
      body: JSON.stringify({ Id: credential.id, Secret: secret, Entity: credential.entity }),
      secrets: [secret],
      signal,
      timeoutMs: this.options.requestTimeoutMs,
      maxResponseBytes: TOKEN_REPLY_MAX_BYTES,
      limitName: 'the limit for a token reply',
    });
    const token = envelope.Data;
    const problem = tokenProblem(token);
    if (problem !== undefined) {
      throw new ExotelProtocolError(`${OPERATION} (${credential.label}) answered ${problem}`, {
        requestId,
        httpStatus: status,
        credential: credential.label,
        operation: OPERATION,
        phase: 'mint',
      });
    }
    // A RequestId that echoes the new token would carry it into errors, logs and spans.
    return { token: token as string, requestId: requestIdOf(envelope, [secret, token as string]), status };
  }
}
