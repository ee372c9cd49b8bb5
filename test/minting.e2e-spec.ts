import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import {
  ExotelAuthError,
  ExotelError,
  ExotelProtocolError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
  type ExotelWebrtcModuleOptions,
  TokenService,
} from 'nestjs-exotel-webrtc';
import type { FakeFault } from 'nestjs-exotel-webrtc/testing';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { useFakeClock } from './support/fake-clock.js';

describe('minting against FakeExotelServer', () => {
  let world: FakeWorld;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    jest.useRealTimers();
    await app?.close();
    app = undefined;
    world.fake.clearFaults();
    world.fake.resetRecords();
  });
  afterAll(async () => world.fake.stop());

  async function start(extra: Partial<ExotelWebrtcModuleOptions> = {}): Promise<TokenService> {
    const created = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      app: world.app,
      apps: { support: world.support },
      eager: false,
      logger: false,
      ...extra,
    });
    app = created.app;
    return created.tokens;
  }

  it('sends exactly the documented request: POST /token, {"Id","Secret","Entity"}, JSON content type, no Authorization', async () => {
    const tokens = await start();
    await tokens.getToken('customer');
    const [request] = world.fake.requestsTo('POST /token');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/token');
    expect(Object.keys(request.body as object)).toEqual(['Id', 'Secret', 'Entity']);
    expect(request.body).toEqual({ Id: world.customer.id, Secret: '***', Entity: 'customer' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('mints customer and app tokens and caches them', async () => {
    const tokens = await start();
    const customer = await tokens.getToken('customer');
    const app = await tokens.getToken('app');
    const support = await tokens.getToken('app', 'support');
    expect(new Set([customer, app, support]).size).toBe(3);
    expect(world.fake.tokensOf(world.customer.id).at(-1)).toBe(customer);
    expect(world.fake.tokensOf(world.app.id).at(-1)).toBe(app);
    expect(world.fake.tokensOf(world.support.id).at(-1)).toBe(support);
    expect(world.fake.mintAttempts()).toBe(3);
    const before = world.fake.requests.length;
    expect(await tokens.getToken('customer')).toBe(customer);
    expect(await tokens.getToken()).toBe(app); // default: the default app
    expect(await tokens.getAuthorizationHeader('app', 'support')).toBe(support); // raw scheme
    expect(world.fake.requests.length).toBe(before);
  });

  it('getAuthorizationHeader follows authScheme Bearer', async () => {
    const tokens = await start({ authScheme: 'Bearer' });
    expect(await tokens.getAuthorizationHeader('customer')).toBe(
      `Bearer ${await tokens.getToken('customer')}`,
    );
  });

  it('names what is configured when asked for an unknown credential', async () => {
    const tokens = await start({ apps: undefined });
    await expect(tokens.getToken('app', 'billing')).rejects.toThrow(ExotelUnknownCredentialError);
    await expect(tokens.getToken('app', 'billing')).rejects.toThrow(
      "No app 'billing' credential is configured; configured: customer, app 'default'",
    );
  });

  it('10,000 concurrent cold getToken() calls make exactly one /token request', async () => {
    const tokens = await start();
    const all = await Promise.all(Array.from({ length: 10_000 }, () => tokens.getToken('app')));
    expect(new Set(all).size).toBe(1);
    expect(world.fake.mintAttempts(world.app.id)).toBe(1);
  });

  describe('error mapping', () => {
    const rows: [string, FakeFault, typeof ExotelError, { status?: number; requestId?: boolean }][] = [
      ['HTTP 500', { status: 500 }, ExotelUnavailableError, { status: 500, requestId: true }],
      ['HTTP 503', { status: 503 }, ExotelUnavailableError, { status: 503, requestId: true }],
      [
        'HTTP 429 with Retry-After',
        { status: 429, retryAfter: 120 },
        ExotelUnavailableError,
        { status: 429, requestId: true },
      ],
      ['HTTP 400', { status: 400 }, ExotelAuthError, { status: 400, requestId: true }],
      ['HTML error page from a proxy (502)', { html: true }, ExotelUnavailableError, { status: 502 }],
      [
        'HTML body with HTTP 200',
        { body: '<html><body>Welcome</body></html>', contentType: 'text/html' },
        ExotelProtocolError,
        { status: 200 },
      ],
      ['malformed JSON', { malformed: true }, ExotelProtocolError, { status: 200 }],
      ['non-JSON text body', { body: 'OK', contentType: 'text/plain' }, ExotelProtocolError, { status: 200 }],
      ['empty Data', { emptyData: true }, ExotelProtocolError, { status: 200, requestId: true }],
      [
        'missing Data',
        { body: '{"RequestId":"r-1","Status":"Success","Code":200,"Error":""}' },
        ExotelProtocolError,
        { status: 200, requestId: true },
      ],
      [
        'Status "Failed" with HTTP 200',
        { failedWith200: true },
        ExotelProtocolError,
        { status: 200, requestId: true },
      ],
      [
        'Code disagreeing with the HTTP status',
        { codeMismatch: true },
        ExotelProtocolError,
        { status: 200, requestId: true },
      ],
      ['connection reset', { reset: true }, ExotelUnavailableError, {}],
    ];
    it.each(rows)('%s', async (_name, fault, type, expected) => {
      const tokens = await start();
      world.fake.fault('POST /token', fault);
      const error = (await tokens.getToken('customer').catch((e: unknown) => e)) as ExotelError;
      expect(error).toBeInstanceOf(type);
      expect(error.httpStatus).toBe(expected.status);
      if (expected.requestId) expect(typeof error.requestId).toBe('string');
      expect(error.credential).toBe('customer');
      expect(error.message).toMatch(/POST \/token/);
    });

    it('HTTP 401 for a wrong pair is an ExotelAuthError that names the credential, not the secret', async () => {
      const tokens = await start({ customer: { id: world.customer.id, secret: 'wrong-secret-value' } });
      const error = (await tokens.getToken('customer').catch((e: unknown) => e)) as ExotelAuthError;
      expect(error).toBeInstanceOf(ExotelAuthError);
      expect(error.httpStatus).toBe(401);
      expect(error.message).toContain('customer');
      expect(error.message).toMatch(/check the Id and Secret/);
      expect(error.message).not.toContain('wrong-secret-value');
    });

    it('429 keeps the Retry-After seconds', async () => {
      const tokens = await start();
      world.fake.fault('POST /token', { status: 429, retryAfter: 120 });
      const error = (await tokens.getToken('customer').catch((e: unknown) => e)) as ExotelError;
      expect(error.retryAfterSeconds).toBe(120);
    });

    it('connection refused', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as { port: number };
          probe.close(() => resolve(port));
        });
      });
      const tokens = await start({ baseUrl: `http://127.0.0.1:${port}/v2/integrations` });
      const error = (await tokens.getToken('customer').catch((e: unknown) => e)) as ExotelError;
      expect(error).toBeInstanceOf(ExotelUnavailableError);
      expect(error.code).toBe('ECONNREFUSED');
    });

    it('timeout', async () => {
      const tokens = await start({ requestTimeoutMs: 5_000 });
      useFakeClock(Date.now());
      world.fake.fault('POST /token', { delayMs: 60_000 });
      const pending = tokens.getToken('customer').catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(5_001);
      const error = (await pending) as ExotelError;
      expect(error).toBeInstanceOf(ExotelUnavailableError);
      expect(error.message).toMatch(/timed out/);
    });
  });

  it('a failed mint is not remembered: refresh() succeeds at once, getToken() after the backoff window', async () => {
    const tokens = await start({ retryBaseDelayMs: 2_000 });
    useFakeClock(Date.now());
    world.fake.fault('POST /token', { status: 500 }, 2);
    await expect(tokens.getToken('customer')).rejects.toThrow(ExotelUnavailableError);
    // Inside the backoff window callers share the failure: no new request.
    await expect(tokens.getToken('customer')).rejects.toThrow(ExotelUnavailableError);
    expect(world.fake.mintAttempts(world.customer.id)).toBe(1);
    await expect(tokens.refresh('customer')).rejects.toThrow(ExotelUnavailableError);
    // The server recovers; after the window (at most 2 x base after two failures) the next call mints.
    await jest.advanceTimersByTimeAsync(4_000);
    const token = await tokens.getToken('customer');
    expect(world.fake.isTokenValid(token)).toBe(true);
    expect(tokens.status().find((s) => s.credential === 'customer')?.state).toBe('fresh');
  });
});
