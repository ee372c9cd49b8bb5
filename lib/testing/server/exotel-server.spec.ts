import { jest, describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeExotelServer, FAKE_SEED, fingerprintToken } from '../index.js';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function call(
  server: FakeExotelServer,
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; auth?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  if (opts.auth !== undefined) headers.authorization = opts.auth;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

async function mint(server: FakeExotelServer, id: string, secret: string, entity: string): Promise<string> {
  const reply = await call(server, 'POST', '/token', { body: { Id: id, Secret: secret, Entity: entity } });
  expect(reply.status).toBe(200);
  return reply.json.Data as string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('FakeExotelServer lifecycle', () => {
  it('throws a clear error for baseUrl/origin before start, then serves on 127.0.0.1', async () => {
    const server = new FakeExotelServer();
    expect(() => server.baseUrl).toThrow(/start\(\)/);
    expect(() => server.origin).toThrow(/start\(\)/);
    await expect(server.start()).resolves.toBe(server);
    try {
      expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/integrations$/);
      expect(server.baseUrl.startsWith(server.origin)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('stop() is idempotent, works before start, and closes keep-alive connections', async () => {
    await new FakeExotelServer().stop();
    const server = await new FakeExotelServer().start();
    const reply = await call(server, 'GET', '/nothing');
    expect(reply.status).toBe(404);
    // Idempotent, and it destroys keep-alive sockets (a left-over one is an open handle Jest reports).
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
    await expect(fetch(`${server.baseUrl}/token`, { method: 'POST' })).rejects.toThrow();
  });

  it('seed: true provides fixed customer and app credentials', async () => {
    const server = await new FakeExotelServer({ seed: true }).start();
    try {
      const { customer, app } = FAKE_SEED;
      expect(await mint(server, customer.id, customer.secret, 'customer')).toBeTruthy();
      const appToken = await mint(server, app.id, app.secret, 'app');
      const settings = await call(server, 'GET', '/app_setting', { auth: appToken });
      expect(settings.status).toBe(200);
      expect(settings.json.Data).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it('refuses unknown customers and duplicate ids in the set-up helpers', () => {
    const server = new FakeExotelServer();
    const customer = server.addCustomer({ id: 'c1' });
    expect(customer).toEqual({ id: 'c1', secret: expect.stringMatching(UUID) });
    expect(() => server.addCustomer({ id: 'c1' })).toThrow(/already in use/);
    expect(() => server.addApp('nope')).toThrow(/unknown customer/);
    expect(server.addApp('c1').id).toMatch(UUID);
  });
});

describe('POST /token', () => {
  let server: FakeExotelServer;
  let customer: { id: string; secret: string };
  let app: { id: string; secret: string };

  beforeEach(async () => {
    server = await new FakeExotelServer().start();
    customer = server.addCustomer();
    app = server.addApp(customer.id);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await server.stop();
  });

  it.each([
    ['Id', { Secret: 's', Entity: 'customer' }],
    ['Id', { Id: 42, Secret: 's', Entity: 'customer' }],
    ['Secret', { Id: 'x', Entity: 'customer' }],
    ['Secret', { Id: 'x', Secret: '', Entity: 'customer' }],
    ['Entity', { Id: 'x', Secret: 's' }],
    ['Entity', { Id: 'x', Secret: 's', Entity: 'user' }],
  ])('answers 400 naming %s for %j', async (field, body) => {
    const reply = await call(server, 'POST', '/token', { body });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ Status: 'Failed', Code: 400, Data: null });
    expect(reply.json.Error).toContain(field);
    expect(server.mintCount()).toBe(0);
  });

  it('answers 400 for a body that is not JSON or not an object', async () => {
    expect((await call(server, 'POST', '/token', { raw: '{"Id":' })).status).toBe(400);
    expect((await call(server, 'POST', '/token', { body: [customer.id] })).status).toBe(400);
    expect((await call(server, 'POST', '/token')).status).toBe(400);
  });

  it.each([
    ['a wrong secret', () => ({ Id: customer.id, Secret: 'wrong', Entity: 'customer' })],
    ['an unknown id', () => ({ Id: 'unknown', Secret: customer.secret, Entity: 'customer' })],
    ['an app id minted as customer', () => ({ Id: app.id, Secret: app.secret, Entity: 'customer' })],
    ['a customer id minted as app', () => ({ Id: customer.id, Secret: customer.secret, Entity: 'app' })],
  ])('answers 401 for %s', async (_label, body) => {
    const reply = await call(server, 'POST', '/token', { body: body() });
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({
      Status: 'Failed',
      Code: 401,
      Error: 'Unauthorized. Check the entity id and secret.',
      Data: null,
    });
  });

  it('answers the documented success envelope with a base64-encoded UUID token', async () => {
    const reply = await call(server, 'POST', '/token', {
      body: { Id: customer.id, Secret: customer.secret, Entity: 'customer' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(reply.json).sort()).toEqual(['Code', 'Data', 'Error', 'RequestId', 'Status']);
    expect(reply.json).toMatchObject({ Status: 'Success', Code: 200, Error: '' });
    expect(reply.json.RequestId).toMatch(UUID);
    const token = reply.json.Data as string;
    expect(token).toHaveLength(48);
    expect(Buffer.from(token, 'base64').toString()).toMatch(UUID);
    expect(server.isTokenValid(token)).toBe(true);
    expect(server.tokensOf(customer.id)).toEqual([token]);
  });

  it('issues a new token per mint and keeps earlier ones valid by default', async () => {
    const first = await mint(server, app.id, app.secret, 'app');
    const second = await mint(server, app.id, app.secret, 'app');
    expect(second).not.toBe(first);
    expect(server.tokensOf(app.id)).toEqual([first, second]);
    expect((await call(server, 'GET', '/app', { auth: first })).status).toBe(200);
  });

  it('revokeOnMint revokes every earlier token of that Id only', async () => {
    server.setRevokeOnMint(true);
    const customerToken = await mint(server, customer.id, customer.secret, 'customer');
    const first = await mint(server, app.id, app.secret, 'app');
    const second = await mint(server, app.id, app.secret, 'app');
    expect(server.isTokenValid(first)).toBe(false);
    expect(server.isTokenValid(second)).toBe(true);
    expect(server.isTokenValid(customerToken)).toBe(true);
    const reply = await call(server, 'GET', '/app', { auth: first });
    expect(reply.status).toBe(401);
    expect(reply.json.Error).toMatch(/revoked/);
  });

  it('revokeOnMint can be set through the constructor', async () => {
    const strict = await new FakeExotelServer({ revokeOnMint: true }).start();
    try {
      const c = strict.addCustomer();
      const first = await mint(strict, c.id, c.secret, 'customer');
      await mint(strict, c.id, c.secret, 'customer');
      expect((await call(strict, 'GET', '/customer', { auth: first })).status).toBe(401);
    } finally {
      await strict.stop();
    }
  });

  it('expires tokens after tokenTtlMs measured with Date.now() (fake timers)', async () => {
    const start = Date.UTC(2030, 0, 1);
    // Only Date is faked: sockets and fetch keep their real timers.
    jest.useFakeTimers({
      now: start,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    const token = await mint(server, customer.id, customer.secret, 'customer');
    jest.setSystemTime(start + 90 * 24 * 3600 * 1000 - 1);
    expect((await call(server, 'GET', '/customer', { auth: token })).status).toBe(200);
    jest.setSystemTime(start + 90 * 24 * 3600 * 1000);
    const reply = await call(server, 'GET', '/customer', { auth: token });
    expect(reply.status).toBe(401);
    expect(reply.json.Error).toMatch(/expired/);
    expect(server.isTokenValid(token)).toBe(false);
  });

  it('setTokenTtlMs applies to tokens minted afterwards', async () => {
    const longLived = await mint(server, customer.id, customer.secret, 'customer');
    server.setTokenTtlMs(1);
    const shortLived = await mint(server, customer.id, customer.secret, 'customer');
    jest.useFakeTimers({ now: Date.now() + 5, doNotFake: ['nextTick', 'setImmediate'] });
    try {
      expect(server.isTokenValid(shortLived)).toBe(false);
      expect(server.isTokenValid(longLived)).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts successful mints and every attempt per Id, faulted ones included', async () => {
    await mint(server, customer.id, customer.secret, 'customer');
    await call(server, 'POST', '/token', { body: { Id: customer.id, Secret: 'bad', Entity: 'customer' } });
    server.fault('POST /token', { status: 503 });
    await call(server, 'POST', '/token', {
      body: { Id: customer.id, Secret: customer.secret, Entity: 'customer' },
    });
    await mint(server, app.id, app.secret, 'app');
    await call(server, 'POST', '/token', { raw: 'nope' });
    expect(server.mintCount(customer.id)).toBe(1);
    expect(server.mintAttempts(customer.id)).toBe(3);
    expect(server.mintCount(app.id)).toBe(1);
    expect(server.mintCount()).toBe(2);
    expect(server.mintAttempts()).toBe(5);
    expect(server.mintCount('unknown')).toBe(0);
  });
});

describe('Authorization on downstream routes', () => {
  let server: FakeExotelServer;
  let customerToken: string;
  let appToken: string;
  let appId: string;

  beforeEach(async () => {
    server = await new FakeExotelServer().start();
    const customer = server.addCustomer();
    const app = server.addApp(customer.id);
    appId = app.id;
    customerToken = await mint(server, customer.id, customer.secret, 'customer');
    appToken = await mint(server, app.id, app.secret, 'app');
  });
  afterEach(() => server.stop());

  it('answers 401 without a token, with an unknown token, and with the wrong entity', async () => {
    const cases: Array<[string, string, string | undefined, RegExp]> = [
      ['GET', '/app', undefined, /missing/],
      ['GET', '/app', 'not-a-token', /unknown/],
      ['GET', '/customer', appToken, /customer token/],
      ['GET', '/app', customerToken, /app token/],
      ['GET', '/app?entity=customer', appToken, /customer token/],
      ['POST', '/app_setting', customerToken, /app token/],
    ];
    for (const [method, path, auth, why] of cases) {
      const reply = await call(server, method, path, { auth });
      expect(reply.status).toBe(401);
      expect(reply.json).toMatchObject({ Status: 'Failed', Code: 401, Data: null });
      expect(reply.json.Error).toMatch(/^Unauthorized \/ Invalid token/);
      expect(reply.json.Error).toMatch(why);
    }
  });

  it('rejects "Bearer <token>" by default and accepts it when acceptBearer is on', async () => {
    const strict = await call(server, 'GET', '/app', { auth: `Bearer ${appToken}` });
    expect(strict.status).toBe(401);
    expect(strict.json.Error).toMatch(/Bearer/);
    server.setAcceptBearer(true);
    expect((await call(server, 'GET', '/app', { auth: `Bearer ${appToken}` })).status).toBe(200);
    expect((await call(server, 'GET', '/app', { auth: appToken })).status).toBe(200);
  });

  it('acceptBearer can be set through the constructor', async () => {
    const lenient = await new FakeExotelServer({ acceptBearer: true }).start();
    try {
      const c = lenient.addCustomer();
      const token = await mint(lenient, c.id, c.secret, 'customer');
      expect((await call(lenient, 'GET', '/customer', { auth: `Bearer ${token}` })).status).toBe(200);
    } finally {
      await lenient.stop();
    }
  });

  it('revokeTokens(id) and revokeTokens() make tokens answer 401', async () => {
    server.revokeTokens(appId);
    expect((await call(server, 'GET', '/app', { auth: appToken })).status).toBe(401);
    expect((await call(server, 'GET', '/customer', { auth: customerToken })).status).toBe(200);
    server.revokeTokens();
    expect((await call(server, 'GET', '/customer', { auth: customerToken })).status).toBe(401);
  });

  it('answers 404 envelopes for unknown routes and paths outside the base path', async () => {
    const unknown = await call(server, 'GET', '/nope', { auth: appToken });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ Status: 'Failed', Code: 404, Data: null });
    const wrongMethod = await call(server, 'PATCH', '/app', { auth: appToken });
    expect(wrongMethod.status).toBe(404);
    const outside = await fetch(`${server.origin}/token`, { method: 'POST' });
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toBe('application/json');
  });
});

describe('recorded requests', () => {
  let server: FakeExotelServer;
  afterEach(() => server.stop());

  it('records every request in order with secrets and tokens masked', async () => {
    server = await new FakeExotelServer().start();
    const customer = server.addCustomer();
    const customerToken = await mint(server, customer.id, customer.secret, 'customer');
    await call(server, 'POST', '/app?x=1', {
      auth: customerToken,
      body: {
        AppName: 'A',
        ExotelAccountSid: 'sid',
        ExotelApiKey: 'key',
        ExotelApiToken: 'api-token-value',
        ExotelDomain: 'mumbai',
        IsActive: true,
        Nested: [{ SipSecret: 'sip-value', AppSecret: 'app-secret-value' }],
      },
    });
    const [tokenReq, appReq] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(tokenReq).toMatchObject({ method: 'POST', path: '/token', query: {} });
    expect(tokenReq.body).toEqual({ Id: customer.id, Secret: '***', Entity: 'customer' });
    expect(typeof tokenReq.at).toBe('number');
    expect(appReq).toMatchObject({ method: 'POST', path: '/app', query: { x: '1' } });
    expect(appReq.headers.authorization).toBe(`<fingerprint:${fingerprintToken(customerToken)}>`);
    expect(appReq.headers['content-type']).toBe('application/json');
    expect(appReq.body).toMatchObject({
      ExotelApiToken: '***',
      ExotelApiKey: 'key',
      Nested: [{ SipSecret: '***', AppSecret: '***' }],
    });
    const dump = JSON.stringify(server.requests);
    for (const secret of [
      customer.secret,
      customerToken,
      'api-token-value',
      'sip-value',
      'app-secret-value',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(server.requestsTo('POST /token')).toEqual([tokenReq]);
    expect(server.requestsTo('*')).toHaveLength(2);
  });

  it('keeps the scheme of a Bearer header visible but masks the token', async () => {
    server = await new FakeExotelServer().start();
    await call(server, 'GET', '/app', { auth: 'Bearer abc' });
    expect(server.requests[0].headers.authorization).toBe(`Bearer <fingerprint:${fingerprintToken('abc')}>`);
  });

  it('resetRecords clears requests and counters but keeps tokens', async () => {
    server = await new FakeExotelServer().start();
    const customer = server.addCustomer();
    const token = await mint(server, customer.id, customer.secret, 'customer');
    server.resetRecords();
    expect(server.requests).toEqual([]);
    expect(server.mintCount()).toBe(0);
    expect(server.mintAttempts(customer.id)).toBe(0);
    expect(server.isTokenValid(token)).toBe(true);
    expect((await call(server, 'GET', '/customer', { auth: token })).status).toBe(200);
    expect(server.requestsTo('GET /customer')).toHaveLength(1);
  });
});
