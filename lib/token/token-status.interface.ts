import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/**
 * Life-cycle state of one credential's token.
 * - `pending`: never minted yet (lazy start)
 * - `fresh`: a valid token, no refresh failure
 * - `refreshing`: a mint is in flight
 * - `retrying`: the last refresh failed but the current token is still valid
 * - `expired`: the token expired and no attempt has failed since
 * - `failed`: no valid token and the last attempt failed
 * @publicApi
 */
export type TokenState = 'pending' | 'fresh' | 'refreshing' | 'retrying' | 'expired' | 'failed';

/** Every {@link TokenState}, e.g. for a gauge that reports the states no credential is in as 0. */
export const TOKEN_STATES: readonly TokenState[] = [
  'pending',
  'fresh',
  'refreshing',
  'retrying',
  'expired',
  'failed',
];

/**
 * One row of `TokenService.status()`. Holds no token and no secret: safe to log or serve.
 * @publicApi
 */
export interface TokenStatus {
  /** `customer`, `app:default`, `app:<name>`. */
  credential: string;
  entity: ExotelEntity;
  app?: string;
  /** The Id with its middle masked. */
  id: string;
  state: TokenState;
  /** SHA-256 prefix of the current token, to tell tokens apart in logs. */
  fingerprint?: string;
  /** Increases with every new token of this credential. */
  generation: number;
  issuedAt?: number;
  expiresAt?: number;
  refreshAt?: number;
  nextAttemptAt?: number;
  consecutiveFailures: number;
  lastError?: { name: string; message: string };
}
