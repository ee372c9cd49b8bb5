/**
 * What the clock needs from Jest's `jest` or Vitest's `vi`: both objects have these methods.
 */
export interface FakeTimersApi {
  useFakeTimers(config?: any): unknown;
  useRealTimers(): unknown;
  advanceTimersToNextTimerAsync(steps?: number): Promise<unknown>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
// Enough real event-loop turns for a loopback HTTP exchange to finish many times over.
const SETTLE_TURNS = 10_000;

/**
 * Days pass in milliseconds while HTTP stays real. Installs fake timers and a fake `Date` but leaves the
 * I/O plumbing (nextTick, setImmediate, microtasks) real, so requests to a FakeExotelServer complete.
 * Works with Jest and Vitest, which name the "leave these real" setting differently.
 *
 * Time moves one timer at a time, and after each timer the clock lets real I/O finish until `idle()` says
 * nothing is in flight. So a refresh that fires on day 54 completes its HTTP exchange before time moves
 * on, and its request timeout never fires in fake time.
 */
export class ExotelTestClock {
  private installed = false;

  /**
   * @param timers Jest's `jest` or Vitest's `vi`.
   * @param idle True when nothing the test waits for is in flight (`bootWithFakeExotel` passes "no mint in
   *   flight"). Default: always idle, so `settle()` gives real I/O one turn.
   */
  constructor(
    private readonly timers: FakeTimersApi,
    private readonly idle: () => boolean = () => true,
  ) {}

  /**
   * Fakes timers and `Date`, starting at `now` (default: the real now). Fake timers the test installed
   * before are replaced, their pending timers dropped: install this clock instead of `useFakeTimers()`.
   */
  install(now: Date | number = Date.now()): this {
    const start = typeof now === 'number' ? now : now.getTime();
    // Both runners merge this over the project's `fakeTimers` config: rule out settings that would let
    // time follow the wall clock, or (Jest) pick the legacy timers, which cannot step to the next timer.
    if (isVitest(this.timers)) {
      this.timers.useFakeTimers({
        now: start,
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
        shouldAdvanceTime: false,
      });
    } else {
      this.timers.useFakeTimers({
        now: start,
        doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'],
        advanceTimers: false,
        legacyFakeTimers: false,
      });
    }
    this.installed = true;
    return this;
  }

  /** Restores real timers. */
  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    this.timers.useRealTimers();
  }

  /**
   * Moves fake time forward by `ms` (rounded to a whole millisecond), running every timer due on the way
   * and letting its I/O finish.
   */
  async advance(ms: number): Promise<void> {
    if (!this.installed) throw new Error('ExotelTestClock: call install() before advancing time');
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(): ${ms} is not a duration in ms`);
    const target = Date.now() + Math.round(ms);
    await this.settle();
    while (Date.now() < target) {
      // A timer of our own at the target, or as far towards it as one timer reaches (a longer delay
      // fires after 1 ms, in Node and in both fake clocks): stepping to the next timer never jumps past it.
      const step = Math.min(target - Date.now(), MAX_TIMER_DELAY_MS);
      const until = Date.now() + step;
      const stop = setTimeout(() => undefined, step);
      try {
        while (Date.now() < until) {
          await this.timers.advanceTimersToNextTimerAsync();
          await this.settle();
        }
      } finally {
        clearTimeout(stop);
      }
    }
  }

  /** `advance()` by whole days. */
  advanceDays(days: number): Promise<void> {
    return this.advance(days * DAY_MS);
  }

  /** Lets real I/O run, fake time standing still, until `idle()`; throws if it never gets there. */
  settle(): Promise<void> {
    return untilIdle(this.idle);
  }
}

/** One real event-loop turn, then more until `idle()`; throws after many turns. */
export async function untilIdle(idle: () => boolean): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (let turn = 0; !idle(); turn++) {
    if (turn === SETTLE_TURNS) throw new Error(`settle(): still busy after ${SETTLE_TURNS} event-loop turns`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

// Vitest's `vi` has stubGlobal; Jest's `jest` does not.
function isVitest(timers: FakeTimersApi): boolean {
  return typeof (timers as { stubGlobal?: unknown }).stubGlobal === 'function';
}
