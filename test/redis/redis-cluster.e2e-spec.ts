import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { inspect } from 'node:util';
import type { StoredToken, TokenService } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { storeKeyOf } from '../../lib/token/slot-registry.js';
import { createExotelApp, startFakeWorld, worldOptions, type FakeWorld } from '../support/exotel-app.js';
import { logGuard } from '../support/log-guard-core.js';
import { describeWithRedisCluster, RedisCluster } from './redis-cluster.js';
import { closeClient } from './redis-server.js';
import { watchStoreHandles } from './store-handles.js';
import { waitFor, within } from './wait-for.js';

const record = (token: string, issuedAt: number, ttl = 60_000): StoredToken => ({
  token,
  issuedAt,
  expiresAt: issuedAt + ttl,
});
const recordOf = (k: string) => `exotel-webrtc:{${k}}`;
const leaseOf = (k: string) => `exotel-webrtc:{${k}}:lease`;
const channelOf = (k: string) => `exotel-webrtc:{${k}}:written`;
/** Long enough that only a pub/sub message can end a wait inside a test. */
const NEVER_MS = 600_000;

describeWithRedisCluster('RedisTokenStore on a real 3-master Redis Cluster', () => {
  let cluster: RedisCluster;
  /** Clients the tests own, each closed after its test. */
  const clients: Cluster[] = [];
  const stores: RedisTokenStore[] = [];

  const connect = async (): Promise<Cluster> => {
    const client = await cluster.client();
    clients.push(client);
    return client;
  };
  const open = async (options: ConstructorParameters<typeof RedisTokenStore>[1] = {}) => {
    const store = new RedisTokenStore({ client: await connect() }, options);
    stores.push(store);
    return store;
  };
  let run = 0;
  /**
   * Store keys named `<name>-<n>`, the first found for each master: so a test covers every master,
   * whatever slots the cluster gave each. A key's slot is that of its hash tag, the key itself.
   */
  const keysOnEveryMaster = async (name: string): Promise<string[]> => {
    const byMaster = new Map<string, string>();
    const prefix = `${name}-${run++}`;
    for (let n = 0; n < 1_000 && byMaster.size < cluster.nodes.length; n++) {
      const key = `${prefix}-${n}`;
      const master = await cluster.masterOf(recordOf(key));
      if (!byMaster.has(master)) byMaster.set(master, key);
    }
    expect([...byMaster.keys()].sort()).toEqual([...cluster.addresses].sort());
    return [...byMaster.values()];
  };
  const subscribed = (channel: string) =>
    waitFor(`a subscriber on ${channel}`, async () => (await cluster.subscribers(channel)) === 1, 5_000);

  beforeAll(async () => {
    cluster = await RedisCluster.start(3);
    logGuard.watch(cluster.password);
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(clients.splice(0).map((client) => closeClient(client)));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  describe('store operations', () => {
    it("keeps a credential's record, lease and channel in one slot, and spreads credentials over every master", async () => {
      const keys = await keysOnEveryMaster('layout');
      const store = await open();
      const now = Date.now();
      for (const k of keys) {
        const slot = await cluster.slotOf(k);
        expect([
          await cluster.slotOf(recordOf(k)),
          await cluster.slotOf(leaseOf(k)),
          await cluster.slotOf(channelOf(k)),
        ]).toEqual([slot, slot, slot]);
        expect(await store.writeIfNewer(k, record(`tok-${k}`, now))).toBe(true);
        expect(await store.acquireLease(k, 'owner', 10_000)).toBe(true);
        // Asked of the master that serves the slot, on a plain connection: no redirect could hide a miss.
        expect(await cluster.exists(recordOf(k))).toBe(true);
        expect(await cluster.exists(leaseOf(k))).toBe(true);
      }
      const masters = await Promise.all(keys.map((k) => cluster.masterOf(recordOf(k))));
      expect(new Set(masters).size).toBe(3);
    });

    it('read, writeIfNewer, lease and delete behave as on one server, on keys of every master', async () => {
      const [a, b] = [await open(), await open()];
      const now = Date.now();
      for (const k of await keysOnEveryMaster('ops')) {
        expect(await a.writeIfNewer(k, record('tok-b', now + 1000))).toBe(true);
        expect(await b.writeIfNewer(k, record('tok-a', now))).toBe(false);
        expect(await b.read(k)).toEqual({ ...record('tok-b', now + 1000), version: 1 });

        expect(await a.acquireLease(k, 'owner-a', 10_000)).toBe(true);
        expect(await b.acquireLease(k, 'owner-b', 10_000)).toBe(false);
        await b.releaseLease(k, 'owner-b');
        expect(await cluster.exists(leaseOf(k))).toBe(true);
        await a.releaseLease(k, 'owner-a');
        expect(await cluster.exists(leaseOf(k))).toBe(false);

        expect(await b.acquireLease(k, 'owner-b', 10_000)).toBe(true);
        await a.delete(k);
        expect(await cluster.exists(recordOf(k))).toBe(false);
        expect(await cluster.exists(leaseOf(k))).toBe(false);
        expect(await a.read(k)).toBeUndefined();
        expect(await b.read(k)).toBeUndefined();
        // Deleting again is no error; an older record than the deleted one is now the newest.
        await b.delete(k);
        expect(await b.writeIfNewer(k, record('tok-older', now - 1000))).toBe(true);
        expect((await a.read(k))?.token).toBe('tok-older');
      }
    });

    it('waitForNewer is woken through the cluster by a write, a release and a delete, on keys of every master', async () => {
      // Polling is off in effect: if pub/sub did not wake the waiter, nothing would.
      const [waiter, holder] = [await open({ pollIntervalMs: NEVER_MS }), await open()];
      const now = Date.now();
      for (const k of await keysOnEveryMaster('wait')) {
        expect(await holder.acquireLease(k, 'holder', 60_000)).toBe(true);
        const woken = waiter.waitForNewer(k, now, 60_000);
        await subscribed(channelOf(k));
        const fresh = record(`fresh-${k}`, now + 1);
        await holder.writeIfNewer(k, fresh);
        expect((await within(woken, 5_000, 'waking on the write'))?.token).toBe(fresh.token);

        // From here on the stored record is not newer than what the waiter asks for.
        const released = waiter.waitForNewer(k, fresh.expiresAt, 60_000);
        await subscribed(channelOf(k));
        await holder.releaseLease(k, 'holder');
        await expect(within(released, 5_000, 'waking on the release')).resolves.toBeUndefined();

        expect(await holder.acquireLease(k, 'holder', 60_000)).toBe(true);
        const deleted = waiter.waitForNewer(k, fresh.expiresAt, 60_000);
        await subscribed(channelOf(k));
        await holder.delete(k);
        await expect(within(deleted, 5_000, 'waking on the delete')).resolves.toBeUndefined();
        await waitFor('the unsubscribe', async () => (await cluster.subscribers(channelOf(k))) === 0, 2_000);
      }
    });
  });

  describe('connections', () => {
    it("never quits the caller's Cluster, closes the copy it made for pub/sub, and leaves no sockets or timers", async () => {
      const handles = watchStoreHandles();
      const client = await cluster.client();
      const store = new RedisTokenStore({ client });
      try {
        const [k] = await keysOnEveryMaster('handles');
        // Opens the store's own Cluster copy for pub/sub.
        expect(await store.waitForNewer(k, 0, 10)).toBeUndefined();
        await store.writeIfNewer(k, record('via-cluster', Date.now()));
        await store.close();
        expect(client.status).toBe('ready');
        expect(await client.hget(recordOf(k), 'token')).toBe('via-cluster');
      } finally {
        await store.close();
        await closeClient(client);
        handles.stop();
      }
      expect(handles.leftovers()).toEqual([]);
    });

    it('accepts a Cluster as client and shows neither the password nor tokens in toJSON or inspect', async () => {
      const store = await open({ encryptionKey: Buffer.alloc(32, 7) });
      const [k] = await keysOnEveryMaster('print');
      await store.writeIfNewer(k, record('visible-token?', Date.now()));
      const printed = `${JSON.stringify(store)} ${inspect(store, { depth: 10, showHidden: true })} ${inspect({ store })}`;
      expect(printed).not.toContain(cluster.password);
      expect(printed).not.toContain('visible-token?');
      expect(JSON.parse(JSON.stringify(store))).toEqual({
        store: 'RedisTokenStore',
        redis: 'cluster client',
        keyPrefix: 'exotel-webrtc',
        encrypted: 'true',
      });
    });
  });

  describe('two Nest apps sharing the cluster', () => {
    let world: FakeWorld;
    const apps: INestApplication[] = [];

    beforeAll(async () => {
      world = await startFakeWorld();
    });
    afterEach(async () => {
      // Module destroy closes each app's store; the stores leave their clients to afterEach above.
      await Promise.all(apps.splice(0).map((app) => app.close()));
    });
    afterAll(async () => {
      await world?.fake.stop();
    });

    const boot = async (store: RedisTokenStore): Promise<TokenService> => {
      const { app, tokens } = await createExotelApp(worldOptions(world, { store }));
      apps.push(app);
      return tokens;
    };

    it('cold start: app A mints each credential once, app B adopts them, and a deleted record is gone for both', async () => {
      const credentials = [
        { entity: 'customer', app: undefined, id: world.customer.id },
        { entity: 'app', app: 'default', id: world.app.id },
        { entity: 'app', app: 'support', id: world.support.id },
      ] as const;
      const keyOf = (entity: 'customer' | 'app', id: string) =>
        storeKeyOf(world.fake.baseUrl, { entity, id });
      const storeA = new RedisTokenStore({ client: await connect() });
      const storeB = new RedisTokenStore({ client: await connect() });
      for (const { entity, id } of credentials) expect(await storeA.read(keyOf(entity, id))).toBeUndefined();

      const tokensA = await boot(storeA);
      const tokensB = await boot(storeB);

      for (const { entity, app, id } of credentials) {
        const key = keyOf(entity, id);
        const token = await tokensA.getToken(entity, app);
        expect(await tokensB.getToken(entity, app)).toBe(token);
        expect(world.fake.mintCount(id)).toBe(1);
        expect((await storeB.read(key))?.token).toBe(token);
        expect(await cluster.exists(recordOf(key))).toBe(true);
      }

      const appKey = keyOf('app', world.app.id);
      await storeB.delete(appKey);
      expect(await cluster.exists(recordOf(appKey))).toBe(false);
      expect(await cluster.exists(leaseOf(appKey))).toBe(false);
      expect(await storeA.read(appKey)).toBeUndefined();
      expect(await storeB.read(appKey)).toBeUndefined();
      // The other credentials' records stay.
      expect(await storeA.read(keyOf('customer', world.customer.id))).toBeDefined();
      expect(world.fake.mintCount(world.app.id)).toBe(1);

      await Promise.all(apps.splice(0).map((app) => app.close()));
      // Closing the apps closed their stores, but not the clients the test gave them.
      for (const client of clients) expect(client.status).toBe('ready');
    });
  });
});
