import { MAX_TIMER_DELAY_MS } from '../options/defaults.js';

/**
 * A delay Node accepts as given: Node turns NaN, negative and over-2^31-1 delays into 1 ms, which is
 * how 30-day tokens caused refresh storms elsewhere.
 */
export function clampDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.ceil(ms), MAX_TIMER_DELAY_MS);
}
