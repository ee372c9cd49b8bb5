import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { createExotelApp, startFakeWorld, worldOptions, type FakeWorld } from '../support/exotel-app.js';
import { useFakeClock } from '../support/fake-clock.js';
import { OtelHarness } from './support/otel-harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY = 'exotel.token.time_to_expiry.min';
const customer = { 'exotel.credential.kind': 'customer' };

describe('OpenTelemetry: two module instances on the global MeterProvider', () => {
  let world: FakeWorld;
  let otel: OtelHarness;
  const apps: INestApplication[] = [];

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    jest.useRealTimers();
    await world?.fake.stop();
    metrics.disable();
    await otel?.shutdown();
  });

  it('add up their counts and gauges; the soonest expiry is the minimum of both', async () => {
    world = await startFakeWorld();
    otel = new OtelHarness();
    expect(metrics.setGlobalMeterProvider(otel.meterProvider)).toBe(true);
    useFakeClock(); // Date stands still between collections: expiry values are exact
    const first = await createExotelApp(worldOptions(world));
    jest.setSystemTime(Date.now() + DAY_MS); // the second instance's tokens expire a day later
    const second = await createExotelApp(worldOptions(world));
    apps.push(first.app, second.app);
    const left = (tokens: typeof first.tokens) =>
      (tokens.statusOf('customer')!.expiresAt! - Date.now()) / 1000;

    expect(await otel.credentialStates()).toEqual({ 'customer:fresh': 2, 'app:fresh': 4 });
    expect(await otel.value(EXPIRY, customer)).toBe(left(first.tokens));
    expect(left(first.tokens)).toBeLessThan(left(second.tokens));
    expect(await otel.value('exotel.token.mints', { ...customer, 'exotel.outcome': 'success' })).toBe(2);

    // The instance that closes takes its credentials out; the other one keeps reporting.
    await first.app.close();
    apps.shift();
    expect(await otel.credentialStates()).toEqual({ 'customer:fresh': 1, 'app:fresh': 2 });
    expect(await otel.value(EXPIRY, customer)).toBe(left(second.tokens));
  });
});
