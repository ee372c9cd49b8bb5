import type { LoggerService } from '@nestjs/common';
import { AxiosHeaders, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { ExotelAuthError } from '../errors/exotel.error.js';
import type { TokenService } from '../token/token.service.js';
import type { ExotelAuthScheme } from '../interfaces/exotel-webrtc-options.interface.js';
import type { ExotelTelemetry } from '../telemetry/exotel-telemetry.js';
import { parseEnvelopeBody, requestIdOf } from '../wire/reply.js';
import { authorizationValue, sentTokens } from '../wire/send.js';
import { attemptOf, type AuthAttempt, setAttempt } from './request-authorizer.js';

/**
 * Response side of the auth interceptor: the downstream 401 policy. A 401 for a token we
 * sent renews that token generation (a newer one is reused without minting; otherwise one mint is
 * shared by all waiters) and retries the request once. 403 and every other status pass untouched.
 */
export class UnauthorizedRecovery {
  constructor(
    private readonly tokens: TokenService,
    private readonly breaker: UnauthorizedBreaker,
    private readonly authScheme: ExotelAuthScheme,
    private readonly logger: LoggerService,
    private readonly telemetry: ExotelTelemetry,
  ) {}

  /**
   * Looks at a reply (accepted or rejected by `validateStatus`). Resolves to the retry's response when
   * the request was retried, to `undefined` when the original outcome stands; rejects with
   * `ExotelAuthError` while the breaker is open.
   */
  async afterReply(response: AxiosResponse, target: AxiosInstance): Promise<AxiosResponse | undefined> {
    const config = response.config;
    const attempt = attemptOf(config);
    // Not our token's reply: a request we did not authorise, or one a host instance's redirect took
    // out of scope (the token was stripped there). Such a reply renews, retries and counts nothing.
    if (!attempt || attempt.route.leftScope) return undefined;
    if (response.status !== 401) {
      if (attempt.retried) this.breaker.recordRenewalWorked(attempt.credential);
      return undefined;
    }
    if (attempt.retried) {
      if (this.breaker.recordRefusedFresh(attempt.credential, attempt.generation)) this.warnOpened(attempt);
      if (this.breaker.isOpen(attempt.credential)) throw this.breakerError(attempt, response);
      return undefined;
    }
    // A late 401 for an older generation needs no mint: the newer token is retried even while the breaker is open.
    const newer = (this.tokens.currentGeneration(attempt.entity, attempt.app) ?? -1) > attempt.generation;
    if (!newer && this.breaker.isOpen(attempt.credential)) throw this.breakerError(attempt, response);
    const renewed = await this.tokens.renewAfterUnauthorized(attempt.entity, attempt.app, attempt.generation);
    // The renewed token still helps the next requests; this one's body cannot be sent again.
    if (!isReplayableBody(config.data)) return undefined;
    this.telemetry.countUnauthorizedRetry(attempt.entity, attempt.app);
    return target.request(this.retryConfig(config, attempt, renewed.token, renewed.generation));
  }

  private retryConfig(
    config: InternalAxiosRequestConfig,
    attempt: AuthAttempt,
    token: string,
    generation: number,
  ): InternalAxiosRequestConfig {
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', authorizationValue(this.authScheme, token));
    const retry: InternalAxiosRequestConfig = { ...config, headers };
    setAttempt(retry, attempt.renewed(generation));
    return retry;
  }

  private breakerError(attempt: AuthAttempt, response: AxiosResponse): ExotelAuthError {
    const body = typeof response.data === 'string' ? response.data : JSON.stringify(response.data ?? null);
    const { envelope } = parseEnvelopeBody({ status: response.status, body });
    return new ExotelAuthError(
      `Exotel keeps refusing freshly minted ${attempt.label} tokens (HTTP 401); minting after 401s is paused ` +
        'for the cool-down. The credential mints fine, so check that it may call this endpoint (entity, app, account).',
      {
        httpStatus: 401,
        credential: attempt.label,
        requestId: requestIdOf(envelope, sentTokens(response.config?.headers?.Authorization)),
      },
    );
  }

  private warnOpened(attempt: AuthAttempt): void {
    this.telemetry.countBreakerOpening(attempt.entity, attempt.app);
    this.logger.warn(
      `Downstream calls refused several freshly minted ${attempt.label} tokens in a row; ` +
        'no more tokens will be minted after 401s during the cool-down',
    );
  }
}

/**
 * False for request bodies that are consumed by sending them (Node streams, web streams, async
 * iterables): a 401 retry must not send such a body again, half-read or empty.
 */
export function isReplayableBody(data: unknown): boolean {
  if (data === undefined || data === null || typeof data !== 'object') return true;
  const body = data as Record<string | symbol, unknown>;
  if (typeof body.pipe === 'function' || typeof body.getReader === 'function') return false;
  return typeof body[Symbol.asyncIterator] !== 'function';
}

/** Settings of {@link UnauthorizedBreaker}. */
export interface BreakerSettings {
  /** Fresh tokens refused in a row (per credential) that open the breaker. */
  readonly threshold: number;
  /** How long an open breaker refuses to mint. */
  readonly cooldownMs: number;
}

interface CredentialRecord {
  /** Distinct fresh generations refused in a row. */
  refused: number;
  /** Highest generation already counted, so 1,000 requests failing on one token count once. */
  lastGeneration: number;
  openUntil: number;
}

/**
 * Stops the 401 -> mint -> 401 loop. A token obtained because of a 401 that is itself refused says the
 * problem is not expiry (wrong entity, revoked app, missing permission), so after `threshold` such
 * tokens in a row per credential no more mints are made for `cooldownMs`. Only a retry that succeeds
 * with a renewed token resets the count: ordinary successes on other endpoints prove nothing about the
 * one that keeps failing. After the cool-down one more refused fresh token reopens it (half-open).
 */
export class UnauthorizedBreaker {
  private readonly records = new Map<string, CredentialRecord>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while minting after a 401 is suspended for the credential. */
  isOpen(credential: string): boolean {
    const record = this.records.get(credential);
    return record !== undefined && this.now() < record.openUntil;
  }

  /** A token renewed after a 401 was refused too. Returns true when this opened the breaker. */
  recordRefusedFresh(credential: string, generation: number): boolean {
    const record = this.records.get(credential) ?? { refused: 0, lastGeneration: -1, openUntil: 0 };
    this.records.set(credential, record);
    if (generation <= record.lastGeneration) return false;
    record.lastGeneration = generation;
    record.refused += 1;
    if (record.refused < this.settings.threshold || this.isOpen(credential)) return false;
    record.openUntil = this.now() + this.settings.cooldownMs;
    return true;
  }

  /** A retry with a renewed token was accepted: renewing after a 401 works for this credential. */
  recordRenewalWorked(credential: string): void {
    this.records.delete(credential);
  }
}
