import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { ExotelConfigError, type StoredToken } from 'nestjs-exotel-webrtc';
import { RedisStoreError, RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { logGuard } from '../support/log-guard-core.js';
import { closeClient, describeWithRedis, RedisServer, connectAdmin } from './redis-server.js';
import { watchStoreHandles } from './store-handles.js';
import { waitFor, within } from './wait-for.js';

const record = (token: string, issuedAt: number, ttl = 60_000): StoredToken => ({
  token,
  issuedAt,
  expiresAt: issuedAt + ttl,
});

describeWithRedis('RedisTokenStore against a real redis-server', () => {
  let server: RedisServer;
  let admin: Redis;
  const stores: RedisTokenStore[] = [];
  const open = (options: ConstructorParameters<typeof RedisTokenStore>[1] = {}, url = server.url) => {
    const store = new RedisTokenStore({ url }, options);
    stores.push(store);
    return store;
  };
  const key = () => randomUUID().replace(/-/g, '');
  const leaseOf = (k: string) => `exotel-webrtc:{${k}}:lease`;
  const channelOf = (k: string) => `exotel-webrtc:{${k}}:written`;
  /** Connections subscribed to `channel`, as Redis itself counts them. */
  const subscribers = async (channel: string) =>
    ((await admin.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
  const subscribed = (channel: string) =>
    waitFor(`a subscriber on ${channel}`, async () => (await subscribers(channel)) === 1, 5_000);
  /** Long enough that only a pub/sub message can end a wait inside a test. */
  const NEVER_MS = 600_000;

  beforeAll(async () => {
    server = await RedisServer.start();
    logGuard.watch(server.password);
    admin = await connectAdmin(server.url);
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    await closeClient(admin);
    await server?.stop();
  });

  describe('writeIfNewer', () => {
    it('keeps the record that expires last, whatever the order of writes', async () => {
      const store = open();
      const k = key();
      const now = Date.now();
      expect(await store.writeIfNewer(k, record('tok-b', now + 1000))).toBe(true);
      expect(await store.writeIfNewer(k, record('tok-a', now))).toBe(false);
      expect(await store.writeIfNewer(k, record('tok-same', now + 1000))).toBe(false);
      expect(await store.read(k)).toEqual({ ...record('tok-b', now + 1000), version: 1 });
      expect(await store.writeIfNewer(k, record('tok-c', now + 2000))).toBe(true);
      expect((await store.read(k))?.token).toBe('tok-c');
    });

    it('is atomic under concurrent writers: the latest expiry wins', async () => {
      const [a, b] = [open(), open()];
      const k = key();
      const now = Date.now();
      const offsets = Array.from({ length: 40 }, (_, i) => (i * 7) % 40);
      await Promise.all(
        offsets.map((offset, i) => (i % 2 ? a : b).writeIfNewer(k, record(`tok-${i}`, now + offset))),
      );
      expect((await a.read(k))?.token).toBe(`tok-${offsets.indexOf(Math.max(...offsets))}`);
    });

    it('namespaces keys under the prefix, expires them with the token and publishes only the expiry', async () => {
      const store = open({ keyPrefix: 'tenant-a' });
      const k = key();
      const messages: string[] = [];
      const listener = admin.duplicate();
      listener.on('error', () => undefined);
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      await listener.subscribe(`tenant-a:{${k}}:written`);
      const rec = record('secret-token-value', Date.now());
      await store.writeIfNewer(k, rec);
      expect(await admin.hget(`tenant-a:{${k}}`, 'expiresAt')).toBe(String(rec.expiresAt));
      expect(await admin.pttl(`tenant-a:{${k}}`)).toBeGreaterThan(0);
      expect(await admin.exists(`exotel-webrtc:{${k}}`)).toBe(0);
      try {
        await waitFor('the write to be announced', () => messages.length > 0, 1_000, 10);
        expect(messages).toEqual([String(rec.expiresAt)]);
      } finally {
        await closeClient(listener);
      }
    });
  });

  describe('lease', () => {
    it('is exclusive, released only by its owner, and frees itself on expiry', async () => {
      const [a, b] = [open(), open()];
      const k = key();
      expect(await a.acquireLease(k, 'owner-a', 10_000)).toBe(true);
      expect(await b.acquireLease(k, 'owner-b', 10_000)).toBe(false);
      await b.releaseLease(k, 'owner-b');
      expect(await admin.get(`exotel-webrtc:{${k}}:lease`)).toBe('owner-a');
      await a.releaseLease(k, 'owner-a');
      expect(await admin.exists(`exotel-webrtc:{${k}}:lease`)).toBe(0);

      expect(await b.acquireLease(k, 'owner-b', 50)).toBe(true);
      await waitFor('the short lease to expire', () => a.acquireLease(k, 'owner-a', 10_000), 2_000, 10);
      await b.releaseLease(k, 'owner-b');
      expect(await admin.get(`exotel-webrtc:{${k}}:lease`)).toBe('owner-a');
    });

    it("announces a release on the key's channel, and only when it deleted the lease", async () => {
      const store = open();
      const k = key();
      const messages: string[] = [];
      const listener = admin.duplicate();
      listener.on('error', () => undefined);
      listener.on('message', (_channel: string, message: string) => messages.push(message));
      try {
        await listener.subscribe(channelOf(k));
        expect(await store.acquireLease(k, 'owner-a', 10_000)).toBe(true);
        await store.releaseLease(k, 'someone-else');
        await store.releaseLease(k, 'owner-a');
        await store.releaseLease(k, 'owner-a');
        // Messages on one channel arrive in order: a publish by either refused release would come first.
        await waitFor('the release to be announced', () => messages.length > 0, 1_000, 10);
        expect(messages).toEqual(['released']);
      } finally {
        await closeClient(listener);
      }
    });

    it('lets a release already sent finish when the store closes', async () => {
      const k = key();
      await admin.set(leaseOf(k), 'owner-a', 'PX', 10_000);
      // A fresh store is still connecting: close() used to cut the release off ("not connected").
      const store = open();
      const releasing = store.releaseLease(k, 'owner-a');
      await store.close();
      await expect(releasing).resolves.toBeUndefined();
      expect(await admin.exists(leaseOf(k))).toBe(0);
    });

    it('does nothing, and does not fail, when asked to release after close (the lease expires by itself)', async () => {
      const store = open();
      const k = key();
      expect(await store.acquireLease(k, 'owner-a', 10_000)).toBe(true);
      await store.close();
      await expect(store.releaseLease(k, 'owner-a')).resolves.toBeUndefined();
      expect(await admin.get(leaseOf(k))).toBe('owner-a');
      expect(await admin.pttl(leaseOf(k))).toBeGreaterThan(0);
    });
  });

  describe('delete', () => {
    it('removes the record and the lease from Redis; reads find nothing and an older write is accepted', async () => {
      const [a, b] = [open(), open()];
      const k = key();
      const now = Date.now();
      await a.writeIfNewer(k, record('doomed-token', now + 5000));
      expect(await b.acquireLease(k, 'holder', 60_000)).toBe(true);

      await a.delete(k);

      expect(await admin.exists(`exotel-webrtc:{${k}}`, leaseOf(k))).toBe(0);
      expect(await a.read(k)).toBeUndefined();
      expect(await b.read(k)).toBeUndefined();
      expect(await b.writeIfNewer(k, record('older-token', now))).toBe(true);
      expect(await a.read(k)).toEqual({ ...record('older-token', now), version: 1 });
      // Nothing left to delete is no error; other keys are not touched.
      const other = key();
      await a.writeIfNewer(other, record('kept', now));
      await a.delete(key());
      expect((await a.read(other))?.token).toBe('kept');
    });

    it('wakes a replica waiting for the deleted lease at once, with undefined', async () => {
      const [waiter, holder] = [open({ pollIntervalMs: NEVER_MS }), open()];
      const k = key();
      expect(await holder.acquireLease(k, 'holder', 60_000)).toBe(true);
      const waiting = waiter.waitForNewer(k, 0, 60_000);
      await subscribed(channelOf(k));
      await holder.delete(k);
      await expect(within(waiting, 5_000, 'waking on the delete')).resolves.toBeUndefined();
    });

    it('announces a delete only when it removed a lease', async () => {
      const store = open();
      const [withLease, withoutLease] = [key(), key()];
      const messages: string[] = [];
      const listener = admin.duplicate();
      listener.on('error', () => undefined);
      listener.on('message', (channel: string, message: string) => messages.push(`${channel} ${message}`));
      try {
        await listener.subscribe(channelOf(withLease), channelOf(withoutLease));
        const rec = record('tok', Date.now());
        await store.writeIfNewer(withoutLease, rec);
        await waitFor('the write to be announced', () => messages.length === 1, 1_000, 10);
        await store.delete(withoutLease);
        expect(await store.acquireLease(withLease, 'holder', 60_000)).toBe(true);
        await store.delete(withLease);
        // One connection receives in publish order: a message for the first delete would come first.
        await waitFor('the delete to be announced', () => messages.length === 2, 1_000, 10);
        expect(messages).toEqual([
          `${channelOf(withoutLease)} ${rec.expiresAt}`,
          `${channelOf(withLease)} released`,
        ]);
      } finally {
        await closeClient(listener);
      }
    });

    it('rejects on a closed store', async () => {
      const store = open();
      await store.close();
      await expect(store.delete(key())).rejects.toThrow(/delete failed \(store closed\)/);
    });
  });

  describe('encryption at rest', () => {
    const hexKey = randomBytes(32).toString('hex');

    it('stores only ciphertext and reads the token back', async () => {
      const store = open({ encryptionKey: hexKey });
      const k = key();
      const rec = record('plain-token-7d1f', Date.now());
      await store.writeIfNewer(k, rec);
      const raw = JSON.stringify(await admin.hgetall(`exotel-webrtc:{${k}}`));
      expect(raw).not.toContain('plain-token-7d1f');
      expect(await store.read(k)).toEqual({ ...rec, version: 1 });
      // The same key given as base64 or a Buffer reads it too.
      expect(await open({ encryptionKey: Buffer.from(hexKey, 'hex').toString('base64') }).read(k)).toEqual({
        ...rec,
        version: 1,
      });
    });

    it('reports records it cannot open (never their token) and lets the next write replace them', async () => {
      const sealed = open({ encryptionKey: Buffer.from(hexKey, 'hex') });
      const other = open({ encryptionKey: randomBytes(32) });
      const plain = open();
      const k = key();
      const now = Date.now();
      await sealed.writeIfNewer(k, record('sealed-token', now + 5000));
      const unusable = (problem: RegExp) =>
        expect.objectContaining({ token: '', version: 1, problem: expect.stringMatching(problem) });
      expect(await plain.read(k)).toEqual(unusable(/encryption key this replica does not have/));
      expect(await other.read(k)).toEqual(unusable(/another encryption key/));
      // A replica with another key cannot use the record, so its write (even an older one) replaces it.
      expect(await other.writeIfNewer(k, record('other-token', now))).toBe(true);
      expect((await other.read(k))?.token).toBe('other-token');
      expect((await sealed.read(k))?.problem).toMatch(/another encryption key/);
    });

    it('refuses a tampered record', async () => {
      const store = open({ encryptionKey: hexKey });
      const k = key();
      const rec = record('tok', Date.now());
      await store.writeIfNewer(k, rec);
      await admin.hset(`exotel-webrtc:{${k}}`, 'expiresAt', String(rec.expiresAt + 86_400_000));
      expect(await store.read(k)).toEqual({
        token: '',
        issuedAt: rec.issuedAt,
        expiresAt: rec.expiresAt + 86_400_000,
        version: 1,
        problem: 'does not decrypt: altered, moved or corrupted',
      });
    });

    it('rejects a bad key at construction without printing it', () => {
      const bad = 'correct horse battery staple, not a key';
      const attempt = () => new RedisTokenStore({ url: server.url }, { encryptionKey: bad });
      expect(attempt).toThrow(ExotelConfigError);
      expect(attempt).toThrow(/encryptionKey: must be 32 bytes/);
      try {
        attempt();
      } catch (error) {
        expect(String((error as Error).message)).not.toContain(bad);
      }
      expect(() => new RedisTokenStore({ url: server.url }, { encryptionKey: randomBytes(16) })).toThrow(
        /got 16 bytes/,
      );
    });
  });

  describe('waitForNewer', () => {
    it('wakes on the pub/sub message of a write and unsubscribes afterwards', async () => {
      // Polling is off in effect: if pub/sub did not wake the waiter, nothing would.
      const [waiter, writer] = [open({ pollIntervalMs: NEVER_MS }), open()];
      const k = key();
      const now = Date.now();
      await writer.writeIfNewer(k, record('old', now));
      expect(await writer.acquireLease(k, 'holder', 60_000)).toBe(true);
      const waiting = waiter.waitForNewer(k, now + 60_000, 60_000);
      await subscribed(channelOf(k));
      await writer.writeIfNewer(k, record('new', now + 1));
      expect((await within(waiting, 5_000, 'waking on the write'))?.token).toBe('new');
      await waitFor('the unsubscribe', async () => (await subscribers(channelOf(k))) === 0, 2_000, 10);
    });

    it('wakes with undefined when the holder releases the lease without writing (its mint failed)', async () => {
      const [waiter, holder] = [open({ pollIntervalMs: NEVER_MS }), open()];
      const k = key();
      const now = Date.now();
      await holder.writeIfNewer(k, record('old', now));
      expect(await holder.acquireLease(k, 'holder', 60_000)).toBe(true);
      let settled = false;
      const waiting = waiter.waitForNewer(k, now + 61_000, 60_000).finally(() => (settled = true));
      await subscribed(channelOf(k));
      // A write the waiter does not want (not newer than `after`) does not end the wait.
      await holder.writeIfNewer(k, record('still-old', now + 10));
      expect(await admin.exists(leaseOf(k))).toBe(1);
      expect(settled).toBe(false);
      await holder.releaseLease(k, 'holder');
      // Resolved long before both its 60 s timeout and its (disabled) poll.
      await expect(within(waiting, 5_000, 'waking on the release')).resolves.toBeUndefined();
    });

    it('returns the write of a holder that wrote and then released, even when it hears both at once', async () => {
      const [waiter, holder] = [open({ pollIntervalMs: NEVER_MS }), open()];
      const k = key();
      const now = Date.now();
      expect(await holder.acquireLease(k, 'holder', 60_000)).toBe(true);
      const waiting = waiter.waitForNewer(k, now, 60_000);
      await subscribed(channelOf(k));
      await Promise.all([holder.writeIfNewer(k, record('fresh', now)), holder.releaseLease(k, 'holder')]);
      expect((await within(waiting, 5_000, 'waking on the write'))?.token).toBe('fresh');
    });

    it('notices within one poll interval that a dead holder let its lease expire', async () => {
      const waiter = open({ pollIntervalMs: 100 });
      const k = key();
      await admin.set(leaseOf(k), 'dead-holder', 'PX', 400);
      const waiting = waiter.waitForNewer(k, 0, 60_000);
      await expect(within(waiting, 5_000, 'noticing the expired lease')).resolves.toBeUndefined();
      expect(await admin.exists(leaseOf(k))).toBe(0);
    });

    it('returns a record written before it subscribed; undefined at once without a holder, or on timeout', async () => {
      const store = open();
      const k = key();
      const now = Date.now();
      await store.writeIfNewer(k, record('there', now));
      expect((await store.waitForNewer(k, 0, 5000))?.token).toBe('there');
      // Nobody holds the lease, so no write is coming: the caller should take the lease itself.
      await expect(
        within(store.waitForNewer(k, now + 60_000, 60_000), 5_000, 'giving up'),
      ).resolves.toBeUndefined();
      await admin.set(leaseOf(k), 'slow-holder', 'PX', 60_000);
      expect(await store.waitForNewer(k, now + 60_000, 300)).toBeUndefined();
    });

    it('is released by close()', async () => {
      const store = open({ pollIntervalMs: NEVER_MS });
      const k = key();
      await admin.set(leaseOf(k), 'holder', 'PX', 60_000);
      const waiting = store.waitForNewer(k, 0, 60_000);
      await subscribed(channelOf(k));
      await store.close();
      await expect(within(waiting, 2_000, 'release by close()')).resolves.toBeUndefined();
    });

    it('rejects a poll interval that is not a positive integer', () => {
      for (const pollIntervalMs of [0, -1, 1.5, 2 ** 31, Number.NaN, '1000' as never]) {
        expect(() => new RedisTokenStore({ url: server.url }, { pollIntervalMs })).toThrow(
          /pollIntervalMs: must be a positive integer/,
        );
      }
    });
  });

  describe('connections', () => {
    it('leaves a caller-owned client open but closes the subscriber it made', async () => {
      const client = new Redis(server.url);
      client.on('error', () => undefined);
      const store = new RedisTokenStore({ client });
      const k = key();
      await admin.set(leaseOf(k), 'holder', 'PX', 60_000);
      const waiting = store.waitForNewer(k, 0, 20_000);
      await store.writeIfNewer(k, record('via-client', Date.now()));
      expect((await waiting)?.token).toBe('via-client');
      const named = async () =>
        ((await admin.client('LIST')) as string)
          .split('\n')
          .filter((l) => l.includes('name=nestjs-exotel-webrtc')).length;
      expect(await named()).toBe(1);
      await store.close();
      expect(await named()).toBe(0);
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      await client.quit();
    });

    it('shows neither the Redis password nor tokens in toJSON or inspect', async () => {
      const store = open({ encryptionKey: randomBytes(32) });
      await store.writeIfNewer(key(), record('visible-token?', Date.now()));
      const printed = `${JSON.stringify(store)} ${inspect(store, { depth: 10, showHidden: true })} ${inspect({ store })}`;
      expect(printed).not.toContain(server.password);
      expect(printed).not.toContain('visible-token?');
      expect(JSON.parse(JSON.stringify(store))).toEqual({
        store: 'RedisTokenStore',
        redis: `redis://***@127.0.0.1:${server.port}`,
        keyPrefix: 'exotel-webrtc',
        encrypted: 'true',
      });
    });

    it('rejects a URL that is not redis:// without echoing it', () => {
      const url = `http://user:${server.password}@example.com`;
      expect(() => new RedisTokenStore({ url })).toThrow(ExotelConfigError);
      expect(() => new RedisTokenStore({ url })).not.toThrow(server.password);
      expect(() => new RedisTokenStore(server.url as never)).toThrow(/pass \{ url/);
      expect(() => new RedisTokenStore({ client: {} as never })).toThrow(/must be an ioredis Redis instance/);
    });

    it('rejects a key prefix with braces, which would replace the hash tag that keeps a key in one slot', () => {
      for (const keyPrefix of ['{tenant}', 'a{b', 'a}b']) {
        expect(() => new RedisTokenStore({ url: server.url }, { keyPrefix })).toThrow(
          /keyPrefix: must not contain \{ or \}/,
        );
      }
    });
  });

  describe('outage', () => {
    it('fails fast while Redis is down or stalled, without leaking the password, and recovers by itself', async () => {
      const store = open({ commandTimeoutMs: 300 });
      const k = key();
      await store.writeIfNewer(k, record('before', Date.now()));

      server.pause();
      let stalled: unknown;
      try {
        stalled = await store.read(k).catch((e: unknown) => e);
      } finally {
        server.resume();
      }
      expect(stalled).toBeInstanceOf(RedisStoreError);
      expect((stalled as RedisStoreError).reason).toBe('timed out');
      expect((await store.read(k))?.token).toBe('before');

      await server.stop();
      const errors: unknown[] = [];
      try {
        for (let i = 0; i < 50 && errors.length < 3; i++) {
          const outcome = await store.acquireLease(k, 'x', 1000).catch((e: unknown) => e);
          if (outcome instanceof Error) errors.push(outcome);
        }
      } finally {
        await server.start();
      }
      const last = errors.at(-1) as RedisStoreError;
      expect(last).toBeInstanceOf(RedisStoreError);
      expect(last.reason).toBe('not connected');
      expect(errors.map((e) => `${(e as Error).message} ${inspect(e)}`).join(' ')).not.toContain(
        server.password,
      );

      // Redis came back empty (no persistence); the store reconnects without help.
      await waitFor(
        'the store to write again',
        () => store.writeIfNewer(k, record('after', Date.now())).catch(() => false),
        5_000,
      );
      expect((await store.read(k))?.token).toBe('after');
    });

    it('closes promptly during an outage, leaving no timers or sockets behind', async () => {
      // A steady baseline: the suite's admin client may still be reconnecting after the restart above.
      await waitFor(
        'the admin client to be connected',
        async () => admin.status === 'ready' && (await admin.ping()) === 'PONG',
      );
      const handles = watchStoreHandles();
      const own = await RedisServer.start();
      const store = new RedisTokenStore({ url: own.url }, { commandTimeoutMs: 300 });
      try {
        // Opens both connections: the main one and the subscriber.
        await store.waitForNewer(key(), 0, 10);
        await waitFor('both connections to be open', () => handles.sockets() >= 2, 5_000);
        await own.stop();
        await expect(store.read(key())).rejects.toThrow(RedisStoreError);
        // Both connections are now between reconnect attempts, with ioredis' retry timers armed.
        await within(store.close(), 1_000, 'close()');
        expect(handles.leftovers()).toEqual([]);
        await expect(store.read(key())).rejects.toThrow(/store closed/);
      } finally {
        handles.stop();
        await store.close();
        await own.stop();
      }
    });

    it('waits (bounded) for the first connection so a store used right away still works', async () => {
      const store = open();
      expect(await store.read(key())).toBeUndefined();
    });
  });
});
