import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  ExotelAuthError,
  ExotelConfigError,
  type ExotelCredentials,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
  ExotelWebrtcClient,
  MemoryTokenStore,
  type TokenEvent,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { storeKeyOf } from '../lib/token/slot-registry.js';
import { useFakeClock } from './support/fake-clock.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';

/** Apps registered while the service runs: add, rotate, remove, credential source, mint limit. */
describe('apps registered at runtime', () => {
  let world: FakeWorld;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    jest.useRealTimers();
  });
  afterAll(() => world.fake.stop());

  async function start(
    extra: Record<string, unknown> = {},
  ): Promise<{ tokens: TokenService; events: TokenEvent[] }> {
    world.fake.resetRecords();
    const created = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      logger: false,
      ...extra,
    });
    app = created.app;
    const events: TokenEvent[] = [];
    created.tokens.events$.subscribe((e) => events.push(e));
    return { tokens: created.tokens, events };
  }

  /** Waits until the background work started by addApp has settled (counts turns, never time). */
  async function settled(tokens: TokenService, name: string): Promise<void> {
    for (let i = 0; i < 1_000 && tokens.statusOf('app', name)?.state === 'refreshing'; i++) {
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  it('addApp: one mint, a refresh planned, app_added; the token works downstream', async () => {
    const { tokens, events } = await start();
    const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-a' });
    tokens.addApp('tenant-a', tenant);
    await settled(tokens, 'tenant-a');
    expect(world.fake.mintAttempts(tenant.id)).toBe(1);
    const row = tokens.statusOf('app', 'tenant-a')!;
    expect(row.state).toBe('fresh');
    expect(row.refreshAt).toBeGreaterThan(Date.now());
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['app_added', 'minted']));
    const token = await tokens.getToken('app', 'tenant-a');
    expect(world.fake.isTokenValid(token)).toBe(true);
    expect(world.fake.mintAttempts(tenant.id)).toBe(1);
    expect(tokens.status().map((s) => s.credential)).toEqual(['customer', 'app:tenant-a']);
    // The typed client reaches it too.
    await expect(app!.get(ExotelWebrtcClient).app('tenant-a').apps.get()).resolves.toBeDefined();
  });

  it('rotate: the held token keeps being served; the next mint uses the new secret', async () => {
    const { tokens, events } = await start();
    const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-b' });
    tokens.addApp('tenant-b', tenant);
    const first = await tokens.getToken('app', 'tenant-b');
    tokens.addApp('tenant-b', { id: tenant.id, secret: 'not-the-secret' });
    expect(events.filter((e) => e.type === 'credentials_rotated')).toHaveLength(1);
    expect(await tokens.getToken('app', 'tenant-b')).toBe(first);
    expect(world.fake.mintAttempts(tenant.id)).toBe(1);
    // The next mint goes out with the new (wrong) secret, and is refused: the old one is not used.
    await expect(tokens.refresh('app', 'tenant-b')).rejects.toBeInstanceOf(ExotelAuthError);
    expect(world.fake.mintAttempts(tenant.id)).toBe(2);
    expect(await tokens.getToken('app', 'tenant-b')).toBe(first); // still served until it expires
    tokens.addApp('tenant-b', tenant);
    const second = await tokens.refresh('app', 'tenant-b');
    expect(second).not.toBe(first);
    expect(world.fake.mintAttempts(tenant.id)).toBe(3);
  });

  it('remove: unknown afterwards, refresh stopped, record gone from the MemoryTokenStore', async () => {
    const store = new MemoryTokenStore();
    const { tokens, events } = await start({ store });
    const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-c' });
    tokens.addApp('tenant-c', tenant);
    await tokens.getToken('app', 'tenant-c');
    const key = storeKeyOf(world.fake.baseUrl, { entity: 'app', id: tenant.id });
    expect(await store.read(key)).toBeDefined();
    await tokens.removeApp('tenant-c');
    expect(await store.read(key)).toBeUndefined();
    expect(tokens.statusOf('app', 'tenant-c')).toBeUndefined();
    expect(tokens.hasApp('tenant-c')).toBe(false);
    await expect(tokens.getToken('app', 'tenant-c')).rejects.toBeInstanceOf(ExotelUnknownCredentialError);
    expect(events.at(-1)?.type).toBe('app_removed');
    await expect(tokens.removeApp('tenant-c')).resolves.toBeUndefined(); // unknown: no effect
    await expect(tokens.removeApp('never-added')).resolves.toBeUndefined();
  });

  it('configured apps are removable and rotatable the same way', async () => {
    const { tokens } = await start({ apps: { support: world.support } });
    const held = await tokens.getToken('app', 'support');
    tokens.addApp('support', { ...world.support });
    expect(await tokens.getToken('app', 'support')).toBe(held);
    await tokens.removeApp('support');
    await expect(tokens.getToken('app', 'support')).rejects.toBeInstanceOf(ExotelUnknownCredentialError);
  });

  it('bad input throws ExotelConfigError listing the problems, never the secret, and changes nothing', async () => {
    const { tokens } = await start();
    const secret = 'S3cr3t-that-must-not-leak';
    const attempts: [string, unknown][] = [
      ['', { id: 'x', secret }],
      ['line\nbreak', { id: 'x', secret }],
      ['bell\u0007', { id: 'x', secret }],
      ['ok-name', { id: '', secret }],
      ['ok-name', { id: 'x', secret: '' }],
      ['ok-name', null],
    ];
    for (const [name, credentials] of attempts) {
      let error: unknown;
      try {
        tokens.addApp(name, credentials as ExotelCredentials);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ExotelConfigError);
      expect((error as ExotelConfigError).problems.length).toBeGreaterThan(0);
      expect(JSON.stringify(error) + (error as Error).message).not.toContain(secret);
      expect((error as Error).message).not.toContain('bell\u0007');
      expect((error as Error).message).not.toContain('line\nbreak');
    }
    expect(tokens.status().map((s) => s.credential)).toEqual(['customer']);
  });

  it('idleAppEvictionMs: an unused app leaves memory (token and timer), its next use adopts from the store', async () => {
    useFakeClock(Date.now());
    const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-idle' });
    const busy = world.fake.addApp(world.customer.id, { name: 'tenant-busy' });
    const { tokens, events } = await start({ idleAppEvictionMs: 60_000 });
    tokens.addApp('tenant-idle', tenant);
    tokens.addApp('tenant-busy', busy);
    const first = await tokens.getToken('app', 'tenant-idle');
    await tokens.getToken('app', 'tenant-busy');
    // Two sweeps (every 30 s) without a use of tenant-idle; tenant-busy is used in between.
    await jest.advanceTimersByTimeAsync(30_000);
    await tokens.getToken('app', 'tenant-busy');
    await jest.advanceTimersByTimeAsync(30_000);
    await tokens.getToken('app', 'tenant-busy');
    await jest.advanceTimersByTimeAsync(30_000);
    expect(tokens.statusOf('app', 'tenant-idle')?.state).toBe('pending');
    expect(tokens.statusOf('app', 'tenant-busy')?.state).toBe('fresh');
    expect(tokens.hasApp('tenant-idle')).toBe(true); // the credentials stay
    // Back on next use: the same token, adopted from the store, no second mint.
    expect(await tokens.getToken('app', 'tenant-idle')).toBe(first);
    expect(world.fake.mintAttempts(tenant.id)).toBe(1);
    expect(events.filter((e) => e.credential === 'app:tenant-idle').map((e) => e.type)).toEqual([
      'app_added',
      'minted',
      'adopted',
    ]);
  });

  describe('credential source', () => {
    it('1,000 concurrent callers for one unknown app cause one lookup and one mint', async () => {
      const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-d' });
      const asked: string[] = [];
      const { tokens } = await start({
        credentialSource: {
          appCredentials: async (name: string) => {
            asked.push(name);
            return name === 'tenant-d' ? tenant : undefined;
          },
        },
      });
      const all = await Promise.all(Array.from({ length: 1_000 }, () => tokens.getToken('app', 'tenant-d')));
      expect(new Set(all).size).toBe(1);
      expect(asked).toEqual(['tenant-d']);
      expect(world.fake.mintAttempts(tenant.id)).toBe(1);
      // The answer is kept: later calls ask nobody.
      await tokens.getToken('app', 'tenant-d');
      expect(asked).toHaveLength(1);
      // An unknown name: ExotelUnknownCredentialError, asked each time (nothing to keep).
      await expect(tokens.getToken('app', 'nobody')).rejects.toBeInstanceOf(ExotelUnknownCredentialError);
      expect(asked).toEqual(['tenant-d', 'nobody']);
    });

    it('after a /token 401 the source is asked once more and the mint retried once with the new answer', async () => {
      const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-e' });
      const answers = [{ id: tenant.id, secret: 'rotated-away' }, tenant];
      let lookups = 0;
      const { tokens, events } = await start({
        credentialSource: { appCredentials: () => answers[Math.min(lookups++, 1)] },
      });
      const token = await tokens.getToken('app', 'tenant-e');
      expect(world.fake.isTokenValid(token)).toBe(true);
      expect(lookups).toBe(2);
      expect(world.fake.mintAttempts(tenant.id)).toBe(2);
      expect(events.map((e) => e.type)).toEqual(['app_added', 'credentials_rotated', 'minted']);
    });

    it('a source that keeps a wrong secret: one re-ask, one retry, then ExotelAuthError', async () => {
      const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-f' });
      let lookups = 0;
      const { tokens } = await start({
        credentialSource: {
          appCredentials: () => {
            lookups++;
            return { id: tenant.id, secret: 'wrong' };
          },
        },
      });
      await expect(tokens.getToken('app', 'tenant-f')).rejects.toBeInstanceOf(ExotelAuthError);
      expect(lookups).toBe(2);
      expect(world.fake.mintAttempts(tenant.id)).toBe(1); // same answer: nothing new to try
    });

    it('removeApp during a source lookup: the late answer is not kept', async () => {
      const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-h' });
      let answer!: (credentials: ExotelCredentials) => void;
      const { tokens } = await start({
        credentialSource: {
          appCredentials: () => new Promise<ExotelCredentials>((resolve) => (answer = resolve)),
        },
      });
      const pending = tokens.getToken('app', 'tenant-h').catch((e: unknown) => e);
      await tokens.removeApp('tenant-h');
      answer(tenant);
      expect(await pending).toBeInstanceOf(ExotelUnknownCredentialError);
      expect(tokens.hasApp('tenant-h')).toBe(false);
      expect(world.fake.mintAttempts(tenant.id)).toBe(0);
    });

    it('a throwing source gives ExotelUnavailableError naming the app, caches nothing, then recovers', async () => {
      const tenant = world.fake.addApp(world.customer.id, { name: 'tenant-g' });
      let down = true;
      const { tokens } = await start({
        credentialSource: {
          appCredentials: async () => {
            if (down) throw new Error(`vault unreachable, secret ${tenant.secret}`);
            return tenant;
          },
        },
      });
      const error = (await tokens.getToken('app', 'tenant-g').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(ExotelUnavailableError);
      expect(error.message).toContain("app 'tenant-g'");
      expect(error.message + JSON.stringify(error)).not.toContain(tenant.secret);
      expect(tokens.hasApp('tenant-g')).toBe(false);
      down = false;
      expect(world.fake.isTokenValid(await tokens.getToken('app', 'tenant-g'))).toBe(true);
    });
  });

  describe('maxConcurrentMints', () => {
    const names = Array.from({ length: 120 }, (_, i) => `cold-${i}`);
    let apps: Record<string, { id: string; secret: string }>;
    beforeAll(() => {
      apps = Object.fromEntries(names.map((n) => [n, world.fake.addApp(world.customer.id, { name: n })]));
    });
    // The fake holds each /token reply briefly, so that mints overlap whenever the library lets them.
    const holdMints = (): void => {
      world.fake.fault('POST /token', { delayMs: 20 }, 1_000);
    };
    afterEach(() => {
      world.fake.clearFaults();
    });

    it('120 distinct cold apps asked at once: 120 /token calls, never more than the limit in flight', async () => {
      const { tokens } = await start({ apps, eager: false, maxConcurrentMints: 4 });
      holdMints();
      const all = await Promise.all(names.map((n) => tokens.getToken('app', n)));
      expect(all.every((t) => world.fake.isTokenValid(t))).toBe(true);
      expect(world.fake.mintAttempts()).toBe(120);
      expect(world.fake.maxMintAttemptsInFlight).toBeLessThanOrEqual(4);
      expect(world.fake.maxMintAttemptsInFlight).toBeGreaterThan(1);
    });

    it('eager start with many credentials obeys the same limit', async () => {
      holdMints();
      await start({ apps, maxConcurrentMints: 3 });
      expect(world.fake.mintAttempts()).toBe(121); // the customer and 120 apps
      expect(world.fake.maxMintAttemptsInFlight).toBeLessThanOrEqual(3);
    });

    it('the fake does see more in flight when the limit allows it (the measure can fail)', async () => {
      holdMints();
      await start({ apps, maxConcurrentMints: 1_000 });
      expect(world.fake.maxMintAttemptsInFlight).toBeGreaterThan(3);
    });
  });
});
