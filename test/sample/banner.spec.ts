import { describe, expect, it } from '@jest/globals';
import { banner, type BannerFacts } from '../../sample/banner.js';
import { redisAddress } from '../../sample/exotel/token-store.js';
import { DEFAULT_HOST, listenHost } from '../../sample/listen-host.js';

const facts = (over: Partial<BannerFacts> = {}): BannerFacts => ({
  listen: { address: '127.0.0.1', port: 3000 },
  embedded: true,
  exotelBaseUrl: 'http://127.0.0.1:4000/v2/integrations',
  tokens: [],
  ...over,
});

describe('sample start-up', () => {
  it('listens on loopback unless HOST says otherwise (an empty HOST counts as unset)', () => {
    expect(DEFAULT_HOST).toBe('127.0.0.1');
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ HOST: '' })).toBe('127.0.0.1');
    expect(listenHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('names the address it is really bound to', () => {
    const text = banner(facts());
    expect(text).toContain('listening on http://127.0.0.1:3000\n');
    expect(text).toContain('curl http://127.0.0.1:3000/tokens');
    expect(text).not.toContain('WARNING');
    expect(banner(facts({ listen: { address: '::1', port: 3000 } }))).toContain(
      'listening on http://[::1]:3000',
    );
  });

  it.each(['0.0.0.0', '::'])('warns when bound to every interface (%s)', (address) => {
    const text = banner(facts({ listen: { address, port: 3000 } }));
    expect(text).toContain('(every interface)');
    expect(text).toMatch(/WARNING: .*reachable from other machines/);
    expect(text).toContain('/softphone/:id hands out the app token');
    expect(text).toContain('curl http://localhost:3000/tokens');
  });

  it('says whether tokens are shared through Redis, with host and port but never a password', () => {
    expect(banner(facts())).toContain('Token store:  in memory');
    const text = banner(facts({ redisUrl: 'redis://user:s3cret-pass@redis.internal:6380/2' }));
    expect(text).toContain('tokens shared through Redis at redis.internal:6380');
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain('user');
    expect(redisAddress('rediss://:pw@10.0.0.5')).toBe('10.0.0.5:6379');
    expect(redisAddress('redis://[::1]:7000')).toBe('[::1]:7000');
    expect(redisAddress('not a url :pw@')).not.toContain('pw');
  });

  it('says when no fake was started', () => {
    const text = banner(facts({ embedded: false, exotelBaseUrl: 'https://exotel.example/v2/integrations' }));
    expect(text).toContain(
      'https://exotel.example/v2/integrations (from EXOTEL_WEBRTC_BASE_URL; no fake started)',
    );
    expect(text).not.toContain('embedded');
  });
});
