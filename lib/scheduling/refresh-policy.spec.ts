import { describe, expect, it } from '@jest/globals';
import { ExotelAuthError, ExotelUnavailableError } from '../errors/exotel.error.js';
import { RefreshPolicy } from './refresh-policy.js';

const DAY = 24 * 60 * 60 * 1000;
const options = {
  refreshAtRatio: 0.6,
  minRefreshLeadMs: 7 * DAY,
  refreshJitterMs: 3_600_000,
  retryBaseDelayMs: 2_000,
  retryMaxDelayMs: 3_600_000,
};
const policy = (random: number, overrides = {}): RefreshPolicy =>
  new RefreshPolicy({ ...options, ...overrides }, () => random);

describe('RefreshPolicy.retryDelay', () => {
  const unavailable = new ExotelUnavailableError('down');
  it('grows exponentially with full jitter up to the cap, never below the base', () => {
    expect(policy(1).retryDelay(1, unavailable, true)).toBe(2_000);
    expect(policy(1).retryDelay(4, unavailable, true)).toBe(16_000);
    expect(policy(0.5).retryDelay(4, unavailable, true)).toBe(8_000);
    expect(policy(0).retryDelay(4, unavailable, true)).toBe(2_000);
    expect(policy(1).retryDelay(30, unavailable, true)).toBe(3_600_000);
    expect(policy(0.999).retryDelay(1_000, unavailable, true)).toBeLessThanOrEqual(3_600_000);
  });

  it('honours Retry-After', () => {
    const throttled = new ExotelUnavailableError('429', { retryAfterSeconds: 120 });
    expect(policy(1).retryDelay(1, throttled, true)).toBe(120_000);
    expect(policy(1).retryDelay(1, throttled, false)).toBe(120_000);
  });

  it('honours a Retry-After beyond the cap only while a valid token is held', () => {
    const aDay = new ExotelUnavailableError('429', { retryAfterSeconds: 86_400 });
    expect(policy(0).retryDelay(1, aDay, true)).toBe(86_400_000);
    // Without a token every caller fails meanwhile: the cap wins over the header.
    expect(policy(0).retryDelay(1, aDay, false)).toBe(3_600_000);
    expect(policy(1).retryDelay(30, aDay, false)).toBe(3_600_000);
    expect(policy(0).retryDelay(1, new ExotelAuthError('401', { retryAfterSeconds: 86_400 }), false)).toBe(
      3_600_000,
    );
  });

  it('retries bad credentials only at the cap', () => {
    expect(policy(0).retryDelay(1, new ExotelAuthError('401'), false)).toBe(3_600_000);
    expect(policy(0).retryDelay(1, new ExotelAuthError('401'), true)).toBe(3_600_000);
  });
});

describe('RefreshPolicy.refreshAt and isDue', () => {
  const token = { issuedAt: 0, expiresAt: 90 * DAY };
  it('plans at 60% of the lifetime plus jitter', () => {
    expect(policy(0).refreshAt(token)).toBe(54 * DAY);
    expect(policy(1).refreshAt(token)).toBe(54 * DAY + 3_600_000);
    expect(policy(1).refreshAt(token, false)).toBe(54 * DAY);
  });

  it('never later than expiry minus the lead', () => {
    expect(policy(1, { refreshAtRatio: 0.95 }).refreshAt(token)).toBe(83 * DAY);
  });

  it('is due from the unjittered refresh time on', () => {
    expect(policy(1).isDue(token, 54 * DAY - 1)).toBe(false);
    expect(policy(1).isDue(token, 54 * DAY)).toBe(true);
  });
});

describe('RefreshPolicy same-token retry and critical window', () => {
  it('the critical window is half the minimum lead', () => {
    expect(policy(0).criticalWindowMs).toBe(3.5 * DAY);
    expect(policy(0).isCritical(90 * DAY, 86.5 * DAY)).toBe(true);
    expect(policy(0).isCritical(90 * DAY, 86 * DAY)).toBe(false);
    expect(policy(0).isCritical(undefined, 0)).toBe(true);
  });

  it('moves halfway towards the critical window, at least retryMaxDelayMs away, never past the expiry', () => {
    const p = policy(0);
    // 54 days in: the critical window starts at 86.5 days; halfway is 70.25 days.
    expect(p.sameTokenRetryAt(90 * DAY, 54 * DAY)).toBe(70.25 * DAY);
    // Already inside the window: the retry cap applies.
    expect(p.sameTokenRetryAt(90 * DAY, 88 * DAY)).toBe(88 * DAY + 3_600_000);
    expect(p.sameTokenRetryAt(90 * DAY, 90 * DAY - 1_000)).toBe(90 * DAY);
  });
});

describe('RefreshPolicy.timerDelay', () => {
  it('keeps delays inside what Node accepts', () => {
    expect(RefreshPolicy.timerDelay(90 * DAY)).toBe(2 ** 31 - 1);
    expect(RefreshPolicy.timerDelay(-5)).toBe(0);
    expect(RefreshPolicy.timerDelay(Number.NaN)).toBe(0);
    expect(RefreshPolicy.timerDelay(1.2)).toBe(2);
  });
});
