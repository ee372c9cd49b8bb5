import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ExotelUnavailableError } from '../errors/exotel.error.js';
import { resolveAppCredential } from '../options/resolve-options.js';
import { Redacted } from '../redaction/redacted.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { CredentialSlot } from './credential-slot.js';

const TOKEN = 'slot-token-9e8d7c6b5a';
const HOUR = 3_600_000;
const policy = new RefreshPolicy(
  {
    refreshAtRatio: 0.6,
    minRefreshLeadMs: HOUR,
    refreshJitterMs: 0,
    retryBaseDelayMs: 1_000,
    retryMaxDelayMs: 60_000,
  },
  () => 0,
);

function slotWithToken(now: number): CredentialSlot {
  const slot = new CredentialSlot(
    resolveAppCredential('support', { id: 'id-1', secret: 'secret-1234' }),
    'k',
    policy,
  );
  slot.accept({ token: TOKEN, issuedAt: now, expiresAt: now + 10 * HOUR, adopted: false }, now);
  return slot;
}

/** Every way a host could dump the slot, hidden properties and getters included. */
const dumps = (value: unknown): string =>
  [
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    inspect(value, { showHidden: true, depth: Infinity, customInspect: false }),
    JSON.stringify(value),
  ].join('\n');

describe('CredentialSlot keeps tokens out of reach of inspection', () => {
  it('holds the token and the refused token as Redacted values only', () => {
    const slot = slotWithToken(0);
    expect(dumps(slot)).not.toContain(TOKEN);
    const dropped = slot.invalidate();
    expect(dropped?.token.reveal()).toBe(TOKEN);
    expect(slot.held).toBeUndefined();
    expect(dumps(slot)).not.toContain(TOKEN);
    // The 401 logic still recognises the refused token.
    expect(slot.isRefused(TOKEN)).toBe(true);
    expect(slot.isRefused('another-token')).toBe(false);
    slot.accept({ token: 'next-token-1234', issuedAt: 1, expiresAt: 10 * HOUR, adopted: false }, 1);
    expect(slot.isRefused(TOKEN)).toBe(false);
  });

  it('Redacted shows a placeholder under showHidden and without custom inspection', () => {
    const redacted = new Redacted(TOKEN);
    expect(dumps(redacted)).not.toContain(TOKEN);
    expect(dumps({ nested: [redacted] })).not.toContain(TOKEN);
    expect(Object.getOwnPropertyNames(redacted)).toEqual([]);
    expect(Object.getOwnPropertySymbols(redacted)).toEqual([]);
    expect(redacted.reveal()).toBe(TOKEN);
  });
});

describe('CredentialSlot.recordFailure plans with the Retry-After rule', () => {
  const aDay = new ExotelUnavailableError('429', { retryAfterSeconds: 86_400 });

  it('cuts a long Retry-After to retryMaxDelayMs while no valid token is held', () => {
    const slot = new CredentialSlot(
      resolveAppCredential('a', { id: 'id-2', secret: 'secret-5678' }),
      'k',
      policy,
    );
    expect(slot.recordFailure(aDay, 1_000)).toBe(1_000 + 60_000);
  });

  it('honours it while the held token is valid, and cuts it once that token has expired', () => {
    const slot = slotWithToken(0);
    expect(slot.recordFailure(aDay, 1_000)).toBe(1_000 + 86_400_000);
    const afterExpiry = 10 * HOUR + 1;
    expect(slot.recordFailure(aDay, afterExpiry)).toBe(afterExpiry + 60_000);
  });
});
