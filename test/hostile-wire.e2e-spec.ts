import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  ExotelAuthInterceptor,
  ExotelConfigError,
  ExotelHttpService,
  ExotelProtocolError,
  ExotelUnavailableError,
  ExotelWebrtcClient,
  type ExotelWebrtcModuleOptions,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { EchoServer } from './support/echo-server.js';
import { createExotelApp, startFakeWorld, worldOptions, type FakeWorld } from './support/exotel-app.js';
import { useFakeClock } from './support/fake-clock.js';
import {
  bombBody,
  compressionBomb,
  type Encoding,
  envelope,
  hugeBody,
  HostileServer,
  redirectTo,
  Trickle,
} from './support/hostile-server.js';

// The three wire policies of the library's own requests, against raw servers that misbehave on
// purpose: a deadline for the whole exchange, reply size limits counted after decompression, and no
// redirects. Everything is counted (bytes, drips, requests); fake time passes only where a deadline
// must, and nothing sleeps.

const CUSTOMER = { id: 'cust-1', secret: 'cust-S3cr3t-7d1f0a' };
const APP = { id: 'app-1', secret: 'app-S3cr3t-90be42' };
const TIMEOUT_MS = 5_000;
/** Fake milliseconds between two trickled bytes. */
const DRIP_MS = 1_000;
const MIB = 1024 * 1024;
/**
 * What a server may hand to the socket beyond the limit before the client's hang-up reaches it:
 * loopback socket buffers on both ends plus a chunk in flight. Far below the bodies sent (endless,
 * 50 MB): the client stopped reading at the limit.
 */
const SOCKET_SLACK = 16 * MIB;

interface Subject {
  app: INestApplication;
  tokens: TokenService;
  client: ExotelWebrtcClient;
  http: ExotelHttpService;
}

async function startSubject(
  baseUrl: string,
  extra: Partial<ExotelWebrtcModuleOptions> = {},
): Promise<Subject> {
  const { app, tokens } = await createExotelApp({
    baseUrl,
    customer: CUSTOMER,
    app: APP,
    eager: false,
    logger: false,
    requestTimeoutMs: TIMEOUT_MS,
    ...extra,
  });
  return { app, tokens, client: app.get(ExotelWebrtcClient), http: app.get(ExotelHttpService) };
}

/** Settles without throwing, so a test can look at the outcome while the call is still pending. */
function watch<T>(promise: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

/** Every way a caller could print an error. */
function printed(error: unknown): string {
  return `${String((error as Error)?.message)}\n${JSON.stringify(error)}\n${inspect(error, { depth: 4 })}`;
}

/**
 * Advances fake time DRIP_MS at a time, sending one more byte after each step, until the call settles
 * (or `limit` drips). Returns how many bytes were dripped.
 */
async function dripUntilSettled(trickle: Trickle, state: { done: boolean }, limit = 30): Promise<number> {
  let drips = 0;
  while (!state.done && drips < limit) {
    await jest.advanceTimersByTimeAsync(DRIP_MS);
    if (!(await trickle.drip())) break;
    drips++;
  }
  // The client's hang-up reaches the server as a close: wait for it, so the outcome has landed too.
  await trickle.closed;
  for (let turn = 0; turn < 1000 && !state.done; turn++) await new Promise((r) => setImmediate(r));
  return drips;
}

describe('requestTimeoutMs is a deadline for the whole exchange', () => {
  let server: HostileServer;
  let subject: Subject | undefined;

  beforeAll(async () => {
    server = await new HostileServer().start();
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    server.clear();
    jest.useRealTimers();
  });
  afterAll(() => server.stop());

  // With one byte per second, axios' own timeout (an idle timer) would never fire: only the deadline does.
  const expectedDrips = TIMEOUT_MS / DRIP_MS;

  it('a mint whose body trickles in fails "timed out" at the deadline', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    const trickle = new Trickle();
    server.on('POST /token', trickle.behaviour);
    const state = watch(subject.tokens.getToken('customer'));
    await trickle.started;
    const drips = await dripUntilSettled(trickle, state);

    expect(state.error).toBeInstanceOf(ExotelUnavailableError);
    expect((state.error as Error).message).toBe(
      'POST /token (customer) timed out; Exotel could not be reached',
    );
    expect((state.error as ExotelUnavailableError).code).toBe('ECONNABORTED');
    expect(drips).toBeGreaterThanOrEqual(expectedDrips - 1);
    expect(drips).toBeLessThanOrEqual(expectedDrips + 1);
    expect(server.last('POST /token')?.cutOff).toBe(true);
    expect(printed(state.error)).not.toContain(CUSTOMER.secret);
  });

  it('a downstream reply that trickles in fails "timed out" at the deadline, and no timer is left', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    await subject.tokens.getToken('app');
    const trickle = new Trickle();
    server.on('GET /app', trickle.behaviour);
    const state = watch(subject.client.apps.get());
    await trickle.started;
    const drips = await dripUntilSettled(trickle, state);

    expect(state.error).toBeInstanceOf(ExotelUnavailableError);
    expect((state.error as ExotelUnavailableError).message).toMatch(/^GET \/app \(app 'default'\) timed out/);
    expect((state.error as ExotelUnavailableError).phase).toBe('call');
    expect(drips).toBeGreaterThanOrEqual(expectedDrips - 1);
    expect(drips).toBeLessThanOrEqual(expectedDrips + 1);
    await subject.app.close();
    subject = undefined;
    expect(jest.getTimerCount()).toBe(0);
  });

  it('raw ExotelHttpService requests get the deadline too, as an axios timeout error without the token', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    const token = await subject.tokens.getToken('app');
    const trickle = new Trickle();
    server.on('GET /app', trickle.behaviour);
    const state = watch(subject.http.axiosRef.get('/app'));
    await trickle.started;
    await dripUntilSettled(trickle, state);

    expect(isAxiosError(state.error)).toBe(true);
    expect((state.error as { code?: string }).code).toBe('ECONNABORTED');
    expect((state.error as Error).message).toBe(`timeout of ${TIMEOUT_MS}ms exceeded (the whole exchange)`);
    expect(server.received.at(-1)?.headers.authorization).toBe(token); // it was sent...
    expect(printed(state.error)).not.toContain(token); // ...and is not in the error
  });

  it('the deadline starts at dispatch: a slow mint does not eat the budget of the call it serves', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    const mint = new Trickle();
    const call = new Trickle();
    server.on('POST /token', mint.behaviour).on('GET /app', call.behaviour);
    const state = watch(subject.client.apps.get());
    // Each exchange takes 3 s of the 5 s deadline: 6 s in all, and both succeed.
    await mint.started;
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(DRIP_MS);
      expect(await mint.drip()).toBe(true);
    }
    mint.finish();
    await call.started;
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(DRIP_MS);
      expect(await call.drip()).toBe(true);
    }
    call.finish();
    await call.closed;
    for (let turn = 0; turn < 1000 && !state.done; turn++) await new Promise((r) => setImmediate(r));
    expect(state.error).toBeUndefined();
    expect(state.value).toBe('xxx'); // Data of the trickled envelope
  });

  it('a 401 retry gets a deadline of its own, and then times out like any exchange', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    await subject.tokens.getToken('app');
    const minted = server.mints;
    const trickle = new Trickle();
    let calls = 0;
    server.on('GET /app', (req, res, exchange) => {
      if (++calls > 1) return trickle.behaviour(req, res, exchange);
      envelope(res, 401, null);
    });
    const state = watch(subject.client.apps.get());
    await trickle.started; // the 401 was answered, a token renewed, and the retry sent
    const drips = await dripUntilSettled(trickle, state);

    expect(server.mints).toBe(minted + 1); // the refused token was renewed once
    expect(state.error).toBeInstanceOf(ExotelUnavailableError);
    expect((state.error as Error).message).toMatch(/timed out/);
    expect(drips).toBeGreaterThanOrEqual(expectedDrips - 1);
    expect(drips).toBeLessThanOrEqual(expectedDrips + 1);
    await subject.app.close();
    subject = undefined;
    expect(jest.getTimerCount()).toBe(0);
  });

  it("the caller's own signal still cancels, and a long-lived signal collects no listeners", async () => {
    subject = await startSubject(server.baseUrl);
    const longLived = new AbortController();
    for (let i = 0; i < 3; i++) {
      await subject.client.request({ method: 'GET', path: '/app', entity: 'app' }).catch(() => undefined);
      await subject.http.axiosRef.get('/app', { signal: longLived.signal });
      expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0);
    }
    const trickle = new Trickle();
    server.on('GET /app', trickle.behaviour);
    const cancel = new AbortController();
    const pending = subject.http.axiosRef.get('/app', { signal: cancel.signal }).catch((e: unknown) => e);
    await trickle.started;
    cancel.abort();
    const error = await pending;
    expect((error as { code?: string }).code).toBe('ERR_CANCELED');
    await trickle.closed;
    expect(server.last('GET /app')?.cutOff).toBe(true);
  });

  it('host instances given to attach() keep their own timing: no deadline is added', async () => {
    useFakeClock();
    subject = await startSubject(server.baseUrl);
    const host = axios.create();
    subject.app.get(ExotelAuthInterceptor).attach(host);
    await subject.tokens.getToken('app');
    const trickle = new Trickle();
    server.on('GET /app', trickle.behaviour);
    const state = watch(host.get(`${server.baseUrl}/app`));
    await trickle.started;
    const drips = await (async () => {
      let n = 0;
      for (; n < 2 * expectedDrips; n++) {
        await jest.advanceTimersByTimeAsync(DRIP_MS);
        expect(await trickle.drip()).toBe(true);
      }
      return n;
    })();
    expect(drips).toBe(2 * expectedDrips); // twice the deadline, still going
    expect(state.done).toBe(false);
    trickle.finish();
    await trickle.closed;
    for (let turn = 0; turn < 1000 && !state.done; turn++) await new Promise((r) => setImmediate(r));
    expect(state.error).toBeUndefined();
    expect((state.value as { status: number }).status).toBe(200);
  });
});

describe('reply size limits, counted after decompression', () => {
  let server: HostileServer;
  let subject: Subject | undefined;
  const bombs = new Map<Encoding, Buffer>();
  const INFLATED = 128 * MIB;

  beforeAll(async () => {
    server = await new HostileServer().start();
    for (const encoding of ['gzip', 'deflate', 'br'] as const)
      bombs.set(encoding, await compressionBomb(encoding, INFLATED));
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    server.clear();
  });
  afterAll(() => server.stop());

  it('the bombs are what they claim: small on the wire, 128 MiB inflated', () => {
    for (const bomb of bombs.values()) expect(bomb.length).toBeLessThan(200 * 1024);
    expect(bombs.get('gzip')?.length).toBeGreaterThan(100 * 1024); // ~128 KB: gzip tops out near 1:1000
  });

  it('a /token reply past 64 KiB fails with ExotelProtocolError; the server could not send an endless body', async () => {
    subject = await startSubject(server.baseUrl);
    server.on('POST /token', hugeBody());
    const error = await subject.tokens.getToken('customer').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelProtocolError);
    expect((error as Error).message).toBe(
      'POST /token (customer) answered more than 65536 bytes (the limit for a token reply); the reply was cut off there',
    );
    const exchange = server.last('POST /token');
    await exchange?.closed;
    expect(exchange?.cutOff).toBe(true);
    expect(exchange?.sent).toBeGreaterThan(64 * 1024);
    expect(exchange?.sent).toBeLessThan(64 * 1024 + SOCKET_SLACK);
    expect(printed(error)).not.toContain(CUSTOMER.secret);
  });

  it.each([
    ['an endless body', undefined],
    ['a 50 MB body', 50_000_000],
  ])('%s downstream stops at maxResponseBytes (default 1 MiB)', async (_name, declared) => {
    subject = await startSubject(server.baseUrl);
    await subject.tokens.getToken('app');
    server.on('GET /app', hugeBody(declared));
    const error = await subject.client.apps.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelProtocolError);
    expect((error as Error).message).toBe(
      "GET /app (app 'default') answered more than 1048576 bytes (maxResponseBytes); the reply was cut off there",
    );
    const exchange = server.last('GET /app');
    await exchange?.closed;
    expect(exchange?.cutOff).toBe(true);
    expect(exchange?.sent).toBeGreaterThan(MIB);
    expect(exchange?.sent).toBeLessThan(MIB + SOCKET_SLACK);
  });

  it('maxResponseBytes is an option: replies below it pass, above it fail naming it; raw requests obey it too', async () => {
    subject = await startSubject(server.baseUrl, { maxResponseBytes: 8 * 1024 });
    expect(await subject.client.apps.get()).toMatchObject({ AppID: 'app-1' });
    server.on('GET /app', hugeBody());
    const error = await subject.client.apps.get().catch((e: unknown) => e);
    expect((error as Error).message).toContain('more than 8192 bytes (maxResponseBytes)');
    const raw = await subject.http.axiosRef.get('/app').catch((e: unknown) => e);
    expect(isAxiosError(raw)).toBe(true);
    expect((raw as Error).message).toBe('maxContentLength size of 8192 exceeded');
    for (const exchange of server.exchanges) {
      await exchange.closed;
      expect(exchange.sent).toBeLessThan(8 * 1024 + SOCKET_SLACK);
    }
  });

  it('rejects a maxResponseBytes that is not a positive integer', async () => {
    for (const bad of [0, -1, 1.5, '1024', Number.POSITIVE_INFINITY]) {
      const error = await createExotelApp({
        baseUrl: server.baseUrl,
        customer: CUSTOMER,
        logger: false,
        maxResponseBytes: bad as number,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelConfigError);
      expect((error as ExotelConfigError).problems).toEqual([
        'maxResponseBytes: must be a positive integer (bytes)',
      ]);
    }
  });

  it.each(['gzip', 'deflate', 'br'] as const)(
    'a %s bomb (128 MiB inflated) downstream is cut at the limit while the server still holds most of it',
    async (encoding) => {
      subject = await startSubject(server.baseUrl);
      await subject.tokens.getToken('app');
      const bomb = bombs.get(encoding) as Buffer;
      server.on('GET /app', bombBody(encoding, bomb));
      const error = await subject.client.apps.get().catch((e: unknown) => e);
      // Half the bomb is 64 MiB inflated, yet at most ~64 KB on the wire: only inflated counting trips 1 MiB.
      expect(error).toBeInstanceOf(ExotelProtocolError);
      expect((error as Error).message).toContain('answered more than 1048576 bytes (maxResponseBytes)');
      const exchange = server.last('GET /app');
      await exchange?.closed;
      expect(exchange?.cutOff).toBe(true); // the client hung up on its own...
      expect(exchange?.sent).toBeLessThan(bomb.length); // ...before the server had sent it all
    },
  );

  it('a gzip bomb on /token is cut at 64 KiB', async () => {
    subject = await startSubject(server.baseUrl);
    server.on('POST /token', bombBody('gzip', bombs.get('gzip') as Buffer));
    const error = await subject.tokens.getToken('customer').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelProtocolError);
    expect((error as Error).message).toContain('more than 65536 bytes (the limit for a token reply)');
    await server.last('POST /token')?.closed;
    expect(server.last('POST /token')?.cutOff).toBe(true);
  });
});

describe('no redirects on the library’s own requests', () => {
  let server: HostileServer;
  let elsewhere: EchoServer;
  let subject: Subject | undefined;
  /** Path and query of the redirect target: must never appear in an error. */
  const HIDDEN = '/collect?sig=hidden-4f2a9c';

  beforeAll(async () => {
    server = await new HostileServer().start();
    elsewhere = await new EchoServer().start();
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    server.clear();
    elsewhere.received.length = 0;
  });
  afterAll(async () => {
    await server.stop();
    await elsewhere.stop();
  });

  it.each([301, 302, 303, 307, 308])(
    'a %i on POST /token is an ExotelProtocolError naming the origin only; the secret goes nowhere',
    async (status) => {
      subject = await startSubject(server.baseUrl);
      server.on('POST /token', redirectTo(status, `${elsewhere.origin}${HIDDEN}`));
      const error = await subject.tokens.getToken('customer').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelProtocolError);
      expect((error as Error).message).toBe(
        `POST /token (customer) was redirected (HTTP ${status}) to ${elsewhere.origin}; redirects are not followed, check baseUrl`,
      );
      expect(printed(error)).not.toContain('sig=');
      expect(printed(error)).not.toContain('/collect');
      expect(elsewhere.received).toHaveLength(0);
    },
  );

  it('a 307 on POST /app does not re-send the body to another origin', async () => {
    subject = await startSubject(server.baseUrl);
    server.on('POST /app', redirectTo(307, `${elsewhere.origin}${HIDDEN}`));
    const error = await subject.client.apps
      .register({
        AppName: 'support',
        ExotelAccountSid: 'sid-1',
        ExotelApiKey: 'api-key-1',
        ExotelApiToken: 'api-token-9c1e',
        ExotelDomain: 'mumbai',
        IsActive: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelProtocolError);
    expect((error as Error).message).toBe(
      `POST /app (customer) was redirected (HTTP 307) to ${elsewhere.origin}; redirects are not followed, check baseUrl`,
    );
    expect(server.received.filter((r) => r.method === 'POST' && r.path.endsWith('/app'))).toHaveLength(1);
    expect(server.received.at(-1)?.bodyBytes).toBeGreaterThan(0);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('raw ExotelHttpService requests follow no redirect either (307 POST, 302 GET)', async () => {
    subject = await startSubject(server.baseUrl);
    server.on('POST /app', redirectTo(307, `${elsewhere.origin}${HIDDEN}`));
    server.on('GET /app', redirectTo(302, `${elsewhere.origin}${HIDDEN}`));
    const posted = await subject.http.axiosRef.post('/app', { AppName: 'x' }).catch((e: unknown) => e);
    expect((posted as { response?: { status: number } }).response?.status).toBe(307);
    const got = await subject.http.axiosRef.get('/app', { validateStatus: () => true });
    expect(got.status).toBe(302);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('a relative Location names baseUrl’s own origin, still without its path', async () => {
    subject = await startSubject(server.baseUrl);
    server.on('GET /app', redirectTo(302, `/v2/integrations${HIDDEN}`));
    const error = await subject.client.apps.get().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `GET /app (app 'default') was redirected (HTTP 302) to ${server.origin}; redirects are not followed, check baseUrl`,
    );
    expect(printed(error)).not.toContain('sig=');
  });
});

/** A loopback server answering every request with an Exotel-style 401, counting them. */
async function startRefuser(): Promise<{ origin: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    req.resume();
    const body = '{"RequestId":"r","Status":"Failed","Code":401,"Error":"who are you","Data":null}';
    res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('host instances given to attach() keep their redirect policy, and the token stays in scope', () => {
  let world: FakeWorld;
  let echo: EchoServer;
  let refuser: Awaited<ReturnType<typeof startRefuser>>;
  let app: INestApplication;
  let tokens: TokenService;
  let host: AxiosInstance;

  beforeAll(async () => {
    world = await startFakeWorld();
    echo = await new EchoServer().start();
    refuser = await startRefuser();
    ({ app, tokens } = await createExotelApp(worldOptions(world)));
    host = axios.create({ validateStatus: () => true });
    app.get(ExotelAuthInterceptor).attach(host);
  });
  afterEach(() => {
    world.fake.clearFaults();
    echo.received.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await refuser.stop();
    await echo.stop();
    await world.fake.stop();
  });

  const sawToken = (route: 'GET /app' | 'GET /app_setting'): boolean[] =>
    world.fake.requestsTo(route).map((r) => r.headers.authorization !== undefined);

  it('follows a 302 to another origin as the host asked, without the token', async () => {
    world.fake.redirectTo('GET /app', `${echo.origin}/landing`);
    const reply = await host.get(`${world.fake.baseUrl}/app`);
    expect(reply.data).toEqual({ ok: true });
    expect(sawToken('GET /app').at(-1)).toBe(true);
    expect(echo.received.map((r) => r.path)).toEqual(['/landing']);
    expect(echo.sawAuthorization).toBe(false);
  });

  it('a 401 from a redirect target out of scope renews nothing and drops no token', async () => {
    const token = await tokens.getToken('app');
    const minted = world.fake.mintAttempts();
    const before = refuser.hits();
    // More 401s than the breaker threshold: none of them may count, renew or open anything.
    for (let i = 0; i < 5; i++) {
      world.fake.redirectTo('GET /app', `${refuser.origin}/v2/integrations/app`);
      const reply = await host.get(`${world.fake.baseUrl}/app`);
      expect(reply.status).toBe(401);
    }
    expect(refuser.hits() - before).toBe(5);
    expect(world.fake.mintAttempts()).toBe(minted);
    expect(await tokens.getToken('app')).toBe(token);
    expect(tokens.currentGeneration('app')).toBeDefined();
  });

  it('a 401 after a redirect that stays in scope is about the token: it is renewed once and retried', async () => {
    await tokens.getToken('app');
    const minted = world.fake.mintAttempts();
    world.fake.redirectTo('GET /app', `${world.fake.baseUrl}/app_setting`);
    world.fake.fault('GET /app_setting', { status: 401 });
    const reply = await host.get(`${world.fake.baseUrl}/app`);
    expect(reply.status).toBe(200);
    expect(world.fake.mintAttempts()).toBe(minted + 1);
    expect(sawToken('GET /app_setting')).toEqual([true]); // in scope, the token went along
  });
});
