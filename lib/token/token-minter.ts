import { Inject, Injectable } from '@nestjs/common';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { EXOTEL_WEBRTC_AXIOS, EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import { ExotelProtocolError } from '../errors/exotel-protocol.error.js';
import '../http/exotel-request-options.js';
import { requestIdOf, tokenProblem } from '../http/exotel-envelope.js';
import { checkReply } from '../http/reply-error.js';
import { transportError } from '../http/transport-error.js';
import type { CredentialConfig, ResolvedExotelOptions } from '../options/resolved-options.js';

/** A freshly minted token and where it came from. */
export interface MintResult {
  token: string;
  requestId?: string;
}

/**
 * Calls `POST {baseUrl}/token` on the module's own axios instance and turns every outcome into
 * either a token or a typed error. Knows nothing about caching or timing.
 */
@Injectable()
export class TokenMinter {
  constructor(
    @Inject(EXOTEL_WEBRTC_AXIOS) private readonly http: AxiosInstance,
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
  ) {}

  async mint(credential: CredentialConfig, signal?: AbortSignal): Promise<MintResult> {
    const what = 'POST /token';
    const secret = credential.secret.reveal();
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.request({
        method: 'POST',
        url: `${this.options.baseUrl}/token`,
        // Built by hand so the body is exactly the documented {"Id","Secret","Entity"}, in that order.
        data: JSON.stringify({ Id: credential.id, Secret: secret, Entity: credential.entity }),
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        timeout: this.options.requestTimeoutMs,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        signal,
        exotel: { skipAuth: true },
      });
    } catch (error) {
      throw transportError(error, what, credential.label);
    }
    const envelope = checkReply(
      {
        status: response.status,
        contentType: String(response.headers['content-type'] ?? ''),
        retryAfter: response.headers['retry-after'] as string | undefined,
        body: response.data,
      },
      { kind: 'token', what, credential: credential.label, secrets: [secret] },
    );
    const requestId = requestIdOf(envelope, [secret]);
    const token = envelope.Data;
    const problem = tokenProblem(token);
    if (problem !== undefined) {
      throw new ExotelProtocolError(`${what} (${credential.label}) answered ${problem}`, {
        requestId,
        httpStatus: response.status,
        credential: credential.label,
      });
    }
    return { token: token as string, requestId };
  }
}
