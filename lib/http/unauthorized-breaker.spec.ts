import { describe, expect, it } from '@jest/globals';
import { UnauthorizedBreaker } from './unauthorized-recovery.js';

function breaker(): { b: UnauthorizedBreaker; advance: (ms: number) => void } {
  let now = 1_000;
  return {
    b: new UnauthorizedBreaker({ threshold: 3, cooldownMs: 60_000 }, () => now),
    advance: (ms) => (now += ms),
  };
}

describe('UnauthorizedBreaker', () => {
  it('opens after `threshold` distinct fresh generations are refused, for the cool-down only', () => {
    const { b, advance } = breaker();
    expect(b.recordRefusedFresh('customer', 2)).toBe(false);
    expect(b.recordRefusedFresh('customer', 3)).toBe(false);
    expect(b.isOpen('customer')).toBe(false);
    expect(b.recordRefusedFresh('customer', 4)).toBe(true);
    expect(b.isOpen('customer')).toBe(true);
    expect(b.isOpen('app:default')).toBe(false);
    advance(60_000);
    expect(b.isOpen('customer')).toBe(false);
    // Half-open: the next refused fresh token reopens it at once.
    expect(b.recordRefusedFresh('customer', 5)).toBe(true);
  });

  it('counts one generation once, however many requests it failed', () => {
    const { b } = breaker();
    for (let i = 0; i < 1000; i++) b.recordRefusedFresh('app:default', 2);
    expect(b.isOpen('app:default')).toBe(false);
  });

  it('a renewal that worked resets the count', () => {
    const { b } = breaker();
    b.recordRefusedFresh('customer', 2);
    b.recordRefusedFresh('customer', 3);
    b.recordRenewalWorked('customer');
    expect(b.recordRefusedFresh('customer', 4)).toBe(false);
    expect(b.isOpen('customer')).toBe(false);
  });
});
