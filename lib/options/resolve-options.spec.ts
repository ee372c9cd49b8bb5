import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { MemoryTokenStore } from '../store/memory-token-store.js';
import { DAY_MS, DEFAULT_BASE_URL } from './defaults.js';
import { fromEnv } from './from-env.js';
import { resolveOptions } from './resolve-options.js';

const pair = { id: 'id-0001-0002', secret: 's3cr3t-value-never-printed' };
const problemsOf = (raw: unknown): string[] => {
  try {
    resolveOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ExotelConfigError);
    return (error as ExotelConfigError).problems;
  }
  throw new Error('expected ExotelConfigError');
};

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({ customer: pair });
    expect(o).toMatchObject({
      baseUrl: DEFAULT_BASE_URL,
      origin: 'https://integrationscore.mum1.exotel.com',
      basePath: '/v2/integrations',
      tokenTtlMs: 90 * DAY_MS,
      refreshAtRatio: 0.6,
      minRefreshLeadMs: 7 * DAY_MS,
      refreshJitterMs: 60 * 60 * 1000,
      retryBaseDelayMs: 2000,
      retryMaxDelayMs: 60 * 60 * 1000,
      authScheme: 'raw',
      requestTimeoutMs: 10_000,
      eager: true,
    });
    expect(o.store).toBeInstanceOf(MemoryTokenStore);
    expect(o.credentials.map((c) => c.key)).toEqual(['customer']);
  });

  it('caps the default lead below a short TTL', () => {
    expect(resolveOptions({ customer: pair, tokenTtlMs: 60_000 }).minRefreshLeadMs).toBe(6_000);
  });

  it('names credentials customer, app:default and app:<name>', () => {
    const o = resolveOptions({ customer: pair, app: pair, apps: { support: pair } });
    expect(o.credentials.map((c) => [c.key, c.label])).toEqual([
      ['customer', 'customer'],
      ['app:default', "app 'default'"],
      ['app:support', "app 'support'"],
    ]);
  });

  it('lists every bad field by path in one error and never prints a value', () => {
    const problems = problemsOf({
      baseUrl: 'http://example.com/v2/integrations',
      customer: { id: 'x', secret: '' },
      app: 'nope',
      apps: { support: { id: 7, secret: 's3cr3t-value-never-printed' }, 'bad name': pair },
      tokenTtlMs: 0,
      refreshAtRatio: 2,
      authScheme: 'Basic',
      eager: 'yes',
      refreshAtRation: 0.5,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'baseUrl: must use https (plain http is allowed only for loopback hosts)',
        'customer.secret: must be a non-empty string',
        'app: must be an object { id, secret }',
        'apps.support.id: must be a non-empty string',
        expect.stringMatching(/^apps\.bad name: app names/),
        'tokenTtlMs: must be a positive integer (milliseconds)',
        'refreshAtRatio: must be a number between 0.05 and 0.95',
        "authScheme: must be 'raw' or 'Bearer'",
        'eager: must be a boolean',
        'refreshAtRation: is not a known option',
      ]),
    );
    expect(problems.join('\n')).not.toContain('s3cr3t');
  });

  it('rejects a lease that does not outlive a mint, and grows the default lease with the timeout', () => {
    expect(problemsOf({ customer: pair, requestTimeoutMs: 30_000, leaseTtlMs: 20_000 })).toEqual([
      'leaseTtlMs: must be longer than requestTimeoutMs (the minting lease must outlive the mint it guards)',
    ]);
    expect(resolveOptions({ customer: pair, requestTimeoutMs: 30_000 }).leaseTtlMs).toBe(35_000);
    expect(resolveOptions({ customer: pair }).leaseTtlMs).toBe(15_000);
  });

  it('rejects a lead that reaches the TTL', () => {
    expect(problemsOf({ customer: pair, tokenTtlMs: 1000, minRefreshLeadMs: 1000 })).toEqual([
      'minRefreshLeadMs: must be smaller than tokenTtlMs (a lead that reaches the lifetime refreshes in a loop)',
    ]);
  });

  it('requires at least one credential, and an object', () => {
    expect(problemsOf({})).toEqual([
      'customer / app / apps: configure at least one credential (or a credentialSource); with fromEnv(), set EXOTEL_CUSTOMER_ID and EXOTEL_CUSTOMER_SECRET, or EXOTEL_APP_ID and EXOTEL_APP_SECRET',
    ]);
    expect(resolveOptions({ credentialSource: { appCredentials: () => undefined } }).credentials).toEqual([]);
    expect(problemsOf({ credentialSource: {} })).toEqual([
      'credentialSource: must be an object with an appCredentials(name) method',
    ]);
    expect(problemsOf(null)).toEqual(['options: must be an object']);
    expect(problemsOf({ app: pair, apps: { default: pair } })).toEqual([
      "apps.default: conflicts with 'app', which is already the app named 'default'",
    ]);
  });

  it('accepts plain http only for loopback hosts and trims a trailing slash', () => {
    expect(
      resolveOptions({ customer: pair, baseUrl: 'http://127.0.0.1:9999/v2/integrations/' }).baseUrl,
    ).toBe('http://127.0.0.1:9999/v2/integrations');
    expect(resolveOptions({ customer: pair, baseUrl: 'http://localhost:1/x' }).origin).toBe(
      'http://localhost:1',
    );
    expect(problemsOf({ customer: pair, baseUrl: 'https://user:pw@host/x' })).toEqual([
      'baseUrl: must not contain user info',
    ]);
  });

  it('rejects hostile prototype keys as unknown options without polluting anything', () => {
    const raw = JSON.parse('{"customer":{"id":"a","secret":"b"},"__proto__":{"polluted":true,"eager":"x"}}');
    expect(problemsOf(raw)).toEqual(['__proto__: is not a known option']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('holds secrets redacted: the resolved options print no secret', () => {
    const o = resolveOptions({ customer: pair });
    expect(JSON.stringify(o) + inspect(o, { depth: 10, showHidden: true })).not.toContain(pair.secret);
    expect(o.credentials[0].secret.reveal()).toBe(pair.secret);
  });
});

describe('fromEnv', () => {
  it('reads the documented variables and leaves unset ones to the defaults', () => {
    const o = fromEnv({
      EXOTEL_WEBRTC_BASE_URL: 'https://example.test/v2/integrations',
      EXOTEL_CUSTOMER_ID: 'c',
      EXOTEL_CUSTOMER_SECRET: 'cs',
      EXOTEL_APP_ID: 'a',
      EXOTEL_APP_SECRET: 'as',
      EXOTEL_AUTH_SCHEME: 'Bearer',
    });
    expect(o.baseUrl).toBe('https://example.test/v2/integrations');
    expect([o.customer?.id, o.customer?.secret, o.app?.id, o.app?.secret]).toEqual(['c', 'cs', 'a', 'as']);
    expect(o.authScheme).toBe('Bearer');
    expect(fromEnv({ EXOTEL_APP_ID: 'a', EXOTEL_APP_SECRET: 'as' })).not.toHaveProperty('baseUrl');
  });

  it('keeps half a pair so that validation names the missing half', () => {
    expect(problemsOf(fromEnv({ EXOTEL_APP_ID: 'a' }))).toEqual(['app.secret: must be a non-empty string']);
  });
});
