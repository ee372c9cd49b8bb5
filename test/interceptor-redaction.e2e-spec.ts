import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { isAxiosError } from 'axios';
import { inspect } from 'node:util';
import { ExotelHttpService, type ExotelWebrtcModuleOptions } from 'nestjs-exotel-webrtc';
import { firstValueFrom } from 'rxjs';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';

describe('ExotelAuthInterceptor: errors carry no token', () => {
  let world: FakeWorld;
  let app: INestApplication;
  let http: ExotelHttpService;

  async function start(extra: Partial<ExotelWebrtcModuleOptions> = {}): Promise<void> {
    ({ app } = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      app: world.app,
      logger: false,
      ...extra,
    }));
    http = app.get(ExotelHttpService);
  }

  beforeEach(async () => {
    world = await startFakeWorld({ acceptBearer: true });
  });

  afterEach(async () => {
    await app.close();
    await world.fake.stop();
  });

  /** Every way a caller or a logger might print the error. */
  function printed(error: unknown): string {
    return [
      JSON.stringify(error),
      String(error),
      inspect(error),
      inspect(error, { depth: Infinity }),
      (error as Error).stack ?? '',
    ].join('\n');
  }

  function expectNoToken(error: unknown): void {
    const issued = [world.customer.id, world.app.id].flatMap((id) => world.fake.tokensOf(id));
    expect(issued.length).toBeGreaterThan(0);
    const text = printed(error);
    for (const token of issued) expect(text).not.toContain(token);
    expect(text).toContain('[redacted]');
  }

  it.each(['raw', 'Bearer'] as const)('a 500 reply (authScheme %s)', async (authScheme) => {
    await start({ authScheme });
    world.fake.fault('GET /app', { status: 500 });
    const error = await http.axiosRef.get('/app').catch((e: unknown) => e);
    expect(isAxiosError(error) && error.response?.status).toBe(500);
    expectNoToken(error);
  });

  it('a 401 that survived the retry', async () => {
    await start();
    world.fake.fault('GET /customer', { status: 401 }, 2);
    const error = await http.axiosRef.get('/customer').catch((e: unknown) => e);
    expect(isAxiosError(error) && error.response?.status).toBe(401);
    expectNoToken(error);
  });

  it('a connection reset (no reply at all)', async () => {
    await start();
    world.fake.fault('GET /usermapping', { reset: true });
    const error = await http.axiosRef.get('/usermapping').catch((e: unknown) => e);
    expect(isAxiosError(error) && error.response).toBeUndefined();
    expectNoToken(error);
  });

  it('an error through the HttpService Observable API', async () => {
    await start();
    world.fake.fault('GET /app_setting', { status: 502 });
    const error = await firstValueFrom(http.get('/app_setting')).catch((e: unknown) => e);
    expect(isAxiosError(error) && error.response?.status).toBe(502);
    expectNoToken(error);
  });
});
