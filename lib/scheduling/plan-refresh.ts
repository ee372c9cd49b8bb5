export interface RefreshPolicy {
  refreshAtRatio: number;
  minRefreshLeadMs: number;
  refreshJitterMs: number;
}

/**
 * When a token issued at `issuedAt` and expiring at `expiresAt` should be refreshed:
 * `issuedAt + ratio * lifetime` plus jitter, never later than `expiresAt - minRefreshLeadMs`.
 */
export function planRefreshAt(
  issuedAt: number,
  expiresAt: number,
  policy: RefreshPolicy,
  random: () => number,
): number {
  const lifetime = Math.max(0, expiresAt - issuedAt);
  const planned = issuedAt + policy.refreshAtRatio * lifetime + random() * policy.refreshJitterMs;
  return Math.round(Math.min(planned, expiresAt - policy.minRefreshLeadMs));
}
