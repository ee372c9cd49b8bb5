import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ExotelAuthError, ExotelUnavailableError } from 'nestjs-exotel-webrtc';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { advanceInSteps, runUntil, settle } from './support/fake-clock.js';
import { trackUnhandledRejections } from './support/host-process.js';
import { createRefreshApp, type RefreshApp } from './support/refresh-app.js';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

describe('refresh through outages (fake timers, Date included)', () => {
  let world: FakeWorld;
  let subject: RefreshApp | undefined;
  // Jest gives each test file a copy of `process`; listen on the real one.
  let unhandled: ReturnType<typeof trackUnhandledRejections>;

  beforeAll(async () => {
    world = await startFakeWorld();
    unhandled = trackUnhandledRejections();
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    jest.useRealTimers();
    world.fake.clearFaults();
    world.fake.resetRecords();
  });
  afterAll(async () => {
    await world.fake.stop();
    // Across every outage scenario above, no background failure escaped as an unhandled rejection.
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  const customerOnly = (extra = {}) => ({
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    logger: false as const,
    ...extra,
  });

  it('a 3-day outage from refresh time: the valid token keeps being served, attempts follow the backoff, recovery within one step', async () => {
    subject = await createRefreshApp(customerOnly());
    const { tokens, events, idle } = subject;
    const held = await tokens.getToken('customer');
    const refreshAt = tokens.status()[0].refreshAt!;
    await jest.advanceTimersByTimeAsync(refreshAt - 1 - Date.now()); // daily wakes only, no HTTP
    world.fake.fault('POST /token', { status: 500 }, Infinity);
    const attemptsBefore = world.fake.mintAttempts(world.customer.id);
    let served = 0;
    await runUntil(refreshAt + 3 * DAY, idle, () => {
      void tokens.getToken('customer').then((t) => {
        expect(t).toBe(held);
        served++;
      });
    });
    const attempts = world.fake.mintAttempts(world.customer.id) - attemptsBefore;
    // Backoff with random fixed at 0.5: 2 s, 2 s, 4 s ... 1024 s (11 attempts in ~34 min), then 30 min
    // apart (half the 1 h cap): 11 + (3 days - 2048 s) / 1800 s ~ 154 attempts. Asserted bound: 150-160.
    expect(attempts).toBeGreaterThanOrEqual(150);
    expect(attempts).toBeLessThanOrEqual(160);
    expect(served).toBeGreaterThan(100);
    const failures = events.filter((e) => e.type === 'refresh_failed');
    expect(failures).toHaveLength(attempts);
    expect(failures.at(-1)).toMatchObject({ credential: 'customer', consecutiveFailures: attempts });
    expect(failures.at(-1)!.nextAttemptAt).toBeGreaterThan(failures.at(-1)!.at);
    expect(failures.at(-1)!.reason).toMatch(/HTTP 500/);
    expect(tokens.status()[0]).toMatchObject({
      state: 'retrying',
      consecutiveFailures: attempts,
      lastError: { name: 'ExotelUnavailableError' },
    });
    // The real expiry was never extended.
    expect(tokens.status()[0].expiresAt).toBe(events.find((e) => e.type === 'minted')!.expiresAt);

    world.fake.clearFaults();
    const recoveredAt = Date.now();
    await runUntil(recoveredAt + HOUR, idle);
    const refreshed = events.filter((e) => e.type === 'refreshed');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0].issuedAt! - recoveredAt).toBeLessThanOrEqual(HOUR);
    expect(await tokens.getToken('customer')).not.toBe(held);
    expect(tokens.status()[0]).toMatchObject({ state: 'fresh', consecutiveFailures: 0 });
  });

  it('an outage past expiry: getToken() rejects with ExotelUnavailableError, concurrent callers share one attempt per window', async () => {
    subject = await createRefreshApp(customerOnly({ tokenTtlMs: DAY }));
    const { tokens, idle, events } = subject;
    world.fake.fault('POST /token', { status: 503 }, Infinity);
    await runUntil(Date.now() + DAY + HOUR, idle);
    expect(events.some((e) => e.type === 'expired')).toBe(false); // nobody asked yet
    const attempts = world.fake.mintAttempts(world.customer.id);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => tokens.getToken('customer')));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ExotelUnavailableError)).toBe(
      true,
    );
    // Inside the backoff window nobody hits the endpoint again.
    expect(world.fake.mintAttempts(world.customer.id)).toBe(attempts);
    expect(tokens.status()[0].state).toBe('failed');
    expect(events.filter((e) => e.type === 'expired')).toHaveLength(1);
    // At the end of the window exactly one attempt is made, whoever is waiting.
    const next = tokens.status()[0].nextAttemptAt!;
    await runUntil(next, idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(attempts + 1);
  });

  it('429 with Retry-After: 120 — no attempt before 120 s have passed', async () => {
    subject = await createRefreshApp(customerOnly({ eager: false }));
    const { tokens, idle } = subject;
    world.fake.fault('POST /token', { status: 429, retryAfter: 120 });
    await expect(tokens.getToken('customer')).rejects.toMatchObject({ retryAfterSeconds: 120 });
    await advanceInSteps(119_000, 1_000, idle, () => {
      void tokens.getToken('customer').catch(() => undefined);
    });
    expect(world.fake.mintAttempts(world.customer.id)).toBe(1);
    await advanceInSteps(2_000, 1_000, idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
    expect(tokens.status()[0].state).toBe('fresh');
  });

  it('bad credentials at bootstrap with eager: init rejects with ExotelAuthError naming the credential, no timer left', async () => {
    subject = await createRefreshApp(
      {
        baseUrl: world.fake.baseUrl,
        customer: world.customer,
        app: { id: world.app.id, secret: 'wrong-secret-0000' },
        logger: false,
      },
      { init: false },
    );
    const error = (await subject.app.init().catch((e: unknown) => e)) as ExotelAuthError;
    expect(error).toBeInstanceOf(ExotelAuthError);
    expect(error.message).toContain("app 'default'");
    expect(error.message).not.toContain('wrong-secret-0000');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('bad credentials are retried only at the cap (1 h), never fast', async () => {
    subject = await createRefreshApp(
      customerOnly({ eager: false, customer: { id: world.customer.id, secret: 'nope-nope' } }),
    );
    await expect(subject.tokens.getToken('customer')).rejects.toThrow(ExotelAuthError);
    await advanceInSteps(59 * 60_000, 60_000, subject.idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(1);
    await advanceInSteps(2 * 60_000, 60_000, subject.idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
  });

  it('a 500 at bootstrap does not block start; the token arrives after recovery', async () => {
    world.fake.fault('POST /token', { status: 500 }, 3);
    subject = await createRefreshApp(customerOnly());
    expect(subject.tokens.status()[0].state).toBe('failed');
    await runUntil(Date.now() + 60_000, subject.idle);
    expect(subject.tokens.status()[0].state).toBe('fresh');
    expect(world.fake.isTokenValid(await subject.tokens.getToken('customer'))).toBe(true);
  });

  it('a same-token reply keeps the original expiry and does not spin', async () => {
    subject = await createRefreshApp(customerOnly());
    const { tokens, idle, events } = subject;
    const held = await tokens.getToken('customer');
    const { refreshAt, expiresAt } = tokens.status()[0];
    world.fake.fault('POST /token', { sameToken: true }, Infinity);
    await runUntil(expiresAt! - 2 * DAY, idle);
    const same = events.filter((e) => e.type === 'same_token');
    // Halving gaps towards expiresAt - lead/2 (day 86.5): about 10 attempts in the 32 days after day 54;
    // past that point, one an hour (the retry cap) until expiry. Never two attempts within an hour.
    const deadline = expiresAt! - 3.5 * DAY;
    expect(same.filter((e) => e.at <= deadline).length).toBeLessThanOrEqual(12);
    expect(same.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < same.length; i++) expect(same[i].at - same[i - 1].at).toBeGreaterThanOrEqual(HOUR);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(1 + same.length);
    expect(same.every((e) => e.expiresAt === expiresAt)).toBe(true);
    expect(await tokens.getToken('customer')).toBe(held);
    expect(tokens.status()[0]).toMatchObject({ expiresAt, state: 'fresh' });
    expect(tokens.status()[0].refreshAt).toBeGreaterThan(refreshAt!);
    world.fake.clearFaults();
    await runUntil(expiresAt! - 1, idle);
    expect(events.filter((e) => e.type === 'refreshed')).toHaveLength(1);
    expect(await tokens.getToken('customer')).not.toBe(held);
  });

  it('a same-token reply that arrives after the held token expired is a new lifetime, never an expired token', async () => {
    subject = await createRefreshApp(customerOnly({ tokenTtlMs: 10 * 60_000, eager: false }));
    const { tokens, idle } = subject;
    await tokens.getToken('customer');
    const { expiresAt } = tokens.status()[0];
    // Refreshes fail until a second before expiry, so the first token is still the one held.
    world.fake.fault('POST /token', { status: 500 }, Infinity);
    await advanceInSteps(expiresAt! - 1_000 - Date.now(), 1_000, idle);
    world.fake.clearFaults();
    world.fake.fault('POST /token', { sameToken: true, delayMs: 5_000 });
    const before = world.fake.mintAttempts(world.customer.id);
    const pending = tokens.refresh('customer');
    pending.catch(() => undefined);
    await settle(() => world.fake.mintAttempts(world.customer.id) === before + 1);
    await jest.advanceTimersByTimeAsync(5_000); // the reply arrives after the held token expired
    await pending;
    const row = tokens.status()[0];
    expect(row.expiresAt!).toBeGreaterThan(Date.now());
    expect(row.generation).toBe(2);
    expect(row.state).toBe('fresh');
    const attempts = world.fake.mintAttempts(world.customer.id);
    await advanceInSteps(60_000, 1_000, idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(attempts); // no catch-up spin
  });

  it('a 401 invalidation during a failing refresh keeps the retry armed', async () => {
    subject = await createRefreshApp(customerOnly());
    const { tokens, scheduler, idle } = subject;
    const refreshAt = tokens.status()[0].refreshAt!;
    world.fake.fault('POST /token', { status: 500 }, Infinity);
    await jest.advanceTimersByTimeAsync(refreshAt - Date.now());
    await settle(idle);
    expect(tokens.status()[0].state).toBe('retrying');
    const { generation, nextAttemptAt } = tokens.status()[0];
    tokens.invalidate('customer', undefined, generation);
    expect(scheduler.dueAt('customer')).toBe(nextAttemptAt);
    world.fake.clearFaults();
    await runUntil(nextAttemptAt!, idle);
    expect(tokens.status()[0]).toMatchObject({ state: 'fresh', generation: generation + 1 });
  });

  it('a mint in flight at shutdown cannot re-arm a timer', async () => {
    subject = await createRefreshApp(customerOnly({ eager: false }));
    world.fake.fault('POST /token', { delayMs: 1_000 });
    const pending = subject.tokens.getToken('customer').catch((e: unknown) => e);
    await settle(() => world.fake.mintAttempts() === 1);
    const { scheduler, tokens } = subject;
    await subject.app.close();
    subject = undefined;
    expect(await pending).toBeInstanceOf(ExotelUnavailableError);
    await jest.advanceTimersByTimeAsync(2_000); // lets the fake's own delay timer run out
    expect(jest.getTimerCount()).toBe(0);
    expect(scheduler.dueAt('customer')).toBeUndefined();
    expect(tokens.status()[0]).toMatchObject({ state: 'failed', consecutiveFailures: 1 });
  });
});
