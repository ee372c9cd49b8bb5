import { describe, expect, it } from '@jest/globals';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { TokenState, TokenStatus } from '../token/token-status.interface.js';
import type { TokenService } from '../token/token.service.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { ExotelHealthIndicator } from './exotel-health.indicator.js';

const DAY = 24 * 60 * 60 * 1000;
const options = { minRefreshLeadMs: 7 * DAY } as ResolvedExotelOptions;

function row(credential: string, state: TokenState, expiresInMs?: number): TokenStatus {
  const now = Date.now();
  return {
    credential,
    entity: credential === 'customer' ? 'customer' : 'app',
    id: 'ab…cd',
    state,
    generation: expiresInMs === undefined ? 0 : 1,
    expiresAt: expiresInMs === undefined ? undefined : now + expiresInMs,
    issuedAt: expiresInMs === undefined ? undefined : now - DAY,
    consecutiveFailures: state === 'retrying' || state === 'failed' ? 1 : 0,
  };
}

function indicator(...rows: TokenStatus[]): ExotelHealthIndicator {
  const tokens = { status: () => rows } as unknown as TokenService;
  return new ExotelHealthIndicator(tokens, new RefreshPolicy(options));
}

describe('ExotelHealthIndicator', () => {
  it('is up when every credential is fresh, under the key "exotel" by default', () => {
    const result = indicator(
      row('customer', 'fresh', 80 * DAY),
      row('app:default', 'fresh', 80 * DAY),
    ).isHealthy();
    expect(result.exotel.status).toBe('up');
    expect(result.exotel.degraded).toBe(false);
    expect(result.exotel.credentials.map((c) => [c.credential, c.state, c.status])).toEqual([
      ['customer', 'fresh', 'up'],
      ['app:default', 'fresh', 'up'],
    ]);
    expect(result.exotel.credentials[0].expiresInMs).toBeGreaterThan(79 * DAY);
  });

  it('uses the given key', () => {
    expect(Object.keys(indicator(row('customer', 'fresh', DAY * 80)).isHealthy('tokens'))).toEqual([
      'tokens',
    ]);
  });

  it('counts pending and refreshing-with-a-valid-token as up', () => {
    const result = indicator(
      row('customer', 'pending'),
      row('app:default', 'refreshing', 30 * DAY),
    ).isHealthy();
    expect(result.exotel.status).toBe('up');
    expect(result.exotel.credentials[0].expiresInMs).toBeNull();
  });

  it('is degraded while a refresh is retried and the token is still valid', () => {
    const result = indicator(
      row('customer', 'fresh', 80 * DAY),
      row('app:default', 'retrying', 30 * DAY),
    ).isHealthy();
    expect(result.exotel.status).toBe('degraded');
    expect(result.exotel.degraded).toBe(true);
    expect(result.exotel.credentials[1].status).toBe('degraded');
  });

  it('stays degraded while a retry is in flight after a failure', () => {
    const retry = { ...row('customer', 'refreshing', 30 * DAY), consecutiveFailures: 2 };
    const result = indicator(retry).isHealthy();
    expect(result.exotel.status).toBe('degraded');
    expect(result.exotel.degraded).toBe(true);
  });

  it.each<TokenState>(['expired', 'failed'])('is down when a credential is %s', (state) => {
    const result = indicator(row('customer', 'fresh', 80 * DAY), row('app:default', state, -DAY)).isHealthy();
    expect(result.exotel.status).toBe('down');
    expect(result.exotel.credentials[1].expiresInMs).toBe(0);
  });

  it('is down when a token is within half of minRefreshLeadMs of expiry, whatever its state', () => {
    expect(indicator(row('customer', 'retrying', 3.5 * DAY)).isHealthy().exotel.status).toBe('down');
    expect(indicator(row('customer', 'fresh', 3 * DAY)).isHealthy().exotel.status).toBe('down');
    expect(indicator(row('customer', 'refreshing', 3 * DAY)).isHealthy().exotel.status).toBe('down');
    expect(indicator(row('customer', 'retrying', 3.6 * DAY)).isHealthy().exotel.status).toBe('degraded');
  });

  it('is down when a refresh is in flight for an expired token', () => {
    expect(indicator(row('customer', 'refreshing', -1)).isHealthy().exotel.status).toBe('down');
  });

  it('lets down win over degraded', () => {
    const result = indicator(row('customer', 'retrying', 30 * DAY), row('app:default', 'failed')).isHealthy();
    expect(result.exotel.status).toBe('down');
    expect(result.exotel.degraded).toBe(true);
  });

  it('reports no token or fingerprint', () => {
    const result = indicator({ ...row('customer', 'fresh', 80 * DAY), fingerprint: 'deadbeef' }).isHealthy();
    expect(JSON.stringify(result)).not.toContain('deadbeef');
  });

  it('at 100,000 credentials: counts by state, lists only the unhealthy, at most 50 rows', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      row(`app:t${i}`, i % 1_000 === 0 ? 'failed' : 'fresh', i % 1_000 === 0 ? undefined : 80 * DAY),
    );
    const { exotel } = indicator(...rows).isHealthy();
    expect(exotel.total).toBe(100_000);
    expect(exotel.states).toEqual({ fresh: 99_900, failed: 100 });
    expect(exotel.status).toBe('down');
    expect(exotel.credentials).toHaveLength(50);
    expect(exotel.credentials.every((c) => c.status !== 'up')).toBe(true);
    expect(JSON.stringify(exotel).length).toBeLessThan(10_000);
  });
});
