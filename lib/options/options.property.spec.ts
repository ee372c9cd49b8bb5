import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { inspect } from 'node:util';
import { prototypesUntouched, snapshotPrototypes } from '../../test/support/prototype-snapshot.js';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { resolveOptions } from './resolve-options.js';

// Options come from env files, JSON config and factories: resolveOptions must turn anything at all into
// either frozen, fully typed options or one ExotelConfigError, without echoing a secret or polluting.
const RUNS = Number(process.env.FC_RUNS ?? 300); // FC_RUNS=5000 for a deeper soak
const SECRET = 'S3cr3t-options-9d2e41b7';
const pristine = snapshotPrototypes();

const KEYS = [
  'baseUrl',
  'customer',
  'app',
  'apps',
  'tokenTtlMs',
  'refreshAtRatio',
  'minRefreshLeadMs',
  'refreshJitterMs',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'authScheme',
  'requestTimeoutMs',
  'eager',
  'store',
  'logger',
  'leaseTtlMs',
  'unauthorizedBreakerThreshold',
  'unauthorizedBreakerCooldownMs',
  'credentialSource',
  'maxConcurrentMints',
  'idleAppEvictionMs',
  'maxResponseBytes',
] as const;
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', ...KEYS),
  fc.string({ maxLength: 80 }),
);
/** Wrong types of every kind, including the ones JSON cannot express (symbols, bigint, functions). */
const wrong = fc.oneof(
  fc.anything({
    maxDepth: 2,
    key: hostileKey,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withBoxedValues: true,
    withSparseArray: true,
  }),
  fc.constantFrom(
    Symbol('s'),
    () => SECRET,
    Number.NaN,
    Infinity,
    -Infinity,
    -0,
    2 ** 53,
    1e308,
    10n,
    '1000',
    '',
    SECRET,
    'x'.repeat(1 << 20),
  ),
  fc.constantFrom(
    'http://127.0.0.1:1/v2/integrations',
    'https://user:pw@example.com/x',
    'ftp://example.com',
    'https://example.com/?q',
    'http://10.0.0.1/x',
  ),
);
const credential = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      { id: fc.oneof(fc.uuid(), wrong), secret: fc.oneof(fc.constant(SECRET), wrong) },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: wrong },
);
/** A near-valid option set with hostile values in some fields. */
const structured = fc.record(
  {
    baseUrl: fc.oneof(fc.constant('http://127.0.0.1:9/v2/integrations'), wrong),
    customer: credential,
    app: credential,
    apps: fc.oneof(fc.dictionary(hostileKey, credential, { maxKeys: 4 }), wrong),
    tokenTtlMs: fc.oneof(fc.integer({ min: -10, max: 2 ** 40 }), wrong),
    refreshAtRatio: fc.oneof(fc.double({ min: -1, max: 2 }), wrong),
    minRefreshLeadMs: fc.oneof(fc.integer({ min: -10, max: 2 ** 40 }), wrong),
    retryBaseDelayMs: fc.oneof(fc.nat(), wrong),
    retryMaxDelayMs: fc.oneof(fc.nat(), wrong),
    authScheme: fc.oneof(fc.constantFrom('raw', 'Bearer', 'bearer'), wrong),
    eager: fc.oneof(fc.boolean(), wrong),
    store: wrong,
    logger: fc.oneof(fc.constant(false), wrong),
  },
  { requiredKeys: [] },
);
/** Own `__proto__` / `constructor` keys at every level, as JSON.parse (config files) creates them. */
const parsedJson = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) =>
    JSON.parse(
      `{"${key}":{"polluted":"yes","prototype":{"polluted":"yes"}},"customer":{"id":"c","secret":"${SECRET}","${key}":{"polluted":"yes"}},` +
        `"apps":{"${key}":{"id":"a","secret":"${SECRET}"}},"tokenTtlMs":${JSON.stringify(value)}}`,
    ),
  );
const anyOptions = fc.oneof(structured, parsedJson, wrong);

describe('resolveOptions under hostile input (property)', () => {
  it('returns frozen typed options or throws only ExotelConfigError, never the secret, never a polluted prototype', () => {
    fc.assert(
      fc.property(anyOptions, (raw) => {
        try {
          const resolved = resolveOptions(raw);
          expect(Object.isFrozen(resolved)).toBe(true);
          for (const key of [
            'tokenTtlMs',
            'refreshAtRatio',
            'minRefreshLeadMs',
            'retryBaseDelayMs',
            'retryMaxDelayMs',
            'requestTimeoutMs',
          ] as const) {
            expect(Number.isFinite(resolved[key])).toBe(true);
          }
          expect(resolved.minRefreshLeadMs).toBeLessThan(resolved.tokenTtlMs);
          expect(resolved.credentials.length).toBeGreaterThan(0);
          expect(`${JSON.stringify(resolved)}${inspect(resolved, { depth: 5 })}`).not.toContain(SECRET);
        } catch (error) {
          expect(error).toBeInstanceOf(ExotelConfigError);
          const problems = (error as ExotelConfigError).problems;
          expect(problems.length).toBeGreaterThan(0);
          expect(problems.every((p) => p.length < 400)).toBe(true); // a 1 MB key or value is never echoed whole
          expect(`${(error as Error).message}${JSON.stringify(error)}${inspect(error)}`).not.toContain(
            SECRET,
          );
        }
        expect(prototypesUntouched(pristine)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('lists every bad scalar at once instead of stopping at the first', () => {
    fc.assert(
      fc.property(
        fc.subarray(['tokenTtlMs', 'requestTimeoutMs', 'retryBaseDelayMs', 'leaseTtlMs'], { minLength: 1 }),
        fc.constantFrom<unknown>('1000', -1, 1.5, 10n, Symbol('s')) /* null means 'use the default' */,
        (keys, bad) => {
          const raw: Record<string, unknown> = { customer: { id: 'c', secret: SECRET } };
          for (const key of keys) raw[key] = bad;
          let problems: string[] = [];
          try {
            resolveOptions(raw);
          } catch (error) {
            problems = (error as ExotelConfigError).problems;
          }
          for (const key of keys) expect(problems.some((p) => p.startsWith(`${key}:`))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });
});
