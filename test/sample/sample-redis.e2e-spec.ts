import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX, RedisTokenStore } from 'nestjs-exotel-webrtc/redis';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';
import { bannerOf } from '../../sample/banner.js';
import { closeClient, describeWithRedis, RedisServer, connectAdmin } from '../redis/redis-server.js';
import { call, type RunningSample, startSample } from './support/sample-app.js';

describeWithRedis('sample app with EXOTEL_REDIS_URL set (real redis-server)', () => {
  let server: RedisServer;
  let admin: Redis | undefined;
  let reader: RedisTokenStore | undefined;
  let sample: RunningSample | undefined;

  beforeAll(async () => {
    server = await RedisServer.start();
    admin = await connectAdmin(server.url);
  });

  afterAll(async () => {
    await sample?.close(); // also restores process.env
    await reader?.close();
    await closeClient(admin);
    await server?.stop();
  });

  it('shares its tokens through Redis and says where, without the password', async () => {
    sample = await startSample({ EXOTEL_REDIS_URL: server.url });

    const rows = (await call(`${sample.url}/tokens`)).body;
    expect(rows.map((r: any) => [r.credential, r.state])).toEqual([
      ['customer', 'fresh'],
      ['app:default', 'fresh'],
    ]);

    // One record per credential, holding the very tokens the fake issued.
    const prefix = `${DEFAULT_KEY_PREFIX}:`;
    const records = (await admin!.keys(`${prefix}*`)).filter((k) => !/:(lease|written)$/.test(k));
    expect(records).toHaveLength(2);
    reader = new RedisTokenStore({ url: server.url });
    // Record names are `<prefix>:{<store key>}` (a Redis Cluster hash tag around the key).
    const stored = await Promise.all(records.map((k) => reader!.read(k.slice(prefix.length + 1, -1))));
    const issued = [
      ...sample.fake.tokensOf(FAKE_SEED.customer.id),
      ...sample.fake.tokensOf(FAKE_SEED.app.id),
    ];
    expect(issued).toHaveLength(2);
    expect(stored.map((r) => r?.token).sort()).toEqual([...issued].sort());

    const text = bannerOf(sample.app);
    expect(text).toContain(`tokens shared through Redis at 127.0.0.1:${server.port}`);
    expect(text).not.toContain(server.password);
    expect(text).not.toContain(server.url);
  });
});
