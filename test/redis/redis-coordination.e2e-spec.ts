import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { ExotelWebrtcModuleOptions, TokenService } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { storeKeyOf } from '../../lib/token/slot-registry.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { logGuard } from '../support/log-guard-core.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from '../support/exotel-app.js';
import { closeClient, describeWithRedis, RedisServer, connectAdmin } from './redis-server.js';
import { CountingStore } from './counting-store.js';
import { waitFor, within } from './wait-for.js';

type Started = { app: INestApplication; tokens: TokenService };

describeWithRedis('token service with RedisTokenStore (one process)', () => {
  let server: RedisServer;
  let admin: Redis;
  let world: FakeWorld;
  const stores: RedisTokenStore[] = [];
  /** Every app a test starts, finished starting or not: afterEach closes them all. */
  const starting: Promise<Started>[] = [];

  const track = <S extends RedisTokenStore>(store: S): S => {
    stores.push(store);
    return store;
  };
  const boot = (options: ExotelWebrtcModuleOptions): Promise<Started> => {
    const started = createExotelApp(options);
    starting.push(started);
    return started;
  };
  const keyOf = (entity: 'customer' | 'app', id: string) => storeKeyOf(world.fake.baseUrl, { entity, id });
  /** Resolves once a connection is subscribed to the key's channel, as Redis itself counts them. */
  const subscribed = (key: string) =>
    waitFor(
      'a replica waiting on the channel',
      async () =>
        ((await admin.call('PUBSUB', 'NUMSUB', `exotel-webrtc:{${key}}:written`)) as [string, number])[1] ===
        1,
      5_000,
    );

  beforeAll(async () => {
    server = await RedisServer.start();
    logGuard.watch(server.password);
    admin = await connectAdmin(server.url);
    world = await startFakeWorld();
  });
  afterEach(async () => {
    // Closing the stores first releases any replica still waiting, so every start-up settles.
    await Promise.all(stores.splice(0).map((s) => s.close()));
    const apps = await Promise.allSettled(starting.splice(0));
    await Promise.all(apps.map((a) => (a.status === 'fulfilled' ? a.value.app.close() : undefined)));
  });
  afterAll(async () => {
    await closeClient(admin);
    await world?.fake.stop();
    await server?.stop();
  });

  it('a booting replica waits for the lease holder (no spin on a stored token that is due) and adopts its write', async () => {
    const holder = track(new RedisTokenStore({ url: server.url }));
    const store = track(new CountingStore({ url: server.url }));
    const key = keyOf('customer', world.customer.id);
    const now = Date.now();
    // Another replica's token is in its refresh window, and that replica holds the lease to refresh it.
    await holder.writeIfNewer(key, {
      token: 'due-token-of-other-replica',
      issuedAt: now - 40_000,
      expiresAt: now + 20_000,
    });
    expect(await holder.acquireLease(key, 'other-replica', 5_000)).toBe(true);

    const booting = boot({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      tokenTtlMs: 60_000,
      minRefreshLeadMs: 1_000,
      leaseTtlMs: 5_000,
      requestTimeoutMs: 2_000,
      store,
      logger: false,
    });
    // Parked on pub/sub after one lease attempt: a spinning replica would be back at acquireLease.
    await subscribed(key);
    expect(store.waits).toBe(1);
    expect(store.leases).toBe(1);
    await holder.writeIfNewer(key, {
      token: 'fresh-token-of-other-replica',
      issuedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    await holder.releaseLease(key, 'other-replica');
    const started = await booting;

    expect(await started.tokens.getToken('customer')).toBe('fresh-token-of-other-replica');
    expect(world.fake.mintAttempts(world.customer.id)).toBe(0);
    expect(store.leases).toBe(1);
    expect(store.waits).toBe(1);
  });

  it('a lease holder that gives up without writing (its mint failed): the waiting replica takes the lease and mints at once', async () => {
    const customer = world.fake.addCustomer();
    const holder = track(new RedisTokenStore({ url: server.url }));
    // Polling is off in effect: only the release message can wake the waiter before the 20 s lease ends.
    const store = track(new CountingStore({ url: server.url }, { pollIntervalMs: 600_000 }));
    const key = keyOf('customer', customer.id);
    expect(await holder.acquireLease(key, 'failing-replica', 20_000)).toBe(true);

    const booting = boot({
      baseUrl: world.fake.baseUrl,
      customer,
      leaseTtlMs: 20_000,
      requestTimeoutMs: 2_000,
      store,
      logger: false,
    });
    await subscribed(key);
    expect(store.waits).toBe(1);
    await holder.releaseLease(key, 'failing-replica');
    const started = await within(booting, 5_000, 'start-up after the release');

    expect(world.fake.mintCount(customer.id)).toBe(1);
    expect(store.leases).toBe(2);
    expect(store.waits).toBe(1);
    expect((await holder.read(key))?.token).toBe(await started.tokens.getToken('customer'));
  });

  it('two module instances on one Redis mint once and share the token', async () => {
    const options = { baseUrl: world.fake.baseUrl, app: world.app, logger: false as const };
    const [a, b] = [
      track(new RedisTokenStore({ url: server.url })),
      track(new RedisTokenStore({ url: server.url })),
    ];
    const [first, second] = await Promise.all([
      boot({ ...options, store: a }),
      boot({ ...options, store: b }),
    ]);
    expect(await first.tokens.getToken('app')).toBe(await second.tokens.getToken('app'));
    expect(world.fake.mintCount(world.app.id)).toBe(1);
  });

  it('Redis frozen (SIGSTOP): getToken and refresh mint locally with one warning; after SIGCONT a refresh is shared again', async () => {
    const customer = world.fake.addCustomer();
    const logger = new CaptureLogger();
    const store = track(new RedisTokenStore({ url: server.url }, { commandTimeoutMs: 200 }));
    const key = keyOf('customer', customer.id);
    const { tokens } = await boot({ baseUrl: world.fake.baseUrl, customer, store, logger, eager: false });
    // Connected before the freeze: Redis is slow, not unreachable (every command times out).
    expect(await store.read(key)).toBeUndefined();

    let first: string;
    let second: string;
    server.pause();
    try {
      first = await tokens.getToken('customer');
      second = await tokens.refresh('customer');
    } finally {
      server.resume();
    }
    expect(second).not.toBe(first);
    expect(world.fake.mintCount(customer.id)).toBe(2);
    expect(logger.at('warn')).toEqual([expect.stringContaining('Token store unavailable (RedisStoreError)')]);

    // The frozen server still runs what was sent to it (the local mints' writes) once resumed.
    await waitFor(
      'Redis to answer again',
      () =>
        store.read(key).then(
          () => true,
          () => false,
        ),
      5_000,
    );
    const third = await tokens.refresh('customer');
    expect(third).not.toBe(second);
    expect(world.fake.mintCount(customer.id)).toBe(3);
    const reader = track(new RedisTokenStore({ url: server.url }));
    expect((await reader.read(key))?.token).toBe(third);
    expect(logger.at('log').filter((line) => line.includes('reachable again'))).toHaveLength(1);
    expect(logger.at('warn')).toHaveLength(1);
  });
});
