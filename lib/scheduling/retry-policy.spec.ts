import { describe, expect, it } from '@jest/globals';
import { ExotelAuthError } from '../errors/exotel-auth.error.js';
import { ExotelUnavailableError } from '../errors/exotel-unavailable.error.js';
import { planRefreshAt } from './plan-refresh.js';
import { retryDelay } from './retry-delay.js';

const DAY = 24 * 60 * 60 * 1000;
const policy = { retryBaseDelayMs: 2_000, retryMaxDelayMs: 3_600_000 };

describe('retryDelay', () => {
  const unavailable = new ExotelUnavailableError('down');

  it('grows exponentially with full jitter up to the cap, never below the base', () => {
    expect(retryDelay(1, unavailable, policy, () => 1)).toBe(2_000);
    expect(retryDelay(4, unavailable, policy, () => 1)).toBe(16_000);
    expect(retryDelay(4, unavailable, policy, () => 0.5)).toBe(8_000);
    expect(retryDelay(4, unavailable, policy, () => 0)).toBe(2_000);
    expect(retryDelay(30, unavailable, policy, () => 1)).toBe(3_600_000);
    expect(retryDelay(1_000, unavailable, policy, () => 0.999)).toBeLessThanOrEqual(3_600_000);
  });

  it('honours Retry-After', () => {
    const throttled = new ExotelUnavailableError('429', { retryAfterSeconds: 120 });
    expect(retryDelay(1, throttled, policy, () => 1)).toBe(120_000);
  });

  it('retries bad credentials only at the cap', () => {
    expect(retryDelay(1, new ExotelAuthError('401'), policy, () => 0)).toBe(3_600_000);
  });
});

describe('planRefreshAt', () => {
  const p = { refreshAtRatio: 0.6, minRefreshLeadMs: 7 * DAY, refreshJitterMs: 3_600_000 };

  it('plans at 60% of the lifetime plus jitter', () => {
    expect(planRefreshAt(0, 90 * DAY, p, () => 0)).toBe(54 * DAY);
    expect(planRefreshAt(0, 90 * DAY, p, () => 1)).toBe(54 * DAY + 3_600_000);
  });

  it('never later than expiry minus the lead', () => {
    expect(planRefreshAt(0, 90 * DAY, { ...p, refreshAtRatio: 0.95 }, () => 1)).toBe(83 * DAY);
  });
});
