import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ExotelAuthError, fingerprint, MemoryTokenStore, TokenStore } from 'nestjs-exotel-webrtc';
import { storeKeyOf } from '../lib/token/slot-registry.js';
import { resolveOptions } from '../lib/options/resolve-options.js';
import { CaptureLogger } from './support/capture-logger.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { waitFor } from './redis/wait-for.js';
import { settle } from './support/fake-clock.js';

const DAY = 24 * 60 * 60 * 1000;

/** Start-up against a store that already holds a token (what a restarted replica sees). */
describe('adopting a stored token at start-up', () => {
  let world: FakeWorld;
  let app: INestApplication | undefined;
  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    world.fake.clearFaults();
    world.fake.resetRecords();
  });
  afterAll(async () => world.fake.stop());

  const keyFor = (): string =>
    storeKeyOf(
      world.fake.baseUrl,
      resolveOptions({ baseUrl: world.fake.baseUrl, customer: world.customer }).credentials[0],
    );

  it('a valid, not-yet-due stored token is adopted: zero mints', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfNewer(keyFor(), {
      token: 'stored-token-aaaa',
      issuedAt: Date.now() - DAY,
      expiresAt: Date.now() + 89 * DAY,
    });
    const created = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      store,
      logger: false,
    });
    app = created.app;
    expect(await created.tokens.getToken('customer')).toBe('stored-token-aaaa');
    expect(world.fake.mintAttempts()).toBe(0);
    expect(created.tokens.status()[0]).toMatchObject({ state: 'fresh', generation: 1 });
  });

  it('during an Exotel outage, a due but still valid stored token is served instead of nothing, and retried', async () => {
    const store = new MemoryTokenStore();
    await store.writeIfNewer(keyFor(), {
      token: 'stored-token-bbbb',
      issuedAt: Date.now() - 80 * DAY,
      expiresAt: Date.now() + 10 * DAY,
    });
    world.fake.fault('POST /token', { status: 503 }, Infinity);
    const created = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      store,
      logger: false,
    });
    app = created.app;
    expect(await created.tokens.getToken('customer')).toBe('stored-token-bbbb');
    await settle(() => created.tokens.status()[0].consecutiveFailures > 0);
    expect(created.tokens.status()[0].state).toBe('retrying');
    expect(world.fake.mintAttempts()).toBe(2); // the boot attempt and the immediate refresh of the due token
  });

  it('refused credentials at start-up close the store (Nest skips onModuleDestroy when init fails)', async () => {
    class ClosingStore extends MemoryTokenStore {
      closed = 0;
      override async close(): Promise<void> {
        this.closed++;
      }
    }
    const store = new ClosingStore();
    const created = await createExotelApp(
      {
        baseUrl: world.fake.baseUrl,
        customer: { id: world.customer.id, secret: 'wrong-wrong' },
        store,
        logger: false,
      },
      (b) => b,
      false,
    );
    await expect(created.app.init()).rejects.toThrow(ExotelAuthError);
    expect(store.closed).toBe(1);
    expect(store).toBeInstanceOf(TokenStore);
  });

  it('a poisoned record (a garbage token with a 10-year expiry) is never served, reported once, and replaced by the mint', async () => {
    const store = new MemoryTokenStore();
    const now = Date.now();
    await store.writeIfNewer(keyFor(), {
      token: 'garbage\r\ntoken',
      issuedAt: now,
      expiresAt: now + 3650 * DAY,
    });
    const logger = new CaptureLogger();
    const options = { baseUrl: world.fake.baseUrl, customer: world.customer, store, logger };
    const created = await createExotelApp(options);
    app = created.app;

    const minted = await created.tokens.getToken('customer');
    expect(minted).toBe(world.fake.tokensOf(world.customer.id).at(-1));
    expect(world.fake.mintAttempts()).toBe(1);
    expect(logger.at('warn')).toEqual([
      expect.stringContaining(`invalid record for customer (key ${fingerprint(keyFor())})`),
    ]);
    expect(logger.at('warn')[0]).toContain('not a header-safe string');
    // Replaced although its expiry looked 10 years later, and shared from now on.
    expect((await store.read(keyFor()))?.token).toBe(minted);
    const second = await createExotelApp({ ...options, logger: false });
    try {
      expect(await second.tokens.getToken('customer')).toBe(minted);
      expect(world.fake.mintAttempts()).toBe(1);
    } finally {
      await second.app.close();
    }
  });

  it('a token refused downstream is not adopted by another module instance sharing the store', async () => {
    const store = new MemoryTokenStore();
    const options = { baseUrl: world.fake.baseUrl, customer: world.customer, store, logger: false as const };
    const first = await createExotelApp(options);
    app = first.app;
    const refused = await first.tokens.getToken('customer');
    first.tokens.invalidate('customer');
    await waitFor(
      'the refusal to reach the store',
      async () => (await store.read(keyFor()))?.rejected === true,
    );

    const second = await createExotelApp(options);
    try {
      const fresh = await second.tokens.getToken('customer');
      expect(fresh).not.toBe(refused);
      expect(world.fake.mintAttempts()).toBe(2);
      expect(await store.read(keyFor())).toMatchObject({ token: fresh, version: 2 });
      // The first instance takes the replacement from the store: no third mint.
      expect(await first.tokens.getToken('customer')).toBe(fresh);
      expect(world.fake.mintAttempts()).toBe(2);
    } finally {
      await second.app.close();
    }
  });
});
