import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ExotelHttpService, type TokenService } from 'nestjs-exotel-webrtc';
import { fingerprintToken } from 'nestjs-exotel-webrtc/testing';
import { firstValueFrom } from 'rxjs';
import { createExotelApp, type FakeWorld, startExotelWorld, startFakeWorld } from './support/exotel-app.js';

/** What the fake recorded as the Authorization header of the last request to a route. */
function sentAuthorization(world: FakeWorld, route: string): string | undefined {
  const seen = world.fake.requestsTo(route);
  return seen[seen.length - 1]?.headers.authorization;
}

describe('ExotelAuthInterceptor: which token goes on a request', () => {
  let world: FakeWorld;
  let app: INestApplication;
  let tokens: TokenService;
  let http: ExotelHttpService;

  beforeEach(async () => {
    ({ world, app, tokens } = await startExotelWorld());
    http = app.get(ExotelHttpService);
  });

  afterEach(async () => {
    await app.close();
    await world.fake.stop();
  });

  const raw = async (entity?: 'customer' | 'app', name?: string): Promise<string> =>
    `<fingerprint:${fingerprintToken(await tokens.getToken(entity, name))}>`;

  it('sends the raw token by default, and the fake accepts it', async () => {
    const reply = await http.axiosRef.get('/customer');
    expect(reply.status).toBe(200);
    expect(sentAuthorization(world, 'GET /customer')).toBe(await raw('customer'));
  });

  it.each([
    ['GET', '/customer', 'customer'],
    ['DELETE', '/customer', 'customer'],
    ['POST', '/customer', 'no'],
    ['POST', '/token', 'no'],
    ['POST', '/app', 'customer'],
    ['GET', '/app?entity=customer', 'customer'],
    ['GET', '/app', 'app'],
    ['GET', '/app?entity=app', 'app'],
    ['DELETE', '/app', 'app'],
    ['POST', '/app_setting', 'app'],
    ['GET', '/app_setting?key=popup', 'app'],
    ['POST', '/usermapping', 'app'],
    ['GET', '/usermapping?user_id=u1', 'app'],
    ['DELETE', '/usermapping', 'app'],
    ['PUT', '/device', 'app'],
    ['POST', '/call/outbound_call', 'app'],
  ] as const)('%s %s gets the %s token', async (method, url, entity) => {
    // A scripted answer keeps destructive routes from changing the fake's state.
    world.fake.fault(`${method} ${url}`, { status: 418 });
    const reply = await http.axiosRef.request({ method, url, data: {}, validateStatus: () => true });
    expect(reply.status).toBe(418);
    expect(sentAuthorization(world, `${method} ${url}`)).toBe(
      entity === 'no' ? undefined : await raw(entity),
    );
  });

  it('reads the entity query from params as well as from the URL', async () => {
    const reply = await http.axiosRef.get('/app', { params: { entity: 'customer' } });
    expect(reply.status).toBe(200);
    expect(sentAuthorization(world, 'GET /app?entity=customer')).toBe(await raw('customer'));
  });

  it('sends the named app token with { exotel: { app } }', async () => {
    const reply = await http.axiosRef.get('/app', { exotel: { app: 'support' } });
    expect(reply.status).toBe(200);
    expect(sentAuthorization(world, 'GET /app')).toBe(await raw('app', 'support'));
  });

  it('sends the token asked for with { exotel: { entity } }, whatever the endpoint', async () => {
    world.fake.fault('GET /app_setting', { status: 418 });
    await http.axiosRef.get('/app_setting', { exotel: { entity: 'customer' }, validateStatus: () => true });
    expect(sentAuthorization(world, 'GET /app_setting')).toBe(await raw('customer'));
  });

  it('sends no token with { exotel: { skipAuth: true } }', async () => {
    const reply = await http.axiosRef.get('/customer', {
      exotel: { skipAuth: true },
      validateStatus: () => true,
    });
    expect(reply.status).toBe(401);
    expect(sentAuthorization(world, 'GET /customer')).toBeUndefined();
    expect(world.fake.mintCount()).toBe(3); // the eager mints only: a 401 without our token renews nothing
  });

  it('leaves a caller-set Authorization header alone', async () => {
    world.fake.fault('GET /app', { status: 418 });
    await http.axiosRef.get('/app', { headers: { Authorization: 'my-own' }, validateStatus: () => true });
    expect(sentAuthorization(world, 'GET /app')).toBe(`<fingerprint:${fingerprintToken('my-own')}>`);
  });

  it('a config sent again (error.config) gets a fresh token, not the redacted one', async () => {
    world.fake.fault('GET /app', { status: 500 });
    const error = (await http.axiosRef.get('/app').catch((e: unknown) => e)) as { config: object };
    expect(JSON.stringify(error)).toContain('[redacted]');
    const reply = await http.axiosRef.request(error.config);
    expect(reply.status).toBe(200);
    expect(sentAuthorization(world, 'GET /app')).toBe(await raw('app'));
  });

  it('works through the HttpService Observable API too', async () => {
    const reply = await firstValueFrom(http.get('/usermapping'));
    expect(reply.status).toBe(200);
    expect(sentAuthorization(world, 'GET /usermapping')).toBe(await raw('app'));
  });
});

describe('ExotelAuthInterceptor with authScheme Bearer', () => {
  it('sends Bearer <token>, which a fake with acceptBearer takes', async () => {
    const world = await startFakeWorld({ acceptBearer: true });
    const { app, tokens } = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      app: world.app,
      authScheme: 'Bearer',
      logger: false,
    });
    try {
      const reply = await app.get(ExotelHttpService).axiosRef.get('/app');
      expect(reply.status).toBe(200);
      const token = await tokens.getToken('app');
      expect(sentAuthorization(world, 'GET /app')).toBe(`Bearer <fingerprint:${fingerprintToken(token)}>`);
    } finally {
      await app.close();
      await world.fake.stop();
    }
  });
});
