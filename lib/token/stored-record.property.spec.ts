import { describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import { resolveOptions } from '../options/resolve-options.js';
import { fingerprint } from '../redaction/fingerprint.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { MemoryTokenStore } from '../store/memory-token-store.js';
import type { StoredToken, WriteBasis } from '../store/token-store.js';
import { CredentialSlot } from './credential-slot.js';
import { CLOCK_SKEW_MS, MintCoordinator, storedRecordProblem } from './mint-coordinator.js';
import type { TokenMinter } from './token-minter.js';

const TTL = 60 * 60_000;
const NOW = Date.UTC(2026, 0, 1);

/** Tokens as Exotel hands them out: visible ASCII, no surrounding space, at most 4096 characters. */
const headerSafeToken = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/='),
    minLength: 8,
    maxLength: 64,
  })
  .map((s) => `tok-${s}`);

/** A record the rule must accept: a sane token, issued at most the skew in the future, a lifetime within the TTL. */
const validRecord = fc
  .record({
    token: headerSafeToken,
    issuedAt: fc.integer({ min: NOW - 2 * TTL, max: NOW + CLOCK_SKEW_MS }),
    lifetime: fc.integer({ min: 1, max: TTL + CLOCK_SKEW_MS }),
    version: fc.option(fc.nat({ max: 1_000_000 }), { nil: undefined }),
  })
  .map(({ token, issuedAt, lifetime, version }) => ({
    token,
    issuedAt,
    expiresAt: issuedAt + lifetime,
    version,
  }));

const notFinite = fc.constantFrom(NaN, Infinity, -Infinity);

/** One tampering each; every one of them must make the record unservable. */
const tamperings: fc.Arbitrary<(r: StoredToken) => Record<string, unknown>>[] = [
  // Token: not a string, empty, blank, too long, or with a character that could split a header.
  fc.constantFrom(undefined, null, 42, {}, '', '   ').map((token) => (r) => ({ ...r, token })),
  fc.integer({ min: 4097, max: 6000 }).map((n) => (r) => ({ ...r, token: 'a'.repeat(n) })),
  fc.tuple(fc.constantFrom('\r\n', '\n', '\0', '\x7f', 'é', '\t', ' '), fc.nat()).map(([bad, at]) => (r) => {
    const i = bad === ' ' ? 0 : at % (r.token.length + 1);
    return { ...r, token: r.token.slice(0, i) + bad + r.token.slice(i) };
  }),
  // Times: not finite numbers, strings, or a lifetime that cannot be.
  notFinite.map((issuedAt) => (r) => ({ ...r, issuedAt })),
  notFinite.map((expiresAt) => (r) => ({ ...r, expiresAt })),
  fc.constantFrom('1', null, undefined).map((expiresAt) => (r) => ({ ...r, expiresAt })),
  fc.integer({ min: 1, max: 10 * 365 * 24 * 3_600_000 }).map((extra) => (r) => ({
    ...r,
    issuedAt: NOW + CLOCK_SKEW_MS + extra,
    expiresAt: NOW + CLOCK_SKEW_MS + extra + 1000,
  })),
  fc.integer({ min: 0, max: TTL }).map((back) => (r) => ({ ...r, expiresAt: r.issuedAt - back })),
  fc.integer({ min: 1, max: 10 * 365 * 24 * 3_600_000 }).map((extra) => (r) => ({
    ...r,
    expiresAt: r.issuedAt + TTL + CLOCK_SKEW_MS + extra,
  })),
  // Version: not a non-negative integer.
  fc.constantFrom(-1, 1.5, NaN, Infinity, '3').map((version) => (r) => ({ ...r, version })),
  // The store itself could not decode it.
  fc
    .constantFrom('does not decrypt', 'the key holds a Redis string')
    .map((problem) => (r) => ({ ...r, problem })),
];
const tampered = fc.tuple(validRecord, fc.oneof(...tamperings)).map(([r, tamper]) => tamper(r));

class Lines implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

/** A store that hands out one given record as is, until the first write replaces it. */
class TamperedStore extends MemoryTokenStore {
  served?: unknown;
  readonly bases: WriteBasis[] = [];

  override async read(key: string): Promise<StoredToken | undefined> {
    return this.served !== undefined ? (structuredClone(this.served) as StoredToken) : super.read(key);
  }

  override async writeIfUnchanged(key: string, record: StoredToken, basis: WriteBasis): Promise<boolean> {
    this.bases.push(basis);
    this.served = undefined;
    return super.writeIfUnchanged(key, record, { version: 0 });
  }
}

function coordinatorWith(store: TamperedStore) {
  const logger = new Lines();
  const options = resolveOptions({
    baseUrl: 'https://exotel.test/v2/integrations',
    customer: { id: 'customer-id', secret: 'customer-secret' },
    tokenTtlMs: TTL,
    store,
    logger,
  });
  const policy = new RefreshPolicy(options);
  let mints = 0;
  const minter = {
    mint: async () => ({ token: `minted-${++mints}`, requestId: `req-${mints}` }),
  } as unknown as TokenMinter;
  const coordinator = new (class extends MintCoordinator {
    protected override now(): number {
      return NOW;
    }
  })(options, minter, policy);
  const slot = new CredentialSlot(options.credentials[0], 'store-key', policy);
  return { coordinator, slot, logger, mints: () => mints };
}

describe('the validation rule for stored records', () => {
  it('accepts every sane record', () => {
    fc.assert(
      fc.property(validRecord, (record) => {
        expect(storedRecordProblem(record, TTL, NOW)).toBeUndefined();
      }),
    );
  });

  it('refuses every tampered record, with a reason that never quotes it', () => {
    fc.assert(
      fc.property(tampered, (record) => {
        const problem = storedRecordProblem(record, TTL, NOW);
        expect(problem).toEqual(expect.any(String));
        if (typeof record.token === 'string' && record.token.length > 3) {
          expect(problem).not.toContain(record.token);
        }
      }),
    );
  });

  it('through the coordinator: a tampered record is never served, reported once with the key fingerprint, and replaced by the mint', async () => {
    await fc.assert(
      fc.asyncProperty(tampered, async (record) => {
        const store = new TamperedStore();
        store.served = record;
        const { coordinator, slot, logger, mints } = coordinatorWith(store);

        const obtained = await coordinator.obtain(slot, {});

        expect(obtained).toMatchObject({ token: 'minted-1', adopted: false });
        expect(mints()).toBe(1);
        // Read twice (before the lease and under it), reported once, as invalid and not as an outage.
        expect(logger.warnings).toHaveLength(1);
        expect(logger.warnings[0]).toContain(`key ${fingerprint('store-key')}`);
        expect(logger.warnings[0]).toContain('invalid record');
        expect(store.bases).toEqual([expect.objectContaining({ invalid: true })]);
        expect((await store.read('store-key'))?.token).toBe('minted-1');
      }),
      { numRuns: 200 },
    );
  });
});
