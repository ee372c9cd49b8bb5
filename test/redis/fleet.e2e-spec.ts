import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { fingerprint, type TokenStatus } from 'nestjs-exotel-webrtc';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { DEFAULT_KEY_PREFIX, RedisKeys } from '../../lib/redis/redis-token-store-options.js';
import { storeKeyOf } from '../../lib/token/slot-registry.js';
import { logGuard } from '../support/log-guard-core.js';
import { compiledLib } from './compiled-lib.js';
import { currentSeq, FleetWorker, type WorkerConfig } from './fleet.js';
import { closeClient, connectAdmin, describeWithRedis, RedisServer } from './redis-server.js';
import { waitFor } from './wait-for.js';

const REPLICAS = 8;
const TTL_MS = 5_000;
/** Refresh starts 3.0-3.2 s after a mint (ratio 0.6 of 5 s plus up to 200 ms of jitter). */
const CYCLE_MS = 3_000;
/** A mint against the local fake takes milliseconds; the lease must outlive it (leaseTtlMs > requestTimeoutMs). */
const REQUEST_TIMEOUT_MS = 1_000;
const LEASE_TTL_MS = 1_500;

interface TrafficStats {
  ok: number;
  failed: number;
  failures: string[];
}
type Fingerprints = Record<string, string | null>;

describeWithRedis('a fleet of separate Node processes sharing one RedisTokenStore', () => {
  let redis: RedisServer;
  let libDir: string;
  const everyWorker: FleetWorker[] = [];

  const spawn = (name: string, config: WorkerConfig) => {
    const worker = new FleetWorker(name, libDir, config);
    everyWorker.push(worker);
    return worker;
  };

  beforeAll(async () => {
    libDir = compiledLib();
    redis = await RedisServer.start();
    logGuard.watch(redis.password);
  });

  afterAll(async () => {
    await Promise.all(everyWorker.map((w) => w.close()));
    // What the replicas printed and logged goes through the suite's secret check too.
    for (const w of everyWorker) {
      logGuard.record(`${w.name} output`, [w.output]);
      logGuard.record(
        `${w.name} logs`,
        w.events.filter((e) => e.event === 'log').map((e) => e.message),
      );
    }
    await redis?.stop();
  });

  describe(`${REPLICAS} replicas, ${TTL_MS / 1000} s tokens, a fake that revokes the previous token on each mint`, () => {
    let fake: FakeExotelServer;
    let customer: { id: string; secret: string };
    let app: { id: string; secret: string };
    let fleet: FleetWorker[];
    const live = () => fleet.filter((w) => w.alive);
    const fingerprints = () => Promise.all(live().map((w) => w.request<Fingerprints>('fingerprints')));
    const newest = (id: string) => fingerprint(fake.tokensOf(id).at(-1)!);
    const onNewestTokens = async () =>
      (await fingerprints()).every(
        (f) => f.customer === newest(customer.id) && f['app:default'] === newest(app.id),
      );
    const ids = () => ({ customer: customer.id, 'app:default': app.id });
    /**
     * A point where every replica holds the newest token of each credential: the event number and
     * how many tokens the fake had minted per credential then. Replicas report adopting a token
     * before they answer, and the counts are read right after their answers, so a token minted
     * later has its events after the mark.
     */
    const settled = () =>
      waitFor('every replica on the newest tokens', async () => {
        const held = await fingerprints();
        const mark = currentSeq();
        const minted = Object.fromEntries(
          Object.entries(ids()).map(([credential, id]) => [credential, fake.tokensOf(id)]),
        );
        const agreed = Object.entries(minted).every(([credential, tokens]) =>
          held.every((f) => f[credential] === fingerprint(tokens.at(-1)!)),
        );
        return agreed ? { mark, minted } : undefined;
      });
    const all = <T>(command: string, args?: Record<string, unknown>) =>
      Promise.all(live().map((w) => w.request<T>(command, args)));

    beforeAll(async () => {
      fake = await new FakeExotelServer({ tokenTtlMs: TTL_MS, revokeOnMint: true }).start();
      customer = fake.addCustomer();
      app = fake.addApp(customer.id);
      const config: WorkerConfig = {
        redisUrl: redis.url,
        commandTimeoutMs: 500,
        startOnSignal: true,
        module: {
          baseUrl: fake.baseUrl,
          customer,
          app,
          tokenTtlMs: TTL_MS,
          refreshAtRatio: CYCLE_MS / TTL_MS,
          minRefreshLeadMs: 1_000,
          refreshJitterMs: 200,
          leaseTtlMs: LEASE_TTL_MS,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
        },
      };
      fleet = Array.from({ length: REPLICAS }, (_, i) => spawn(`replica-${i}`, config));
      await Promise.all(fleet.map((w) => w.reached('loaded')));
      fleet.forEach((w) => w.go());
      await Promise.all(fleet.map((w) => w.ready()));
    }, 60_000);

    afterAll(async () => {
      await Promise.all(fleet?.map((w) => w.close()) ?? []);
      await fake?.stop();
    });

    it('cold start: one mint per credential for the whole fleet, and every process holds the same tokens', async () => {
      expect(fake.mintAttempts(customer.id)).toBe(1);
      expect(fake.mintAttempts(app.id)).toBe(1);
      const expected = { customer: newest(customer.id), 'app:default': newest(app.id) };
      expect(await fingerprints()).toEqual(Array(REPLICAS).fill(expected));
    });

    it('refresh cycles under continuous traffic: one mint per credential per cycle, no request fails', async () => {
      const start = await settled();
      const downstream = () => fake.requestsTo('GET /app').length + fake.requestsTo('GET /customer').length;
      const sentBefore = downstream();
      await all('traffic-start', { pauseMs: 40 });
      await waitFor(
        'three refresh cycles',
        () =>
          fake.mintCount(customer.id) >= start.minted.customer.length + 3 &&
          fake.mintCount(app.id) >= start.minted['app:default'].length + 3,
        30_000,
      );
      const stats = await all<TrafficStats>('traffic-stop');
      expect(stats.flatMap((s) => s.failures)).toEqual([]);
      expect(stats.every((s) => s.ok > 0)).toBe(true);
      // Revocation did bite: some requests met a 401 and were retried (once) with the adopted token.
      expect(downstream() - sentBefore).toBeGreaterThan(stats.reduce((sum, s) => sum + s.ok, 0));

      // Counting, not timing: a second mint in a cycle is a token that not every replica ends the
      // cycle on. So each replica must have taken on exactly the tokens minted, in mint order.
      const end = await settled();
      for (const credential of Object.keys(ids())) {
        const minted = end.minted[credential].slice(start.minted[credential].length).map(fingerprint);
        expect(minted.length).toBeGreaterThanOrEqual(3);
        for (const w of fleet)
          expect([w.name, w.tokensHeld(credential, start.mark, end.mark)]).toEqual([w.name, minted]);
        // Each by one replica (the lease holder); the other seven adopted it.
        const mintedBy = fleet.flatMap((w) => w.tokensMinted(credential, start.mark, end.mark));
        expect(mintedBy.sort()).toEqual([...minted].sort());
      }
    }, 60_000);

    it('a lease holder killed mid-mint: another process mints once its lease has expired', async () => {
      const appKey = storeKeyOf(fake.baseUrl, { entity: 'app', id: app.id });
      // Start right after a periodic cycle, so the next one is seconds away.
      const mints = fake.mintCount(app.id);
      await waitFor('the next periodic cycle', () => fake.mintCount(app.id) > mints, 10_000);
      await waitFor('every replica on the newest tokens', onNewestTokens);

      const attempts = fake.mintAttempts(app.id);
      const mark = currentSeq();
      // The holder is found and killed within milliseconds. Its reply is held back longer than its own
      // requestTimeoutMs, so even a holder left alive could not finish this mint: it would time out.
      fake.fault('POST /token', { delayMs: 3 * REQUEST_TIMEOUT_MS });
      const refreshes = live().map((w) =>
        w.request<string>('refresh', { entity: 'app' }).then(
          (fp) => ({ w, fp }),
          () => ({ w, fp: undefined }),
        ),
      );
      const holder = await waitFor('the lease holder to send its mint', () =>
        fake.mintAttempts(app.id) > attempts
          ? live().find((w) => w.events.some((e) => e.event === 'lease' && e.key === appKey && e.seq > mark))
          : undefined,
      );
      const killedAt = currentSeq();
      await holder.kill('SIGKILL');

      const survivors = (await Promise.all(refreshes)).filter((r) => r.w !== holder);
      expect(survivors).toHaveLength(REPLICAS - 1);
      const winner = newest(app.id);
      expect(survivors.map((r) => r.fp)).toEqual(Array(REPLICAS - 1).fill(winner));
      expect(fake.isTokenValid(fake.tokensOf(app.id).at(-1)!)).toBe(true);
      // The killed holder's request and exactly one replacement.
      expect(fake.mintAttempts(app.id) - attempts).toBe(2);
      const relieved = live().filter((w) =>
        w.events.some((e) => e.event === 'lease' && e.key === appKey && e.seq > killedAt),
      );
      expect(relieved.length).toBeGreaterThanOrEqual(1);
    }, 30_000);

    it('Redis stops: traffic keeps succeeding and replicas mint locally; Redis restarts: sharing resumes', async () => {
      // While the store is down every replica mints on its own; against a vendor that revokes on mint
      // they would invalidate each other's tokens (see README), so this part runs without revocation.
      fake.setRevokeOnMint(false);
      await all('traffic-start', { pauseMs: 40 });
      const mark = currentSeq();
      await redis.stop();
      const before = await all<TrafficStats>('traffic-stats');

      const attempts = fake.mintAttempts(app.id);
      const local = await all<string>('refresh', { entity: 'app' });
      expect(new Set(local).size).toBe(live().length);
      expect(fake.mintAttempts(app.id) - attempts).toBe(live().length);
      await waitFor('traffic on every replica during the outage', async () =>
        (await all<TrafficStats>('traffic-stats')).every((s, i) => s.ok > before[i].ok + 2),
      );
      for (const w of live()) {
        expect(w.logs('warn', mark).filter((m) => m.includes('Token store unavailable'))).toHaveLength(1);
      }

      await redis.start();
      await waitFor(
        'every replica reconnected to Redis',
        async () => (await all<boolean>('probe')).every(Boolean),
        20_000,
      );
      const again = fake.mintAttempts(app.id);
      const shared = await all<string>('refresh', { entity: 'app' });
      expect(new Set(shared)).toEqual(new Set([newest(app.id)]));
      expect(fake.mintAttempts(app.id) - again).toBe(1);
      for (const w of live())
        expect(w.logs('log', mark).some((m) => m.includes('reachable again'))).toBe(true);

      const stats = await all<TrafficStats>('traffic-stop');
      expect(stats.flatMap((s) => s.failures)).toEqual([]);
    }, 60_000);
  });

  describe('apps added at runtime on one replica, learned by the others through a shared credential source', () => {
    const SOURCE_KEY = 'fleet-test:app-credentials';
    const NAME = 'support';
    const CREDENTIAL = `app:${NAME}`;
    let fake: FakeExotelServer;
    let admin: Redis;
    let fleet: FleetWorker[];
    let added: { id: string; secret: string };
    let recordKey: string;
    const [a, b, c, d] = [0, 1, 2, 3].map((i) => () => fleet[i]);
    const tokenOf = (w: FleetWorker) => w.request<string>('get-token', { entity: 'app', app: NAME });
    const hasApp = (w: FleetWorker) => w.request<boolean>('has-app', { name: NAME });

    beforeAll(async () => {
      fake = await new FakeExotelServer().start();
      admin = await connectAdmin(redis.url);
      const customer = fake.addCustomer();
      const config: WorkerConfig = {
        redisUrl: redis.url,
        commandTimeoutMs: 500,
        credentialSourceKey: SOURCE_KEY,
        module: { baseUrl: fake.baseUrl, customer },
      };
      fleet = ['a', 'b', 'c', 'd'].map((n) => spawn(`apps-${n}`, config));
      await Promise.all(fleet.map((w) => w.ready()));
      // As a host's `POST /app` would: the app exists at Exotel, its credentials in the host's database.
      added = fake.addApp(customer.id, { name: NAME });
      recordKey = new RedisKeys(DEFAULT_KEY_PREFIX).record(
        storeKeyOf(fake.baseUrl, { entity: 'app', id: added.id }),
      );
      await admin.hset(SOURCE_KEY, NAME, JSON.stringify(added));
    }, 30_000);

    afterAll(async () => {
      await Promise.all(fleet?.map((w) => w.close()) ?? []);
      await admin?.del(SOURCE_KEY).catch(() => undefined);
      await closeClient(admin);
      await fake?.stop();
    });

    it('A adds the app, B, C and D learn it from the source: one mint for the fleet, one token everywhere', async () => {
      expect(await Promise.all(fleet.map(hasApp))).toEqual([false, false, false, false]);
      const mark = currentSeq();
      // addApp mints eagerly in the background; B, C and D ask while that mint may still be in flight.
      await a().request('add-app', { name: NAME, credentials: added });
      const held = await Promise.all([a(), b(), c(), d()].map(tokenOf));

      expect(fake.mintAttempts(added.id)).toBe(1);
      expect(fake.mintCount(added.id)).toBe(1);
      const minted = fingerprint(fake.tokensOf(added.id)[0]);
      expect(held).toEqual([minted, minted, minted, minted]);
      // One replica minted, the other three adopted it from the store.
      expect(fleet.flatMap((w) => w.tokensMinted(CREDENTIAL, mark))).toEqual([minted]);
      for (const w of fleet) expect([w.name, w.tokensHeld(CREDENTIAL, mark)]).toEqual([w.name, [minted]]);
      expect(await Promise.all(fleet.map(hasApp))).toEqual([true, true, true, true]);
      const rows = await Promise.all(
        fleet.map((w) => w.request<TokenStatus | null>('status-of', { entity: 'app', app: NAME })),
      );
      expect(rows.map((r) => [r?.credential, r?.state, r?.fingerprint])).toEqual(
        Array(4).fill([CREDENTIAL, 'fresh', minted]),
      );
      expect(await admin.exists(recordKey)).toBe(1);
    });

    it('removal: the shared record goes at once; each replica stops serving once asked; then the name is unknown', async () => {
      const minted = fingerprint(fake.tokensOf(added.id)[0]);
      await a().request('remove-app', { name: NAME });
      expect(await hasApp(a())).toBe(false);
      expect(await a().request('status-of', { entity: 'app', app: NAME })).toBeNull();
      expect(await admin.exists(recordKey, `${recordKey}:lease`)).toBe(0);

      // Removal is not broadcast: B still serves the token it holds in memory (no store read, no
      // mint) until it is asked to remove the app too, as a host tells every replica.
      expect(await tokenOf(b())).toBe(minted);
      await b().request('remove-app', { name: NAME });
      expect(await hasApp(b())).toBe(false);
      expect(await b().request('status-of', { entity: 'app', app: NAME })).toBeNull();
      expect(Object.keys(await b().request<Fingerprints>('fingerprints'))).toEqual(['customer']);
      await Promise.all([c(), d()].map((w) => w.request('remove-app', { name: NAME })));
      expect(await Promise.all(fleet.map(hasApp))).toEqual([false, false, false, false]);

      // The host deletes the app from its database: no replica can learn it again.
      await admin.hdel(SOURCE_KEY, NAME);
      await expect(tokenOf(b())).rejects.toThrow(/^apps-b: ExotelUnknownCredentialError: /);
      const refused = await Promise.all(
        fleet.map((w) =>
          tokenOf(w).then(
            () => 'served',
            (e: Error) => e.message,
          ),
        ),
      );
      for (const [i, message] of refused.entries())
        expect(message).toMatch(new RegExp(`^${fleet[i].name}: ExotelUnknownCredentialError: `));
      expect(await Promise.all(fleet.map(hasApp))).toEqual([false, false, false, false]);

      // Nothing was minted or written back along the way.
      expect(fake.mintAttempts(added.id)).toBe(1);
      expect(await admin.exists(recordKey, `${recordKey}:lease`)).toBe(0);
    });

    it('every replica exits by itself on close: the credential source connection is closed too', async () => {
      expect(await Promise.all(fleet.map((w) => w.close()))).toEqual([0, 0, 0, 0]);
    });
  });

  describe('a restarted replica', () => {
    let fake: FakeExotelServer;

    afterAll(async () => fake?.stop());

    it('adopts the stored tokens at boot: zero mints', async () => {
      fake = await new FakeExotelServer().start();
      const customer = fake.addCustomer();
      const app = fake.addApp(customer.id);
      const config: WorkerConfig = {
        redisUrl: redis.url,
        commandTimeoutMs: 500,
        module: { baseUrl: fake.baseUrl, customer, app },
      };
      const first = spawn('restart-before', config);
      await first.ready();
      const held = await first.request<Fingerprints>('fingerprints');
      // A clean shutdown ends the process by itself: no timer, socket or Redis connection left open.
      expect(await first.close()).toBe(0);
      expect(fake.mintCount()).toBe(2);

      const second = spawn('restart-after', config);
      await second.ready();
      expect(await second.request<Fingerprints>('fingerprints')).toEqual(held);
      expect(fake.mintAttempts()).toBe(2);
      expect(await second.close()).toBe(0);
    }, 30_000);
  });
});
