import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { inspect } from 'node:util';
import {
  ExotelAuthError,
  ExotelError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelWebrtcClient,
  TokenService,
} from 'nestjs-exotel-webrtc';
import type { FakeFault } from 'nestjs-exotel-webrtc/testing';
import { CaptureLogger } from './support/capture-logger.js';
import { EchoServer } from './support/echo-server.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { useFakeClock } from './support/fake-clock.js';
import { trackUnhandledRejections } from './support/host-process.js';
import {
  type Behaviour,
  bombBody,
  compressionBomb,
  HostileServer,
  hugeBody,
  redirectTo,
  Trickle,
} from './support/hostile-server.js';

// Every scripted fault of FakeExotelServer against every entry point: the caller gets a typed
// ExotelError (or, for benign faults, a result), nothing rejects unhandled, and closing the app
// leaves no timer behind. Faults repeat (times: Infinity) so retries meet the same fault.
type ErrorClass = new (...args: never[]) => ExotelError;
type Expected = ErrorClass | 'ok';
const NOT_JSON = { body: '<<definitely not json>>', contentType: 'text/plain' };
const NULL_DATA = {
  body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"Data":null}',
};

/** fault, expected outcome on `POST /token`, expected outcome on a downstream call (`GET /app`). */
const FAULTS: [name: string, fault: FakeFault, onToken: Expected, onApi: Expected][] = [
  ['status 400', { status: 400 }, ExotelAuthError, ExotelRequestError],
  ['status 401', { status: 401 }, ExotelAuthError, ExotelAuthError],
  ['status 403', { status: 403 }, ExotelAuthError, ExotelAuthError],
  ['status 404', { status: 404 }, ExotelProtocolError, ExotelNotFoundError],
  ['429 + Retry-After', { status: 429, retryAfter: 7 }, ExotelUnavailableError, ExotelUnavailableError],
  ['status 500', { status: 500 }, ExotelUnavailableError, ExotelUnavailableError],
  ['503 + Retry-After', { status: 503, retryAfter: 30 }, ExotelUnavailableError, ExotelUnavailableError],
  ['delay past the timeout', { delayMs: 600_000 }, ExotelUnavailableError, ExotelUnavailableError],
  ['short delay', { delayMs: 300 }, 'ok', 'ok'],
  ['html (502)', { html: true }, ExotelUnavailableError, ExotelUnavailableError],
  ['html with 200', { html: true, status: 200 }, ExotelProtocolError, ExotelProtocolError],
  ['body: not JSON', NOT_JSON, ExotelProtocolError, ExotelProtocolError],
  ['body: polluting keys, null Data', NULL_DATA, ExotelProtocolError, ExotelProtocolError],
  ['malformed', { malformed: true }, ExotelProtocolError, ExotelProtocolError],
  ['failedWith200', { failedWith200: true }, ExotelProtocolError, ExotelProtocolError],
  ['failedWith200, Code 500', { failedWith200: true, status: 500 }, ExotelProtocolError, ExotelProtocolError],
  ['emptyData', { emptyData: true }, ExotelProtocolError, ExotelProtocolError],
  ['codeMismatch', { codeMismatch: true }, ExotelProtocolError, ExotelProtocolError],
  ['reset', { reset: true }, ExotelUnavailableError, ExotelUnavailableError],
  ['sameToken', { sameToken: true }, 'ok', 'ok'],
];

interface Subject {
  tokens: TokenService;
  client: ExotelWebrtcClient;
}
/** entry point name, the route its fault goes on, which column applies, set-up before the fault, the call. */
const ENTRIES: [
  name: string,
  route: string,
  column: 2 | 3,
  prime: (s: Subject) => Promise<unknown>,
  call: (s: Subject) => Promise<unknown>,
][] = [
  ['getToken (cold)', 'POST /token', 2, async () => undefined, (s) => s.tokens.getToken('customer')],
  [
    'refresh (warm)',
    'POST /token',
    2,
    (s) => s.tokens.getToken('customer'),
    (s) => s.tokens.refresh('customer'),
  ],
  ['client.apps.get (cold token)', 'POST /token', 2, async () => undefined, (s) => s.client.apps.get()],
  [
    'client.apps.get (downstream)',
    'GET /app',
    3,
    (s) => s.tokens.getToken('app'),
    (s) => s.client.apps.get(),
  ],
];
const CELLS = ENTRIES.flatMap(([entry, route, column, prime, call]) =>
  FAULTS.map((row) => ({
    title: `${entry} × ${row[0]}`,
    route,
    fault: row[1],
    expected: row[column],
    prime,
    call,
  })),
);

/** Lets real I/O (loopback HTTP) run for `turns` event-loop turns while fake time stands still. */
async function ioTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Settles a call. Fake time stands still unless the fault needs it to pass (a delayed answer, a reply
 * that trickles in): then it moves in 250 ms steps with real I/O let through between steps, and
 * `onStep` runs after each (a trickling server drips there). The request deadline is a fake-time
 * timer, so a reply that never comes times out after requestTimeoutMs of fake time. Faults that need
 * no time are simply awaited: moving time while real work (parsing, inflating) runs would let the
 * deadline overtake it on a slow machine.
 */
async function settleCall(
  promise: Promise<unknown>,
  needsTime: boolean,
  onStep?: () => Promise<unknown>,
): Promise<{ value?: unknown; error?: unknown }> {
  let outcome: { value?: unknown; error?: unknown } | undefined;
  const settled = promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  if (!needsTime) {
    await settled;
    return outcome as { value?: unknown; error?: unknown };
  }
  for (let step = 0; !outcome && step < 400; step++) {
    await ioTurns(50);
    if (outcome) break;
    await jest.advanceTimersByTimeAsync(250);
    await onStep?.();
  }
  if (!outcome) throw new Error('the call did not settle');
  return outcome;
}

/** Fake time the matrix's requests may take: the deadline of every exchange. */
const REQUEST_TIMEOUT_MS = 5_000;

describe('fault matrix: every FakeExotelServer fault × every entry point', () => {
  let world: FakeWorld;
  let app: INestApplication | undefined;
  const unhandled = trackUnhandledRejections();
  const timersBeforeClose: number[] = [];

  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    jest.useRealTimers();
    world.fake.clearFaults();
  });
  afterAll(async () => {
    unhandled.stop();
    await world.fake.stop();
    expect(unhandled.reasons).toEqual([]);
    // The zero-timer check means something: refresh and backoff timers were pending before close.
    expect(timersBeforeClose.filter((n) => n > 0).length).toBeGreaterThan(CELLS.length / 2);
  });

  it.each(CELLS)('$title', async ({ route, fault, expected, prime, call }) => {
    useFakeClock();
    const logger = new CaptureLogger();
    const created = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      app: world.app,
      eager: false,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      logger,
    });
    app = created.app;
    const subject = { tokens: created.tokens, client: app.get(ExotelWebrtcClient) };
    await prime(subject);
    world.fake.fault(route, fault, Infinity);

    const { value, error } = await settleCall(call(subject), fault.delayMs !== undefined);

    if (expected === 'ok') {
      expect(error).toBeUndefined();
      expect(value).toBeDefined();
    } else {
      expect(error).toBeInstanceOf(expected);
      if (fault.retryAfter !== undefined)
        expect((error as ExotelError).retryAfterSeconds).toBe(fault.retryAfter);
      const printed = `${(error as Error).message}${JSON.stringify(error)}${inspect(error)}`;
      for (const secret of world.fake.knownSecrets()) expect(printed.includes(secret)).toBe(false);
    }
    timersBeforeClose.push(jest.getTimerCount());
    await app.close();
    app = undefined;
    // The fake's own delayed answer lets go of its timer when it sees the aborted socket close: let I/O run, bounded.
    for (let i = 0; i < 200 && jest.getTimerCount() > 0; i++) await ioTurns(10);
    // Refresh timers, backoff retries, delayed fake answers: all gone once the module is destroyed.
    expect(jest.getTimerCount()).toBe(0);
    expect(unhandled.reasons).toEqual([]);
  });
});

// Replies FakeExotelServer cannot script, from a raw server: a body that trickles in past the deadline,
// bodies past the size limits (endless, 50 MB, a gzip bomb) and redirects. Same entry points, same
// guarantees: a typed ExotelError, no secret or token in it, nothing unhandled, no timer after close.
type Hostile = (ctx: { trickle: Trickle; bomb: Buffer; elsewhere: string }) => Behaviour;
const TRICKLE: Hostile = ({ trickle }) => trickle.behaviour;
const HOSTILE: [name: string, reply: Hostile, expected: ErrorClass][] = [
  ['trickled body past the deadline', TRICKLE, ExotelUnavailableError],
  ['endless body', () => hugeBody(), ExotelProtocolError],
  ['50 MB body', () => hugeBody(50_000_000), ExotelProtocolError],
  ['gzip bomb (128 MiB inflated)', ({ bomb }) => bombBody('gzip', bomb), ExotelProtocolError],
  ['302 to another origin', ({ elsewhere }) => redirectTo(302, `${elsewhere}/x?q=1`), ExotelProtocolError],
  ['307 to another origin', ({ elsewhere }) => redirectTo(307, `${elsewhere}/x?q=1`), ExotelProtocolError],
];
const HOSTILE_CELLS = ENTRIES.flatMap(([entry, route, , prime, call]) =>
  HOSTILE.map(([name, reply, expected]) => ({
    title: `${entry} × ${name}`,
    route,
    reply,
    expected,
    prime,
    call,
  })),
);
const HOSTILE_SECRETS = { customer: 'cust-S3cr3t-matrix-51c7', app: 'app-S3cr3t-matrix-0d9e' };

describe('fault matrix: hostile raw replies × every entry point', () => {
  let server: HostileServer;
  let elsewhere: EchoServer;
  let bomb: Buffer;
  let app: INestApplication | undefined;
  const unhandled = trackUnhandledRejections();

  beforeAll(async () => {
    server = await new HostileServer().start();
    elsewhere = await new EchoServer().start();
    bomb = await compressionBomb('gzip', 128 * 1024 * 1024);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    jest.useRealTimers();
    server.clear();
  });
  afterAll(async () => {
    unhandled.stop();
    await server.stop();
    await elsewhere.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  it.each(HOSTILE_CELLS)('$title', async ({ route, reply, expected, prime, call }) => {
    useFakeClock();
    const created = await createExotelApp({
      baseUrl: server.baseUrl,
      customer: { id: 'cust-m', secret: HOSTILE_SECRETS.customer },
      app: { id: 'app-m', secret: HOSTILE_SECRETS.app },
      eager: false,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      logger: new CaptureLogger(),
    });
    app = created.app;
    const subject = { tokens: created.tokens, client: app.get(ExotelWebrtcClient) };
    await prime(subject);
    const trickle = new Trickle();
    server.on(route, reply({ trickle, bomb, elsewhere: elsewhere.origin }));

    // Fake time moves only for the trickle (a byte per step); the rest needs none.
    const { value, error } = await settleCall(call(subject), reply === TRICKLE, () => trickle.drip());

    expect(value).toBeUndefined();
    expect(error).toBeInstanceOf(expected);
    const printed = `${(error as Error).message}${JSON.stringify(error)}${inspect(error)}`;
    for (const secret of Object.values(HOSTILE_SECRETS)) expect(printed.includes(secret)).toBe(false);
    expect(printed).not.toMatch(/tok-\d+-hostile/);
    expect(printed).not.toContain('/x?q=1');
    expect(elsewhere.received).toHaveLength(0);
    const exchange = server.last(route);
    await exchange?.closed;
    // The client hung up at the deadline or the size limit: never the whole 50 MB or endless body.
    expect(exchange?.sent ?? 0).toBeLessThan(16 * 1024 * 1024);
    await app.close();
    app = undefined;
    expect(jest.getTimerCount()).toBe(0);
    expect(unhandled.reasons).toEqual([]);
  });
});
