import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { logGuard } from '../support/log-guard-core.js';
import { type FakeWorld, startFakeWorld, worldOptions } from '../support/exotel-app.js';
import { describeWithRedis, RedisServer } from '../redis/redis-server.js';
import { newSecret, notification, post, startWebhookApp, type WebhookApp } from './webhook-app.js';

describeWithRedis('two app instances sharing one redis-server', () => {
  let redis: RedisServer;
  let world: FakeWorld;
  let one: WebhookApp;
  let two: WebhookApp;
  const secret = newSecret();
  const handled = () => [...one.log.popups, ...two.log.popups];

  beforeAll(async () => {
    redis = await RedisServer.start();
    logGuard.watch(redis.password, secret);
    world = await startFakeWorld();
    // The default dedupe: the core module's RedisTokenStore, found without any webhooks option.
    const replica = () =>
      startWebhookApp(worldOptions(world, { store: new RedisTokenStore({ url: redis.url }) }), { secret });
    one = await replica();
    two = await replica();
  });

  afterAll(async () => {
    await one?.app.close();
    await two?.app.close();
    await world?.fake.stop();
    await redis?.stop();
  });

  it('picks the token store for dedupe', () => {
    expect(one.logger.at('log').some((line) => line.includes('dedupe StoreCallDedupe'))).toBe(true);
  });

  it('a notification delivered to both replicas at once is handled by one of them', async () => {
    const body = JSON.stringify(notification());
    const answers = await Promise.all([post(one.url('popup'), body), post(two.url('popup'), body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => (JSON.parse(a.body) as { status: string }).status).sort()).toEqual([
      'duplicate',
      'handled',
    ]);
    expect(handled()).toHaveLength(1);
    // A later redelivery to either replica is a duplicate too.
    expect(JSON.parse((await post(two.url('popup'), body)).body)).toEqual({ status: 'duplicate' });
    expect(JSON.parse((await post(one.url('popup'), body)).body)).toEqual({ status: 'duplicate' });
    expect(handled()).toHaveLength(1);
  });

  it('after a failure on one replica, the redelivery to the other is handled, once', async () => {
    one.log.failures = 1;
    const body = JSON.stringify(
      notification({ Direction: 'outbound', CallState: 'terminal', TotalDuration: 12 }),
    );
    expect((await post(one.url('callback'), body)).status).toBe(500);
    expect(JSON.parse((await post(two.url('callback'), body)).body)).toEqual({ status: 'handled' });
    expect(JSON.parse((await post(one.url('callback'), body)).body)).toEqual({ status: 'duplicate' });
    expect([...one.log.callbacks, ...two.log.callbacks].map((e) => e.totalDuration)).toEqual([12]);
    expect(one.log.callbackCalls + two.log.callbackCalls).toBe(2);
  });
});
