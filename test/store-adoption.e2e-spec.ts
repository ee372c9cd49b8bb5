import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ExotelAuthError, MemoryTokenStore, TokenStore } from 'nestjs-exotel-webrtc';
import { storeKeyOf } from '../lib/token/slot-registry.js';
import { resolveOptions } from '../lib/options/resolve-options.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';
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
});
