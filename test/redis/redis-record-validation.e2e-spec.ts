import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type ExotelWebrtcModuleOptions,
  fingerprint,
  type StoredToken,
  type TokenService,
} from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { MintCoordinator } from '../../lib/token/mint-coordinator.js';
import { storeKeyOf } from '../../lib/token/slot-registry.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { createExotelApp } from '../support/exotel-app.js';
import { logGuard } from '../support/log-guard-core.js';
import { closeClient, connectAdmin, describeWithRedis, RedisServer } from './redis-server.js';
import { CountingStore } from './counting-store.js';
import { waitFor, within } from './wait-for.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TTL = 90 * DAY;

type Started = { app: INestApplication; tokens: TokenService };

/** A replica whose clock is `offsetMs` off: only its coordinator (which stamps and judges records) sees it. */
function clockOffBy(offsetMs: number): typeof MintCoordinator {
  return class OffClock extends MintCoordinator {
    protected override now(): number {
      return Date.now() + offsetMs;
    }
  };
}

describeWithRedis(
  'shared records are validated, ordered by the store, and refusals are shared (real redis-server)',
  () => {
    let server: RedisServer;
    let admin: Redis;
    let fake: FakeExotelServer;
    const stores: RedisTokenStore[] = [];
    const starting: Promise<Started>[] = [];
    const hexKey = randomBytes(32).toString('hex');

    const open = <S extends RedisTokenStore = RedisTokenStore>(
      encrypted = false,
      Store: new (...args: ConstructorParameters<typeof RedisTokenStore>) => S = RedisTokenStore as never,
    ): S => {
      const store = new Store({ url: server.url }, encrypted ? { encryptionKey: hexKey } : {});
      stores.push(store);
      return store;
    };
    const boot = (
      options: Partial<ExotelWebrtcModuleOptions> & { store: RedisTokenStore },
      coordinator?: typeof MintCoordinator,
    ): Promise<Started> => {
      const started = createExotelApp(
        { baseUrl: fake.baseUrl, tokenTtlMs: TTL, logger: false, ...options },
        (b) => (coordinator ? b.overrideProvider(MintCoordinator).useClass(coordinator) : b),
      );
      starting.push(started);
      return started;
    };
    const keyOf = (id: string) => storeKeyOf(fake.baseUrl, { entity: 'customer', id });
    const recordKey = (key: string) => `exotel-webrtc:{${key}}`;
    const newest = (id: string) => fake.tokensOf(id).at(-1)!;

    beforeAll(async () => {
      server = await RedisServer.start();
      logGuard.watch(server.password);
      admin = await connectAdmin(server.url);
      fake = await new FakeExotelServer({ tokenTtlMs: TTL }).start();
    });
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      const apps = await Promise.allSettled(starting.splice(0));
      await Promise.all(apps.map((a) => (a.status === 'fulfilled' ? a.value.app.close() : undefined)));
      fake.setRevokeOnMint(false);
    });
    afterAll(async () => {
      await closeClient(admin);
      await fake?.stop();
      await server?.stop();
    });

    describe('a bad record written by hand is never served, reported once as invalid, and replaced by the next mint', () => {
      const now = Date.now();
      const hash = (fields: Record<string, string>) => (key: string) => admin.hset(recordKey(key), fields);
      const plain = { kid: '', version: '4' };
      const cases: Array<{
        name: string;
        write: (key: string) => Promise<unknown>;
        reason: RegExp;
        sealed?: boolean;
      }> = [
        {
          name: 'a string at the record key (WRONGTYPE)',
          write: (k) => admin.set(recordKey(k), 'not-a-record'),
          reason: /holds a Redis string, not a record hash/,
        },
        {
          name: 'a list at the record key',
          write: (k) => admin.rpush(recordKey(k), 'a', 'b'),
          reason: /holds a Redis list/,
        },
        {
          name: 'a hash without the token',
          write: hash({ ...plain, issuedAt: String(now), expiresAt: String(now + DAY) }),
          reason: /no token/,
        },
        {
          name: 'a hash without expiresAt',
          write: hash({ ...plain, token: 'tok-missing-expiry', issuedAt: String(now) }),
          reason: /expiresAt is not a finite number/,
        },
        {
          name: 'a non-numeric expiresAt',
          write: hash({ ...plain, token: 'tok-non-numeric', issuedAt: String(now), expiresAt: 'tomorrow' }),
          reason: /expiresAt is not a finite number/,
        },
        {
          name: 'an infinite expiresAt',
          write: hash({ ...plain, token: 'tok-infinite', issuedAt: String(now), expiresAt: '1e999' }),
          reason: /expiresAt is not a finite number/,
        },
        {
          name: 'an unencrypted garbage token with a 10-year expiry',
          write: hash({
            ...plain,
            token: 'garbage token\r\nX-Evil: 1',
            issuedAt: String(now),
            expiresAt: String(now + 3650 * DAY),
          }),
          reason: /not a header-safe string/,
        },
        {
          name: 'a well-formed token with a 10-year expiry',
          write: hash({
            ...plain,
            token: 'tok-ten-years',
            issuedAt: String(now),
            expiresAt: String(now + 3650 * DAY),
          }),
          reason: /a lifetime longer than tokenTtlMs/,
        },
        {
          name: 'a record issued a day in the future',
          write: hash({
            ...plain,
            token: 'tok-future',
            issuedAt: String(now + DAY),
            expiresAt: String(now + DAY + TTL),
          }),
          reason: /issued in the future/,
        },
        {
          name: 'corrupted ciphertext under the same key id',
          sealed: true,
          write: async (k) => {
            const writer = open(true);
            await writer.writeIfNewer(k, { token: 'tok-sealed', issuedAt: now, expiresAt: now + DAY });
            await admin.hset(recordKey(k), 'token', randomBytes(48).toString('base64'));
          },
          reason: /does not decrypt/,
        },
        {
          name: 'a far-future expiry given to a sealed record',
          sealed: true,
          write: async (k) => {
            const writer = open(true);
            await writer.writeIfNewer(k, { token: 'tok-sealed', issuedAt: now, expiresAt: now + DAY });
            await admin.hset(recordKey(k), 'expiresAt', String(now + 3650 * DAY));
          },
          reason: /does not decrypt/,
        },
      ];

      it.each(cases)('$name', async ({ write, reason, sealed }) => {
        const customer = fake.addCustomer();
        const key = keyOf(customer.id);
        await write(key);
        const logger = new CaptureLogger();

        const { tokens } = await boot({ customer, store: open(sealed), logger });

        expect(await tokens.getToken('customer')).toBe(newest(customer.id));
        expect(fake.mintCount(customer.id)).toBe(1);
        const warnings = logger.at('warn');
        expect(warnings).toEqual([expect.stringMatching(reason)]);
        expect(warnings[0]).toContain(`key ${fingerprint(key)}`);
        expect(warnings.join('\n')).not.toMatch(/unavailable/);
        // Replaced, whatever its type or expiry, and shared from now on: a second replica adopts it.
        const shared = await open(sealed).read(key);
        expect(shared).toMatchObject({ token: newest(customer.id), version: expect.any(Number) });
        expect(shared?.problem).toBeUndefined();
        const second = await boot({ customer, store: open(sealed) });
        expect(await second.tokens.getToken('customer')).toBe(newest(customer.id));
        expect(fake.mintCount(customer.id)).toBe(1);
      });
    });

    describe('order by the store, not by the clock', () => {
      it('replicas 10 minutes apart: the later mint stays in the store and a third replica adopts it', async () => {
        fake.setRevokeOnMint(true);
        const customer = fake.addCustomer();
        const key = keyOf(customer.id);
        const correct = await boot({ customer, store: open() });
        const ahead = await boot({ customer, store: open() }, clockOffBy(10 * MINUTE));
        expect(await ahead.tokens.getToken('customer')).toBe(await correct.tokens.getToken('customer'));
        expect(fake.mintCount(customer.id)).toBe(1);

        // The fast replica mints (its expiresAt is 10 minutes later than anyone else's would be) ...
        const fast = await ahead.tokens.refresh('customer');
        // ... then the replica with the right clock mints: by expiresAt alone its write would lose.
        const latest = await correct.tokens.refresh('customer');
        expect(latest).not.toBe(fast);
        expect(fake.mintCount(customer.id)).toBe(3);

        expect((await open().read(key))?.token).toBe(latest);
        const third = await boot({ customer, store: open() });
        expect(await third.tokens.getToken('customer')).toBe(latest);
        expect(fake.isTokenValid(latest)).toBe(true);
        expect(fake.mintCount(customer.id)).toBe(3);
      });

      it('a replica 30 days behind: its later mint replaces the earlier one, though its expiresAt is 30 days earlier', async () => {
        fake.setRevokeOnMint(true);
        const customer = fake.addCustomer();
        const key = keyOf(customer.id);
        const logger = new CaptureLogger();
        const first = await boot({ customer, store: open() });
        const early = await first.tokens.getToken('customer');
        const behind = await boot({ customer, store: open(), logger }, clockOffBy(-30 * DAY));

        // To the slow replica the stored record was issued 30 days in the future: not served, replaced.
        const late = await behind.tokens.getToken('customer');
        expect(late).not.toBe(early);
        expect(logger.at('warn')).toEqual([expect.stringContaining('issued in the future')]);
        const stored = await open().read(key);
        expect(stored?.token).toBe(late);
        expect(stored!.expiresAt).toBeLessThan(Date.now() + TTL - 29 * DAY);

        // A replica with the right clock adopts the latest mint (the only valid token left).
        const third = await boot({ customer, store: open() });
        expect(await third.tokens.getToken('customer')).toBe(late);
        expect(fake.isTokenValid(late)).toBe(true);
        expect(fake.mintCount(customer.id)).toBe(2);
      });

      it('the write is a compare-and-set on the version read: a write based on a replaced record is refused', async () => {
        const store = open();
        const k = keyOf(fake.addCustomer().id);
        const now = Date.now();
        const rec = (token: string, expiresAt: number): StoredToken => ({ token, issuedAt: now, expiresAt });
        expect(await store.writeIfUnchanged(k, rec('tok-1', now + DAY), { version: 0 })).toBe(true);
        expect(await store.writeIfUnchanged(k, rec('tok-stale', now + 2 * DAY), { version: 0 })).toBe(false);
        // An earlier expiresAt does not matter: the version does.
        expect(await store.writeIfUnchanged(k, rec('tok-2', now + MINUTE), { version: 1 })).toBe(true);
        expect(await store.read(k)).toEqual({ ...rec('tok-2', now + MINUTE), version: 2 });
        // Concurrent writers based on the same version: exactly one wins.
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            open().writeIfUnchanged(k, rec(`tok-c${i}`, now + DAY), { version: 2 }),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.read(k))?.version).toBe(3);
      });
    });

    describe('a token refused downstream is never adopted again', () => {
      it('not by another replica and not after a restart: the store keeps a mark, never the token', async () => {
        const customer = fake.addCustomer();
        const key = keyOf(customer.id);
        const a = await boot({ customer, store: open() });
        const b = await boot({ customer, store: open() });
        const refused = await a.tokens.getToken('customer');
        expect(await b.tokens.getToken('customer')).toBe(refused);
        expect(fake.mintCount(customer.id)).toBe(1);

        a.tokens.invalidate('customer');
        const reader = open();
        await waitFor(
          'the refusal to reach the store',
          async () => (await reader.read(key))?.rejected === true,
        );
        const mark = await admin.hget(recordKey(key), 'rejected');
        expect(mark).toMatch(/^[0-9a-f]{32}$/);
        expect(mark).not.toContain(refused);

        // A restarted replica, then the replica that had adopted it: neither takes the refused token.
        await a.app.close();
        const restarted = await boot({ customer, store: open() });
        const fresh = await restarted.tokens.getToken('customer');
        expect(fresh).not.toBe(refused);
        expect(fake.mintCount(customer.id)).toBe(2);
        expect(await reader.read(key)).toMatchObject({ token: fresh, version: 2 });
        expect((await reader.read(key))?.rejected).toBeUndefined();
        b.tokens.invalidate('customer');
        expect(await b.tokens.getToken('customer')).toBe(fresh);
        expect(fake.mintCount(customer.id)).toBe(2);
      });

      it('a refusal arriving after the record was replaced marks nothing', async () => {
        const store = open();
        const k = keyOf(fake.addCustomer().id);
        const now = Date.now();
        await store.writeIfUnchanged(
          k,
          { token: 'tok-old', issuedAt: now, expiresAt: now + DAY },
          { version: 0 },
        );
        await store.writeIfUnchanged(
          k,
          { token: 'tok-new', issuedAt: now, expiresAt: now + DAY },
          { version: 1 },
        );
        await store.reject(k, 'tok-old');
        expect(await store.read(k)).toEqual({
          token: 'tok-new',
          issuedAt: now,
          expiresAt: now + DAY,
          version: 2,
        });
        await store.reject(k, 'tok-new');
        expect((await store.read(k))?.rejected).toBe(true);
        // The mark keeps the version: the mint that replaces the refused token, based on it, goes through.
        expect(
          await store.writeIfUnchanged(
            k,
            { token: 'tok-next', issuedAt: now, expiresAt: now + DAY },
            { version: 2 },
          ),
        ).toBe(true);
        expect(await store.read(k)).toEqual({
          token: 'tok-next',
          issuedAt: now,
          expiresAt: now + DAY,
          version: 3,
        });
      });
    });

    describe('a stuck lease is reported once, and the wait stays bounded', () => {
      const LEASE_TTL = 300;
      const stuckLeases: Array<{ name: string; write: (leaseKey: string) => Promise<unknown> }> = [
        { name: 'a lease without expiry', write: (k) => admin.set(k, 'ghost') },
        { name: 'a lease with a 10-day expiry', write: (k) => admin.set(k, 'ghost', 'PX', 10 * DAY) },
        { name: 'a hash at the lease key', write: (k) => admin.hset(k, 'owner', 'ghost') },
      ];

      it.each(stuckLeases)('$name', async ({ write }) => {
        const customer = fake.addCustomer();
        const key = keyOf(customer.id);
        await write(`${recordKey(key)}:lease`);
        const logger = new CaptureLogger();
        const store = open(false, CountingStore);
        const { tokens } = await boot({
          customer,
          store,
          logger,
          leaseTtlMs: LEASE_TTL,
          requestTimeoutMs: 250,
          eager: false,
        });

        const first = await within(tokens.getToken('customer'), 10_000, 'a token despite the stuck lease');
        const second = await within(tokens.refresh('customer'), 10_000, 'a refresh despite the stuck lease');

        expect(first).toBe(fake.tokensOf(customer.id)[0]);
        expect(second).toBe(newest(customer.id));
        expect(fake.mintCount(customer.id)).toBe(2);
        const warnings = logger.at('warn');
        expect(warnings).toEqual([expect.stringContaining('minting lease')]);
        expect(warnings[0]).toContain(`key ${fingerprint(key)}`);
        // Bounded: each attempt waits at most twice leaseTtlMs, in waits of at most leaseTtlMs each.
        expect(store.waits).toBeLessThanOrEqual(2 * 3);
        expect(store.leases).toBeLessThanOrEqual(2 * 4);
        // The minted tokens are still shared through the record.
        expect((await open().read(key))?.token).toBe(second);
      });
    });
  },
);
