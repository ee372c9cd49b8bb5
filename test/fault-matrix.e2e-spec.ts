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
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { useFakeClock } from './support/fake-clock.js';
import { realDelay, trackUnhandledRejections } from './support/host-process.js';

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

/**
 * Settles a call while fake time stands still except in 250 ms steps; real time passes too (20 ms per
 * step) because axios' timeout is a socket timer, which Jest's fake timers do not drive.
 */
async function settleCall(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  let outcome: { value?: unknown; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let step = 0; !outcome && step < 400; step++) {
    await realDelay(step < 5 ? 1 : 20);
    if (!outcome) await jest.advanceTimersByTimeAsync(250);
  }
  if (!outcome) throw new Error('the call did not settle');
  return outcome;
}

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
      requestTimeoutMs: 1000,
      logger,
    });
    app = created.app;
    const subject = { tokens: created.tokens, client: app.get(ExotelWebrtcClient) };
    await prime(subject);
    world.fake.fault(route, fault, Infinity);

    const { value, error } = await settleCall(call(subject));

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
    // The fake's own delayed answer lets go of its timer when it sees the aborted socket close: poll, bounded.
    for (let i = 0; i < 200 && jest.getTimerCount() > 0; i++) await realDelay(5);
    // Refresh timers, backoff retries, delayed fake answers: all gone once the module is destroyed.
    expect(jest.getTimerCount()).toBe(0);
    expect(unhandled.reasons).toEqual([]);
  });
});
