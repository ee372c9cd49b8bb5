import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ExotelTestClock } from './test-clock.js';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 0, 1);

describe('ExotelTestClock with Jest fake timers', () => {
  let clock: ExotelTestClock | undefined;
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });

  // Timers longer than 2^31-1 ms (24.8 days) fire after 1 ms, in Node and in both fake clocks.
  it('moves exactly 54 days with no other timer pending, though no single timer can span that', async () => {
    clock = new ExotelTestClock(jest).install(START);
    await clock.advanceDays(54);
    expect(Date.now()).toBe(START + 54 * DAY);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never jumps past the target to reach a timer beyond it', async () => {
    clock = new ExotelTestClock(jest).install(START);
    let fired = 0;
    // A timer re-armed every 20 days, as a scheduler chunks a refresh weeks away.
    const arm = (): unknown => setTimeout(() => (fired++, arm()), 20 * DAY);
    arm();
    await clock.advanceDays(30);
    expect(Date.now()).toBe(START + 30 * DAY);
    expect(fired).toBe(1);
    await clock.advanceDays(30);
    expect(Date.now()).toBe(START + 60 * DAY);
    expect(fired).toBe(3);
    jest.clearAllTimers();
  });

  it('moves whole milliseconds when given a fraction of one', async () => {
    clock = new ExotelTestClock(jest).install(START);
    await clock.advance(1.5);
    expect(Date.now()).toBe(START + 2);
  });

  it('refuses a negative or non-finite step instead of looping or doing nothing', async () => {
    clock = new ExotelTestClock(jest).install(START);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
    await expect(clock.advance(Number.NaN)).rejects.toThrow(RangeError);
    await expect(clock.advance(Infinity)).rejects.toThrow(RangeError);
    expect(Date.now()).toBe(START);
  });

  it('leaves real I/O running between timers: an immediate queued by a timer completes before the next', async () => {
    const order: string[] = [];
    let pending = 0;
    clock = new ExotelTestClock(jest, () => pending === 0).install(START);
    setTimeout(() => {
      pending++;
      setImmediate(() => setImmediate(() => (order.push('io'), pending--)));
    }, 1000);
    setTimeout(() => order.push('second timer'), 1001);
    await clock.advance(2000);
    expect(order).toEqual(['io', 'second timer']);
  });
});

describe('ExotelTestClock install', () => {
  // What each runner is asked for; both merge it over the project's `fakeTimers` config.
  const configOf = (runner: 'jest' | 'vitest') => {
    const calls: unknown[] = [];
    const timers = {
      useFakeTimers: (config?: unknown) => calls.push(config),
      useRealTimers: () => undefined,
      advanceTimersToNextTimerAsync: async () => undefined,
      ...(runner === 'vitest' ? { stubGlobal: () => undefined } : {}),
    };
    new ExotelTestClock(timers).install(START);
    return calls[0];
  };

  it('asks Jest for modern timers that stand still, leaving the I/O plumbing real', () => {
    expect(configOf('jest')).toEqual({
      now: START,
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'],
      advanceTimers: false,
      legacyFakeTimers: false,
    });
  });

  it('asks Vitest for timers and Date only, standing still', () => {
    expect(configOf('vitest')).toEqual({
      now: START,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      shouldAdvanceTime: false,
    });
  });
});
