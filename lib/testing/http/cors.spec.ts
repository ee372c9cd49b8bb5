import { afterEach, describe, expect, it } from '@jest/globals';
import { FAKE_SEED, FakeExotelServer, type FakeExotelServerOptions } from '../index.js';

const PAGE = 'http://127.0.0.1:3000';

let server: FakeExotelServer | undefined;

async function start(options: FakeExotelServerOptions): Promise<FakeExotelServer> {
  server = await new FakeExotelServer({ seed: true, ...options }).start();
  return server;
}

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const preflight = (fake: FakeExotelServer, origin: string) =>
  fetch(`${fake.baseUrl}/app`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization,content-type',
    },
  });

async function appToken(fake: FakeExotelServer): Promise<string> {
  const reply = await fetch(`${fake.baseUrl}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ Id: FAKE_SEED.app.id, Secret: FAKE_SEED.app.secret, Entity: 'app' }),
  });
  return ((await reply.json()) as { Data: string }).Data;
}

describe('FakeExotelServer cors option', () => {
  it('is off by default: a preflight is an ordinary unknown route (404) and no reply carries CORS headers', async () => {
    const fake = await start({});
    const reply = await preflight(fake, PAGE);
    expect(reply.status).toBe(404);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${fake.baseUrl}/app`, { headers: { Origin: PAGE } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("answers an allowed origin's preflight with 204 and the asked-for headers, without recording it", async () => {
    const fake = await start({ cors: { origins: [PAGE], maxAgeSeconds: 30 } });
    const reply = await preflight(fake, PAGE);
    expect(reply.status).toBe(204);
    expect(reply.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(reply.headers.get('access-control-allow-methods')).toContain('GET');
    expect(reply.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(reply.headers.get('access-control-max-age')).toBe('30');
    expect(reply.headers.get('vary')).toBe('Origin');
    expect(fake.requests).toEqual([]);
  });

  it('adds Access-Control-Allow-Origin to the real answers for an allowed origin, successes and failures', async () => {
    const fake = await start({ cors: { origins: [/^http:\/\/127\.0\.0\.1:\d+$/] } });
    const token = await appToken(fake);
    const ok = await fetch(`${fake.baseUrl}/app`, { headers: { Origin: PAGE, Authorization: token } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PAGE);
    const refused = await fetch(`${fake.baseUrl}/app`, { headers: { Origin: PAGE, Authorization: 'wrong' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(fake.requestsTo('GET /app')).toHaveLength(2);
  });

  it('allows an origin matching a /g rule on every request, not every other one', async () => {
    const fake = await start({ cors: { origins: [/^http:\/\/127\.0\.0\.1:\d+$/g] } });
    for (let i = 0; i < 3; i++) expect((await preflight(fake, PAGE)).status).toBe(204);
  });

  it('gives an origin that is not listed no CORS headers, so its browser blocks the call', async () => {
    const fake = await start({ cors: { origins: [PAGE] } });
    const reply = await preflight(fake, 'http://evil.example');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${fake.baseUrl}/app`, { headers: { Origin: 'http://127.0.0.1:3001' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('routes an OPTIONS request that is not a preflight as usual', async () => {
    const fake = await start({ cors: { origins: [PAGE] } });
    const reply = await fetch(`${fake.baseUrl}/app`, { method: 'OPTIONS', headers: { Origin: PAGE } });
    expect(reply.status).toBe(404);
    expect(reply.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(fake.requestsTo('OPTIONS /app')).toHaveLength(1);
  });
});
