import type { TokenState, TokenStatus } from '../token/token-status.interface.js';

/** Health of one credential, or of all of them together. */
export type ExotelHealthStatus = 'up' | 'degraded' | 'down';

/** One credential as the health indicator reports it: no token, no secret. */
export interface ExotelCredentialHealth {
  /** `customer`, `app:default`, `app:<name>`. */
  credential: string;
  state: TokenState;
  status: ExotelHealthStatus;
  /** Time left on the current token (0 once expired); `null` while none was minted. */
  expiresInMs: number | null;
}

/**
 * Judges one status row. A token close to expiry is `down` even while the service still holds it:
 * by then refreshes have been failing for days and the outage is near, so an operator must act now.
 */
export function assessCredential(
  row: TokenStatus,
  now: number,
  downWithinMs: number,
): ExotelCredentialHealth {
  const left = row.expiresAt === undefined ? null : Math.max(0, row.expiresAt - now);
  return {
    credential: row.credential,
    state: row.state,
    status: judge(row, left, downWithinMs),
    expiresInMs: left,
  };
}

/** True while refreshes are failing: between retries, and during a retry (`refreshing` after a failure). */
export function isRetrying(row: TokenStatus): boolean {
  return row.state === 'retrying' || (row.state === 'refreshing' && row.consecutiveFailures > 0);
}

function judge(row: TokenStatus, left: number | null, downWithinMs: number): ExotelHealthStatus {
  if (row.state === 'expired' || row.state === 'failed') return 'down';
  // No token yet: a lazy module (`eager: false`) that has not needed one, or its first mint in flight.
  if (left === null) return 'up';
  if (left <= downWithinMs) return 'down';
  return isRetrying(row) ? 'degraded' : 'up';
}

/** The worst status wins. */
export function worstOf(statuses: readonly ExotelHealthStatus[]): ExotelHealthStatus {
  if (statuses.includes('down')) return 'down';
  return statuses.includes('degraded') ? 'degraded' : 'up';
}
