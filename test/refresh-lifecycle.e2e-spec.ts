import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { TokenEvent } from 'nestjs-exotel-webrtc';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { RefreshScheduler } from '../lib/scheduling/refresh-scheduler.js';
import { runUntil, settle } from './support/fake-clock.js';
import { createRefreshApp, type RefreshApp } from './support/refresh-app.js';

const DAY = 24 * 60 * 60 * 1000;

describe('refresh over months of uptime (fake timers, Date included)', () => {
  let world: FakeWorld;
  let subject: RefreshApp | undefined;
  const warnings: Error[] = [];
  const onWarning = (w: Error): void => {
    warnings.push(w);
  };

  beforeAll(async () => {
    world = await startFakeWorld();
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    jest.useRealTimers();
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await world.fake.stop();
  });

  const options = () => ({
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    app: world.app,
    apps: { support: world.support },
    logger: false as const,
  });

  it('200 days: each credential re-minted once per cycle, near its planned time, before expiry; never an expired token', async () => {
    world.fake.resetRecords();
    subject = await createRefreshApp(options());
    const { tokens, scheduler, events, idle } = subject;
    // Fake timers clamp overflowing delays silently, so record every delay handed to setTimeout.
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    const spy = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout);
    const start = Date.now();
    const credentials = ['customer', 'app:default', 'app:support'];
    const lookups: ['customer' | 'app', string | undefined][] = [
      ['customer', undefined],
      ['app', undefined],
      ['app', 'support'],
    ];
    let checks = 0;
    await runUntil(start + 200 * DAY, idle, () => {
      // getToken() must never hand out an expired token: the fake checks expiry by the same fake Date.
      for (const [entity, app] of lookups) {
        void tokens.getToken(entity, app).then((t) => {
          checks++;
          if (!world.fake.isTokenValid(t)) throw new Error(`expired token served for ${entity}`);
        });
      }
    });
    spy.mockRestore();
    expect(checks).toBeGreaterThan(500);
    expect(delays.length).toBeGreaterThan(190); // one timer, woken at least daily for 200 days
    expect(Math.max(...delays)).toBeLessThanOrEqual(DAY);
    for (const credential of credentials) {
      const mine = events.filter(
        (e) => e.credential === credential && (e.type === 'minted' || e.type === 'refreshed'),
      );
      // Day 0 mint, then refreshes at ~day 54, 108, 162 (60% of 90 days, plus 30 min of fixed jitter).
      expect(mine.map((e) => e.type)).toEqual(['minted', 'refreshed', 'refreshed', 'refreshed']);
      for (let i = 1; i < mine.length; i++) {
        const previous = mine[i - 1] as Required<TokenEvent>;
        const at = mine[i].issuedAt!;
        expect(at).toBeGreaterThanOrEqual(previous.refreshAt);
        expect(at - previous.refreshAt).toBeLessThan(60_000); // near the planned time
        expect(at).toBeLessThan(previous.expiresAt - 7 * DAY); // before expiry, with the lead kept
        expect(previous.refreshAt - previous.issuedAt).toBe(0.6 * 90 * DAY + 30 * 60 * 1000);
      }
    }
    for (const id of [world.customer.id, world.app.id, world.support.id])
      expect(world.fake.mintAttempts(id)).toBe(4);
    expect(events.some((e) => e.type === 'refresh_failed' || e.type === 'expired')).toBe(false);
    // One timer for all credentials: at most one wake a day, plus the wake at each planned refresh time.
    expect(scheduler.wakeCount).toBeLessThanOrEqual(200 + 3 * 4);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    expect(tokens.status().map((s) => s.state)).toEqual(['fresh', 'fresh', 'fresh']);
  });

  it('registers one named timer for all credentials in SchedulerRegistry and leaves nothing after close', async () => {
    subject = await createRefreshApp(options());
    const registry = subject.app.get(SchedulerRegistry);
    const names = registry.getTimeouts().filter((n) => n.startsWith('exotel-webrtc:'));
    // One due-time queue for the 3 credentials: one timer, under this module instance's name.
    expect(names).toHaveLength(1);
    expect(subject.app.get(RefreshScheduler).size).toBe(3);
    // A wake re-arms under the same name without a duplicate-name error.
    await runUntil(Date.now() + 3 * DAY, subject.idle);
    expect(registry.getTimeouts().filter((n) => n.startsWith('exotel-webrtc:'))).toHaveLength(1);
    await subject.app.close();
    subject = undefined;
    expect(registry.getTimeouts().filter((n) => n.startsWith('exotel-webrtc:'))).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('works the same without ScheduleModule, and close() leaves no timers', async () => {
    subject = await createRefreshApp(options(), { withSchedule: false });
    expect(jest.getTimerCount()).toBe(1); // one timer for the 3 credentials
    await runUntil(Date.now() + 60 * DAY, subject.idle);
    expect(subject.events.filter((e) => e.type === 'refreshed')).toHaveLength(3);
    await subject.app.close();
    subject = undefined;
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a clock jump past refreshAt without timers firing refreshes at the next wake', async () => {
    subject = await createRefreshApp({ ...options(), apps: undefined, app: undefined });
    const [row] = subject.tokens.status();
    const jumpTo = row.refreshAt! + 5 * DAY;
    jest.setSystemTime(jumpTo); // wall clock moves (suspend/resume); no timer fires
    expect(subject.events.filter((e) => e.type === 'refreshed')).toHaveLength(0);
    await jest.advanceTimersToNextTimerAsync();
    await runUntil(Date.now(), subject.idle);
    const refreshed = subject.events.filter((e) => e.type === 'refreshed');
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0].issuedAt! - jumpTo).toBeLessThanOrEqual(DAY);
  });

  it('getToken() after a missed refresh time refreshes in the background and keeps serving the valid token', async () => {
    subject = await createRefreshApp({ ...options(), apps: undefined, app: undefined });
    const held = await subject.tokens.getToken('customer');
    jest.setSystemTime(subject.tokens.status()[0].refreshAt! + 1);
    expect(await subject.tokens.getToken('customer')).toBe(held);
    expect(subject.tokens.status()[0].state).toBe('refreshing');
    await settle(subject.idle);
    const fresh = await subject.tokens.getToken('customer');
    expect(fresh).not.toBe(held);
    expect(world.fake.isTokenValid(fresh)).toBe(true);
  });
});
