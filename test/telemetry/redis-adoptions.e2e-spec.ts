import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { createExotelApp, startFakeWorld, worldOptions, type FakeWorld } from '../support/exotel-app.js';
import { logGuard } from '../support/log-guard-core.js';
import { describeWithRedis, RedisServer } from '../redis/redis-server.js';
import { OtelHarness } from './support/otel-harness.js';

describeWithRedis('OpenTelemetry: adoptions across two instances sharing Redis', () => {
  let server: RedisServer;
  let world: FakeWorld;
  const apps: INestApplication[] = [];
  const harnesses: OtelHarness[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    logGuard.watch(server.password);
    world = await startFakeWorld();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await world?.fake.stop();
    await server?.stop();
    for (const otel of harnesses) await otel.shutdown();
  });

  /** An instance with its own store connection and its own telemetry, as a second replica would have. */
  async function replica(): Promise<OtelHarness> {
    const otel = new OtelHarness();
    harnesses.push(otel);
    const store = new RedisTokenStore({ url: server.url });
    const { app } = await createExotelApp(
      worldOptions(world, { store, telemetry: { meterProvider: otel.meterProvider } }),
    );
    apps.push(app);
    return otel;
  }

  it('the first instance mints every credential, the second adopts them and mints none', async () => {
    const first = await replica();
    const minted = world.fake.mintCount();
    const second = await replica();
    expect(world.fake.mintCount()).toBe(minted);

    const adoptions = (otel: OtelHarness, kind: string) =>
      otel.value('exotel.token.adoptions', { 'exotel.credential.kind': kind });
    expect(await adoptions(second, 'customer')).toBe(1);
    expect(await adoptions(second, 'app')).toBe(2);
    expect(await second.points('exotel.token.mints')).toEqual([]);
    expect(await first.points('exotel.token.adoptions')).toEqual([]);
    expect(
      await first.value('exotel.token.mints', {
        'exotel.credential.kind': 'app',
        'exotel.outcome': 'success',
      }),
    ).toBe(2);
  });
});
