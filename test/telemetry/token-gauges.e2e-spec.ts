import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { startFakeWorld, worldOptions, type FakeWorld } from '../support/exotel-app.js';
import { runUntil } from '../support/fake-clock.js';
import { createRefreshApp, type RefreshApp } from '../support/refresh-app.js';
import { OtelHarness } from './support/otel-harness.js';

const DAY_S = 24 * 60 * 60;
const STATES = 'exotel.token.credentials';
const EXPIRY = 'exotel.token.time_to_expiry.min';

describe('OpenTelemetry: token gauges on a fake clock', () => {
  let world: FakeWorld;
  let subject: RefreshApp | undefined;
  let otel: OtelHarness;

  afterEach(async () => {
    await subject?.app.close();
    jest.useRealTimers();
    await world?.fake.stop();
    await otel?.shutdown();
  });

  it('report states and the soonest expiry, and follow a jump of the clock', async () => {
    world = await startFakeWorld();
    otel = new OtelHarness();
    const { meterProvider, tracerProvider } = otel;
    subject = await createRefreshApp(worldOptions(world, { telemetry: { meterProvider, tracerProvider } }));
    const { tokens, idle } = subject;

    expect(await otel.credentialStates()).toEqual({ 'customer:fresh': 1, 'app:fresh': 2 });
    // Every state is reported for both kinds, as 0 when no credential is in it.
    expect(await otel.points(STATES)).toHaveLength(2 * 6);
    expect(await otel.value(EXPIRY, { 'exotel.credential.kind': 'customer' })).toBe(90 * DAY_S);
    expect(await otel.value(EXPIRY, { 'exotel.credential.kind': 'app' })).toBe(90 * DAY_S);

    await jest.advanceTimersByTimeAsync(30 * DAY_S * 1000); // daily wakes only, no refresh due yet
    expect(await otel.value(EXPIRY, { 'exotel.credential.kind': 'customer' })).toBe(60 * DAY_S);

    // From the planned refresh on (day 54 plus jitter), Exotel fails: every token is retried while valid.
    world.fake.fault('POST /token', { status: 500 }, Infinity);
    const refreshAt = Math.max(...tokens.status().map((s) => s.refreshAt!));
    await runUntil(refreshAt + 60_000, idle);
    expect(await otel.credentialStates()).toEqual({ 'customer:retrying': 1, 'app:retrying': 2 });
    const left = (await otel.value(EXPIRY, { 'exotel.credential.kind': 'app' })) as number;
    const soonest = Math.min(...tokens.status().map((s) => s.expiresAt!));
    expect(left).toBe((soonest - Date.now()) / 1000);
    expect(left).toBeLessThan(36 * DAY_S);
  });

  it('leave out a removed app, and report an idle-evicted one as pending with no expiry', async () => {
    world = await startFakeWorld();
    otel = new OtelHarness({ delta: true }); // each collection holds only what was observed in it
    const { meterProvider } = otel;
    const telemetry = { meterProvider, appNameAttribute: true };
    subject = await createRefreshApp(worldOptions(world, { idleAppEvictionMs: 60_000, telemetry }));
    const app = (name: string, state?: string) => ({
      'exotel.credential.kind': 'app',
      'exotel.app.name': name,
      ...(state && { 'exotel.token.state': state }),
    });
    expect(await otel.value(STATES, app('support', 'fresh'))).toBe(1);
    expect(await otel.value(EXPIRY, app('support'))).toBe(90 * DAY_S);

    await subject.tokens.removeApp('support');
    const names = async (metric: string) =>
      new Set((await otel.points(metric)).map((p) => p.attributes['exotel.app.name']));
    expect(await names(STATES)).toEqual(new Set([undefined, 'default']));
    expect(await names(EXPIRY)).toEqual(new Set([undefined, 'default']));

    // Two idle sweeps (every 30 s) without a use: the default app's token leaves memory.
    await jest.advanceTimersByTimeAsync(60_000);
    expect(subject.tokens.statusOf('app')?.state).toBe('pending');
    expect(await otel.value(STATES, app('default', 'pending'))).toBe(1);
    expect(await otel.value(STATES, app('default', 'fresh'))).toBe(0);
    expect(await names(EXPIRY)).toEqual(new Set([undefined]));
    expect(await otel.value(EXPIRY, { 'exotel.credential.kind': 'customer' })).toBe(90 * DAY_S - 60);
  });

  it('stop reporting when the module shuts down', async () => {
    world = await startFakeWorld();
    otel = new OtelHarness({ delta: true }); // a gauge nobody observes any more then reports nothing
    const { meterProvider } = otel;
    subject = await createRefreshApp(worldOptions(world, { telemetry: { meterProvider } }));
    expect(await otel.points(STATES)).toHaveLength(12);
    await subject.app.close();
    subject = undefined;
    expect(await otel.points(STATES)).toEqual([]);
    expect(await otel.points(EXPIRY)).toEqual([]);
  });
});
