import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { config as rxjsConfig, filter, map, Subject } from 'rxjs';
import { CaptureLogger } from './support/capture-logger.js';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';
import { runUntil, settle } from './support/fake-clock.js';
import { trackUnhandledRejections } from './support/host-process.js';
import { createRefreshApp, type RefreshApp } from './support/refresh-app.js';

/** A logger every method of which throws, or returns a rejected promise. */
function hostileLogger(how: 'throw' | 'reject'): LoggerService & { calls: number } {
  const logger = { calls: 0 } as LoggerService & { calls: number };
  for (const level of ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const) {
    logger[level] = () => {
      logger.calls++;
      if (how === 'throw') throw new Error('logger exploded');
      return Promise.reject(new Error('logger rejected'));
    };
  }
  return logger;
}

describe('isolation: a throwing logger or events$ subscriber changes no outcome', () => {
  let world: FakeWorld;
  let subject: RefreshApp | undefined;
  // rxjs reports an error thrown by a subscriber through config.onUnhandledError when one is set (and
  // with `setTimeout(() => { throw })`, which exits the process, when none is): count those reports.
  const reported: unknown[] = [];
  let unhandled: ReturnType<typeof trackUnhandledRejections>;

  beforeAll(async () => {
    world = await startFakeWorld();
    unhandled = trackUnhandledRejections();
    rxjsConfig.onUnhandledError = (error) => void reported.push(error);
  });
  afterEach(async () => {
    await subject?.app.close();
    subject = undefined;
    jest.useRealTimers();
    world.fake.clearFaults();
    world.fake.resetRecords();
    reported.length = 0;
  });
  afterAll(async () => {
    rxjsConfig.onUnhandledError = null;
    await world.fake.stop();
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  const customerOnly = (logger: LoggerService) => ({
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    logger,
  });

  it('the detector works: a throwing subscriber of a plain Subject is reported by rxjs', async () => {
    jest.useFakeTimers();
    const plain = new Subject<number>();
    plain.subscribe(() => {
      throw new Error('subscriber exploded');
    });
    plain.next(1);
    await jest.advanceTimersByTimeAsync(0);
    expect(reported).toHaveLength(1);
  });

  it.each(['throw', 'reject'] as const)(
    'a logger that %ss and throwing subscribers: the failed mint is retried as planned, every event delivered',
    async (how) => {
      const logger = hostileLogger(how);
      world.fake.fault('POST /token', { status: 500 }, 1);
      subject = await createRefreshApp(customerOnly(logger), { init: false });
      const { tokens, events, idle, scheduler } = subject;
      let thrown = 0;
      const handler = (): never => {
        thrown++;
        throw new Error('subscriber exploded');
      };
      tokens.events$.subscribe(handler);
      tokens.events$.subscribe({ next: handler });
      const piped: string[] = [];
      tokens.events$
        .pipe(
          filter((e) => e.type !== 'app_added'),
          map((e) => e.type),
        )
        .subscribe((type) => {
          piped.push(type);
          throw new Error('piped subscriber exploded');
        });
      await subject.app.init();
      await settle(idle);

      // The eager mint failed: recorded, logged (the logger threw) and a retry planned regardless.
      const [row] = tokens.status();
      expect(row.state).toBe('failed');
      expect(row.consecutiveFailures).toBe(1);
      expect(row.nextAttemptAt).toBeDefined();
      expect(scheduler.dueAt('customer')).toBe(row.nextAttemptAt);
      expect(events.map((e) => e.type)).toEqual(['refresh_failed']);

      await runUntil(row.nextAttemptAt!, idle);
      expect(world.fake.mintAttempts(world.customer.id)).toBe(2);
      expect(tokens.status()[0].state).toBe('fresh');
      expect(events.map((e) => e.type)).toEqual(['refresh_failed', 'minted']);
      // Every subscriber got every event, though each threw every time.
      expect(thrown).toBe(2 * events.length);
      expect(piped).toEqual(['refresh_failed', 'minted']);
      expect(logger.calls).toBeGreaterThan(0);
      await jest.advanceTimersByTimeAsync(0);
      expect(reported).toEqual([]);
      expect(await tokens.getToken('customer')).toBe(world.fake.tokensOf(world.customer.id).at(-1));
    },
  );

  it('a subscriber that unsubscribes stops receiving, like any rxjs subscription', async () => {
    subject = await createRefreshApp(customerOnly(new CaptureLogger()));
    const { tokens } = subject;
    const seen: string[] = [];
    const subscription = tokens.events$.subscribe((e) => seen.push(e.type));
    await tokens.refresh('customer');
    subscription.unsubscribe();
    await tokens.refresh('customer');
    expect(seen).toEqual(['refreshed']);
  });

  it('vendor text with CR/LF cannot forge a log line', async () => {
    const logger = new CaptureLogger();
    const forged = 'bad\r\n[Nest] 1  - 01/01/2026, 00:00:00   ERROR forged line\u2028also';
    world.fake.fault('POST /token', {
      status: 500,
      body: JSON.stringify({ RequestId: 'r1', Status: 'Failed', Code: 500, Error: forged, Data: null }),
    });
    subject = await createRefreshApp(customerOnly(logger));
    await settle(subject.idle);
    const failure = logger.lines.find((l) => l.text.includes('Token refresh for customer failed'));
    expect(failure?.text).toContain('bad\\r\\n[Nest] 1');
    for (const line of logger.lines) expect(line.text).not.toMatch(/[\r\n\u2028\u2029]/);
  });
});
