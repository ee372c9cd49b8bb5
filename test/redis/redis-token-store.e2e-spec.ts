import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { ExotelConfigError, type StoredToken } from 'nestjs-exotel-webrtc';
import { RedisStoreError, RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { logGuard } from '../support/log-guard-core.js';
import { closeClient, describeWithRedis, RedisServer } from './redis-server.js';

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

  beforeAll(async () => {
    server = await RedisServer.start();
    logGuard.watch(server.password);
    admin = new Redis(server.url, { lazyConnect: true, disconnectTimeout: 200 });
    admin.on('error', () => undefined);
    await admin.connect();
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
      expect(await store.read(k)).toEqual(record('tok-b', now + 1000));
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
      await listener.subscribe(`tenant-a:${k}:written`);
      const rec = record('secret-token-value', Date.now());
      await store.writeIfNewer(k, rec);
      expect(await admin.hget(`tenant-a:${k}`, 'expiresAt')).toBe(String(rec.expiresAt));
      expect(await admin.pttl(`tenant-a:${k}`)).toBeGreaterThan(0);
      expect(await admin.exists(`exotel-webrtc:${k}`)).toBe(0);
      for (let i = 0; i < 100 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(messages).toEqual([String(rec.expiresAt)]);
      await listener.quit();
    });
  });

  describe('lease', () => {
    it('is exclusive, released only by its owner, and frees itself on expiry', async () => {
      const [a, b] = [open(), open()];
      const k = key();
      expect(await a.acquireLease(k, 'owner-a', 10_000)).toBe(true);
      expect(await b.acquireLease(k, 'owner-b', 10_000)).toBe(false);
      await b.releaseLease(k, 'owner-b');
      expect(await admin.get(`exotel-webrtc:${k}:lease`)).toBe('owner-a');
      await a.releaseLease(k, 'owner-a');
      expect(await admin.exists(`exotel-webrtc:${k}:lease`)).toBe(0);

      expect(await b.acquireLease(k, 'owner-b', 50)).toBe(true);
      let taken = false;
      for (let i = 0; i < 200 && !taken; i++) {
        taken = await a.acquireLease(k, 'owner-a', 10_000);
        if (!taken) await new Promise((r) => setTimeout(r, 10));
      }
      expect(taken).toBe(true);
      await b.releaseLease(k, 'owner-b');
      expect(await admin.get(`exotel-webrtc:${k}:lease`)).toBe('owner-a');
    });
  });

  describe('encryption at rest', () => {
    const hexKey = randomBytes(32).toString('hex');

    it('stores only ciphertext and reads the token back', async () => {
      const store = open({ encryptionKey: hexKey });
      const k = key();
      const rec = record('plain-token-7d1f', Date.now());
      await store.writeIfNewer(k, rec);
      const raw = JSON.stringify(await admin.hgetall(`exotel-webrtc:${k}`));
      expect(raw).not.toContain('plain-token-7d1f');
      expect(await store.read(k)).toEqual(rec);
      // The same key given as base64 or a Buffer reads it too.
      expect(await open({ encryptionKey: Buffer.from(hexKey, 'hex').toString('base64') }).read(k)).toEqual(
        rec,
      );
    });

    it('ignores records it cannot open and lets the next write replace them', async () => {
      const sealed = open({ encryptionKey: Buffer.from(hexKey, 'hex') });
      const other = open({ encryptionKey: randomBytes(32) });
      const plain = open();
      const k = key();
      const now = Date.now();
      await sealed.writeIfNewer(k, record('sealed-token', now + 5000));
      expect(await plain.read(k)).toBeUndefined();
      expect(await other.read(k)).toBeUndefined();
      // A replica with another key cannot use the record, so its write (even an older one) replaces it.
      expect(await other.writeIfNewer(k, record('other-token', now))).toBe(true);
      expect((await other.read(k))?.token).toBe('other-token');
      expect(await sealed.read(k)).toBeUndefined();
    });

    it('refuses a tampered record', async () => {
      const store = open({ encryptionKey: hexKey });
      const k = key();
      const rec = record('tok', Date.now());
      await store.writeIfNewer(k, rec);
      await admin.hset(`exotel-webrtc:${k}`, 'expiresAt', String(rec.expiresAt + 86_400_000));
      expect(await store.read(k)).toBeUndefined();
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
      const [waiter, writer] = [open(), open()];
      const k = key();
      const channel = `exotel-webrtc:${k}:written`;
      const now = Date.now();
      await writer.writeIfNewer(k, record('old', now));
      const waiting = waiter.waitForNewer(k, now + 60_000, 20_000);
      const subscribed = async () => ((await admin.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
      for (let i = 0; i < 200 && (await subscribed()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await subscribed()).toBe(1);
      await writer.writeIfNewer(k, record('new', now + 1));
      expect((await waiting)?.token).toBe('new');
      for (let i = 0; i < 200 && (await subscribed()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await subscribed()).toBe(0);
    });

    it('returns a record written before it subscribed, and undefined when nothing newer comes', async () => {
      const store = open();
      const k = key();
      const now = Date.now();
      await store.writeIfNewer(k, record('there', now));
      expect((await store.waitForNewer(k, 0, 5000))?.token).toBe('there');
      expect(await store.waitForNewer(k, now + 60_000, 300)).toBeUndefined();
    });

    it('is released by close()', async () => {
      const store = open();
      const waiting = store.waitForNewer(key(), 0, 60_000);
      await new Promise((r) => setTimeout(r, 50));
      await store.close();
      await expect(waiting).resolves.toBeUndefined();
    });
  });

  describe('connections', () => {
    it('leaves a caller-owned client open but closes the subscriber it made', async () => {
      const client = new Redis(server.url);
      client.on('error', () => undefined);
      const store = new RedisTokenStore({ client });
      const k = key();
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
  });

  describe('outage', () => {
    it('fails fast while Redis is down or stalled, without leaking the password, and recovers by itself', async () => {
      const store = open({ commandTimeoutMs: 300 });
      const k = key();
      await store.writeIfNewer(k, record('before', Date.now()));

      server.pause();
      const stalled = await store.read(k).catch((e: unknown) => e);
      expect(stalled).toBeInstanceOf(RedisStoreError);
      expect((stalled as RedisStoreError).reason).toBe('timed out');
      server.resume();
      expect((await store.read(k))?.token).toBe('before');

      await server.stop();
      const errors: unknown[] = [];
      for (let i = 0; i < 50 && errors.length < 3; i++) {
        const outcome = await store.acquireLease(k, 'x', 1000).catch((e: unknown) => e);
        if (outcome instanceof Error) errors.push(outcome);
      }
      await server.start();
      const last = errors.at(-1) as RedisStoreError;
      expect(last).toBeInstanceOf(RedisStoreError);
      expect(last.reason).toBe('not connected');
      expect(errors.map((e) => `${(e as Error).message} ${inspect(e)}`).join(' ')).not.toContain(
        server.password,
      );

      // Redis came back empty (no persistence); the store reconnects without help.
      let written = false;
      for (let i = 0; i < 200 && !written; i++) {
        written = await store.writeIfNewer(k, record('after', Date.now())).catch(() => false);
        if (!written) await new Promise((r) => setTimeout(r, 25));
      }
      expect(written).toBe(true);
      expect((await store.read(k))?.token).toBe('after');
    });

    it('closes promptly during an outage, leaving no timers or sockets behind', async () => {
      const own = await RedisServer.start();
      const store = new RedisTokenStore({ url: own.url }, { commandTimeoutMs: 300 });
      await store.waitForNewer(key(), 0, 10);
      await own.stop();
      await expect(store.read(key())).rejects.toThrow(RedisStoreError);
      await store.close();
      await expect(store.read(key())).rejects.toThrow(/store closed/);
    });

    it('waits (bounded) for the first connection so a store used right away still works', async () => {
      const store = open();
      expect(await store.read(key())).toBeUndefined();
    });
  });
});
