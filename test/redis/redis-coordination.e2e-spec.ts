import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { CredentialConfig, StoredToken } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { storeKeyOf } from '../../lib/token/store-key.js';
import { logGuard } from '../support/log-guard-core.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from '../support/exotel-app.js';
import { describeWithRedis, RedisServer } from './redis-server.js';

/** Counts the coordinator's calls, to tell waiting from spinning. */
class CountingStore extends RedisTokenStore {
  waits = 0;
  leases = 0;

  override async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.leases++;
    return super.acquireLease(key, owner, ttlMs);
  }

  override async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
  ): Promise<StoredToken | undefined> {
    this.waits++;
    return super.waitForNewer(key, after, timeoutMs);
  }
}

describeWithRedis('token service with RedisTokenStore (one process)', () => {
  let server: RedisServer;
  let world: FakeWorld;
  let app: INestApplication | undefined;
  const stores: RedisTokenStore[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    logGuard.watch(server.password);
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await world?.fake.stop();
    await server?.stop();
  });

  it('a booting replica waits for the lease holder (no spin on a stored token that is due) and adopts its write', async () => {
    const holder = new RedisTokenStore({ url: server.url });
    const store = new CountingStore({ url: server.url });
    stores.push(holder, store);
    const key = storeKeyOf(world.fake.baseUrl, {
      entity: 'customer',
      id: world.customer.id,
    } as CredentialConfig);
    const now = Date.now();
    // Another replica's token is in its refresh window, and that replica holds the lease to refresh it.
    await holder.writeIfNewer(key, {
      token: 'due-token-of-other-replica',
      issuedAt: now - 40_000,
      expiresAt: now + 20_000,
    });
    expect(await holder.acquireLease(key, 'other-replica', 5_000)).toBe(true);

    const booting = createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      tokenTtlMs: 60_000,
      minRefreshLeadMs: 1_000,
      leaseTtlMs: 5_000,
      store,
      logger: false,
    });
    for (let i = 0; i < 200 && store.waits === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));
    await holder.writeIfNewer(key, {
      token: 'fresh-token-of-other-replica',
      issuedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    await holder.releaseLease(key, 'other-replica');
    const started = await booting;
    app = started.app;

    expect(await started.tokens.getToken('customer')).toBe('fresh-token-of-other-replica');
    expect(world.fake.mintAttempts(world.customer.id)).toBe(0);
    expect(store.leases).toBe(1);
    expect(store.waits).toBeLessThanOrEqual(2);
  });

  it('two module instances on one Redis mint once and share the token', async () => {
    const options = { baseUrl: world.fake.baseUrl, app: world.app, logger: false as const };
    const [a, b] = [new RedisTokenStore({ url: server.url }), new RedisTokenStore({ url: server.url })];
    stores.push(a, b);
    const [first, second] = await Promise.all([
      createExotelApp({ ...options, store: a }),
      createExotelApp({ ...options, store: b }),
    ]);
    app = first.app;
    try {
      expect(await first.tokens.getToken('app')).toBe(await second.tokens.getToken('app'));
      expect(world.fake.mintCount(world.app.id)).toBe(1);
    } finally {
      await second.app.close();
    }
  });
});
