import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/**
 * What happened to a credential's token.
 * - `minted`: first token of the credential; `refreshed`: a later one
 * - `adopted`: a token minted by another replica was taken from the shared store
 * - `refresh_failed`: a mint failed; `nextAttemptAt` says when the next try is
 * - `same_token`: Exotel answered the token already held; its expiry is kept
 * - `expired`: the held token passed its expiry; `invalidated`: it was dropped (e.g. after a 401)
 * - `app_added`, `app_removed`: an app is managed from now on, or no longer (`TokenService.addApp`,
 *   `removeApp`, or learned from the credential source)
 * - `credentials_rotated`: an app's credentials were replaced; the held token keeps being served
 * @publicApi
 */
export type TokenEventType =
  | 'minted'
  | 'refreshed'
  | 'adopted'
  | 'refresh_failed'
  | 'same_token'
  | 'expired'
  | 'invalidated'
  | 'app_added'
  | 'app_removed'
  | 'credentials_rotated';

/**
 * Emitted on `TokenService.events$`. Never carries a token or a secret.
 * @publicApi
 */
export interface TokenEvent {
  type: TokenEventType;
  credential: string;
  entity: ExotelEntity;
  app?: string;
  at: number;
  generation?: number;
  fingerprint?: string;
  issuedAt?: number;
  expiresAt?: number;
  refreshAt?: number;
  /** Why a refresh failed or a token was dropped. */
  reason?: string;
  error?: { name: string; message: string; httpStatus?: number; requestId?: string };
  nextAttemptAt?: number;
  consecutiveFailures?: number;
}
