import type { LoggerService } from '@nestjs/common';
import { AxiosHeaders, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { ExotelAuthError } from '../errors/exotel-auth.error.js';
import type { TokenService } from '../token/token.service.js';
import { attemptOf, type AuthAttempt, setAttempt } from './auth-attempt.js';
import { parseEnvelopeBody, requestIdOf } from './exotel-envelope.js';
import { isReplayableBody } from './replayable-body.js';
import type { UnauthorizedBreaker } from './unauthorized-breaker.js';

/**
 * Response side of the auth interceptor: the downstream 401 policy of design.md. A 401 for a token we
 * sent renews that token generation (a newer one is reused without minting; otherwise one mint is
 * shared by all waiters) and retries the request once. 403 and every other status pass untouched.
 */
export class UnauthorizedRecovery {
  constructor(
    private readonly tokens: TokenService,
    private readonly breaker: UnauthorizedBreaker,
    private readonly authScheme: 'raw' | 'Bearer',
    private readonly logger: LoggerService,
  ) {}

  /**
   * Looks at a reply (accepted or rejected by `validateStatus`). Resolves to the retry's response when
   * the request was retried, to `undefined` when the original outcome stands; rejects with
   * `ExotelAuthError` while the breaker is open.
   */
  async afterReply(response: AxiosResponse, target: AxiosInstance): Promise<AxiosResponse | undefined> {
    const config = response.config;
    const attempt = attemptOf(config);
    if (!attempt) return undefined;
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
    return target.request(this.retryConfig(config, attempt, renewed.token, renewed.generation));
  }

  private retryConfig(
    config: InternalAxiosRequestConfig,
    attempt: AuthAttempt,
    token: string,
    generation: number,
  ): InternalAxiosRequestConfig {
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', this.authScheme === 'Bearer' ? `Bearer ${token}` : token);
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
      { httpStatus: 401, credential: attempt.label, requestId: requestIdOf(envelope) },
    );
  }

  private warnOpened(attempt: AuthAttempt): void {
    this.logger.warn(
      `Downstream calls refused several freshly minted ${attempt.label} tokens in a row; ` +
        'no more tokens will be minted after 401s during the cool-down',
    );
  }
}
