import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import axios, { type AxiosAdapter, type AxiosResponse, isAxiosError } from 'axios';
import { Readable } from 'node:stream';
import {
  ExotelAuthError,
  ExotelHttpService,
  type ExotelWebrtcModuleOptions,
  type TokenService,
} from 'nestjs-exotel-webrtc';
import { type FakeWorld, startExotelWorld } from './support/exotel-app.js';

/** An adapter that really sends the request, then holds the reply until `release()`. */
function heldAdapter(): { adapter: AxiosAdapter; replied: Promise<void>; release: () => void } {
  const send = axios.getAdapter('http');
  let release!: () => void;
  let replied!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const arrived = new Promise<void>((resolve) => (replied = resolve));
  const adapter: AxiosAdapter = async (config) => {
    const response = await send(config);
    replied();
    await gate;
    return response;
  };
  return { adapter, replied: arrived, release };
}

describe('ExotelAuthInterceptor: downstream 401', () => {
  let world: FakeWorld;
  let app: INestApplication;
  let tokens: TokenService;
  let http: ExotelHttpService;

  async function start(extra: Partial<ExotelWebrtcModuleOptions> = {}): Promise<void> {
    ({ world, app, tokens } = await startExotelWorld(extra));
    http = app.get(ExotelHttpService);
  }

  afterEach(async () => {
    await app?.close();
    await world?.fake.stop();
  });

  it('one revoked token and 1,000 concurrent requests: exactly one mint, all succeed', async () => {
    // This test counts requests and mints; a deadline is not what it checks. 2,000 loopback requests
    // under CI's --detectOpenHandles (an async hook per socket) can take longer than the 10 s default.
    await start({ requestTimeoutMs: 120_000 });
    const minted = world.fake.mintCount(world.app.id);
    world.fake.revokeTokens(world.app.id);
    const replies = await Promise.all(Array.from({ length: 1000 }, () => http.axiosRef.get('/app')));
    expect(replies.every((r: AxiosResponse) => r.status === 200)).toBe(true);
    expect(world.fake.mintCount(world.app.id)).toBe(minted + 1);
    expect(world.fake.requestsTo('GET /app')).toHaveLength(2000);
  }, 180_000);

  it('a late 401 for an older generation retries with the newer token and mints nothing', async () => {
    await start();
    const before = await tokens.getTokenWithGeneration('app');
    world.fake.revokeTokens(world.app.id);
    const held = heldAdapter();
    const late = http.axiosRef.get('/app', { adapter: held.adapter });
    await held.replied; // its 401 for the old generation has arrived, but is not handled yet
    expect((await http.axiosRef.get('/app')).status).toBe(200); // renews: one mint
    const renewed = await tokens.getTokenWithGeneration('app');
    expect(renewed.generation).toBeGreaterThan(before.generation);
    const minted = world.fake.mintCount(world.app.id);
    held.release();
    expect((await late).status).toBe(200);
    expect(world.fake.mintCount(world.app.id)).toBe(minted);
    expect((await tokens.getTokenWithGeneration('app')).generation).toBe(renewed.generation);
  });

  it('a fake that refuses every token: each request is sent at most twice, and the breaker stops minting', async () => {
    await start({ unauthorizedBreakerThreshold: 3 });
    world.fake.fault('GET /customer', { status: 401 }, Infinity);
    const minted = world.fake.mintCount(world.customer.id);
    const failures: unknown[] = [];
    for (let i = 0; i < 6; i++) failures.push(await http.axiosRef.get('/customer').catch((e: unknown) => e));
    // Three fresh tokens refused in a row open the breaker; no mint after that.
    expect(world.fake.mintCount(world.customer.id)).toBe(minted + 3);
    expect(world.fake.requestsTo('GET /customer')).toHaveLength(3 * 2 + 3 * 1);
    expect(failures.slice(0, 2).map((e) => isAxiosError(e) && e.response?.status)).toEqual([401, 401]);
    for (const failure of failures.slice(2)) {
      expect(failure).toBeInstanceOf(ExotelAuthError);
      expect((failure as ExotelAuthError).credential).toBe('customer');
    }
    // Other credentials are not affected.
    expect((await http.axiosRef.get('/app')).status).toBe(200);
  });

  it('403 never mints and is not retried', async () => {
    await start();
    world.fake.fault('GET /app', { status: 403 });
    const minted = world.fake.mintCount();
    const failure = await http.axiosRef.get('/app').catch((e: unknown) => e);
    expect(isAxiosError(failure) && failure.response?.status).toBe(403);
    expect(world.fake.mintCount()).toBe(minted);
    expect(world.fake.requestsTo('GET /app')).toHaveLength(1);
  });

  it('does not replay a stream body, but renews the token for the next request', async () => {
    await start();
    world.fake.revokeTokens(world.app.id);
    const minted = world.fake.mintCount(world.app.id);
    const body = Readable.from([JSON.stringify({ Key: 'theme', Value: 'https://example.test/p' })]);
    const failure = await http.axiosRef
      .post('/app_setting', body, { headers: { 'Content-Type': 'application/json' } })
      .catch((e: unknown) => e);
    expect(isAxiosError(failure) && failure.response?.status).toBe(401);
    expect(world.fake.requestsTo('POST /app_setting')).toHaveLength(1);
    expect(world.fake.mintCount(world.app.id)).toBe(minted + 1);
    expect((await http.axiosRef.get('/app')).status).toBe(200);
  });

  it('a JSON body is replayed on the retry', async () => {
    await start();
    world.fake.revokeTokens(world.app.id);
    const reply = await http.axiosRef.post('/app_setting', { Key: 'theme', Value: 'https://example.test/p' });
    expect(reply.status).toBe(200);
    const sent = world.fake.requestsTo('POST /app_setting');
    expect(sent).toHaveLength(2);
    expect(sent[1].body).toEqual({ Key: 'theme', Value: 'https://example.test/p' });
  });

  it('renews the token the request used: a named app, not the default one', async () => {
    await start();
    world.fake.revokeTokens(world.support.id);
    const [support, main] = [world.fake.mintCount(world.support.id), world.fake.mintCount(world.app.id)];
    const reply = await http.axiosRef.get('/app', { exotel: { app: 'support' } });
    expect(reply.data.Data.AppID).toBe(world.support.id);
    expect(world.fake.mintCount(world.support.id)).toBe(support + 1);
    expect(world.fake.mintCount(world.app.id)).toBe(main);
  });

  it('a 401 on a request the library did not authorise renews nothing', async () => {
    await start();
    const minted = world.fake.mintCount();
    const reply = await http.axiosRef.get('/app', {
      headers: { Authorization: 'not-ours' },
      validateStatus: () => true,
    });
    expect(reply.status).toBe(401);
    expect(world.fake.mintCount()).toBe(minted);
    expect(world.fake.requestsTo('GET /app')).toHaveLength(1);
  });
});
