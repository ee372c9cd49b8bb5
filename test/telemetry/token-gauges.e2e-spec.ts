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

  /** Credentials per kind and state, as the gauge reports them now. */
  async function states(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const p of await otel.points(STATES)) {
      if (p.value)
        counts[`${p.attributes['exotel.credential.kind']}:${p.attributes['exotel.token.state']}`] =
          p.value as number;
    }
    return counts;
  }

  it('report states and the soonest expiry, and follow a jump of the clock', async () => {
    world = await startFakeWorld();
    otel = new OtelHarness();
    const { meterProvider, tracerProvider } = otel;
    subject = await createRefreshApp(worldOptions(world, { telemetry: { meterProvider, tracerProvider } }));
    const { tokens, idle } = subject;

    expect(await states()).toEqual({ 'customer:fresh': 1, 'app:fresh': 2 });
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
    expect(await states()).toEqual({ 'customer:retrying': 1, 'app:retrying': 2 });
    const left = (await otel.value(EXPIRY, { 'exotel.credential.kind': 'app' })) as number;
    const soonest = Math.min(...tokens.status().map((s) => s.expiresAt!));
    expect(left).toBe((soonest - Date.now()) / 1000);
    expect(left).toBeLessThan(36 * DAY_S);
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
