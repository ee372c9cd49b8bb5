import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { runUntil, settle } from './support/fake-clock.js';
import { createRefreshApp, type RefreshApp } from './support/refresh-app.js';

const DAY = 24 * 60 * 60 * 1000;
const MAX_DELAY = 60_000;

describe('Retry-After on POST /token (fake timers, Date included)', () => {
  let world: FakeWorld;
  let subject: RefreshApp | undefined;

  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    jest.useRealTimers();
    world.fake.clearFaults();
    world.fake.resetRecords();
  });
  afterAll(() => world.fake.stop());

  const options = () => ({
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    logger: false as const,
    retryBaseDelayMs: 1_000,
    retryMaxDelayMs: MAX_DELAY,
  });

  it('without a valid token, a Retry-After of a day is cut to retryMaxDelayMs', async () => {
    world.fake.fault('POST /token', { status: 429, retryAfter: 86_400 });
    subject = await createRefreshApp(options());
    const { tokens, idle } = subject;
    await settle(idle);
    const failedAt = Date.now();
    const [row] = tokens.status();
    expect(row.state).toBe('failed');
    expect(row.nextAttemptAt! - failedAt).toBe(MAX_DELAY);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(1);

    await runUntil(row.nextAttemptAt!, idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
    expect(tokens.status()[0].state).toBe('fresh');
  });

  it('while a valid token is served, the Retry-After is honoured in full', async () => {
    subject = await createRefreshApp(options());
    const { tokens, idle } = subject;
    await settle(idle);
    const held = await tokens.getToken('customer');
    const refreshAt = tokens.status()[0].refreshAt!;
    world.fake.fault('POST /token', { status: 429, retryAfter: 7_200 });
    await runUntil(refreshAt, idle);
    await settle(idle);
    const row = tokens.status()[0];
    expect(row.state).toBe('retrying');
    expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
    const failedAt = row.nextAttemptAt! - 7_200_000;
    expect(failedAt).toBeGreaterThanOrEqual(refreshAt);
    expect(failedAt).toBeLessThan(refreshAt + DAY);

    // Nothing is attempted before the server's time, and the held token is served meanwhile.
    await jest.advanceTimersByTimeAsync(row.nextAttemptAt! - 1 - Date.now());
    await settle(idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
    expect(await tokens.getToken('customer')).toBe(held);
    await jest.advanceTimersByTimeAsync(1);
    await settle(idle);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(3);
    expect(tokens.status()[0].state).toBe('fresh');
  });
});
