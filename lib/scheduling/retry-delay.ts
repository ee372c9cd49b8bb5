import { ExotelAuthError } from '../errors/exotel-auth.error.js';
import type { ExotelError } from '../errors/exotel.error.js';

export interface RetryPolicy {
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

/**
 * Delay before attempt number `failures + 1`: exponential from the base with full jitter, capped,
 * never shorter than a server's `Retry-After`. Bad credentials wait the full cap: a fast retry
 * cannot fix them and only adds load on Exotel.
 */
export function retryDelay(
  failures: number,
  error: ExotelError,
  policy: RetryPolicy,
  random: () => number,
): number {
  const retryAfterMs = (error.retryAfterSeconds ?? 0) * 1000;
  if (error instanceof ExotelAuthError) return Math.max(policy.retryMaxDelayMs, retryAfterMs);
  const ceiling = Math.min(policy.retryMaxDelayMs, policy.retryBaseDelayMs * 2 ** Math.min(failures - 1, 40));
  // Full jitter, but never below the base delay, so a run of small random draws cannot hammer the endpoint.
  const jittered = Math.max(policy.retryBaseDelayMs, Math.round(random() * ceiling));
  return Math.max(jittered, retryAfterMs);
}
