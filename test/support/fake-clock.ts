import { jest } from '@jest/globals';

/**
 * Fakes timers and Date but leaves the I/O plumbing (nextTick, setImmediate, microtasks) real, so
 * real HTTP against the fake Exotel server keeps working while days pass in milliseconds.
 */
export function useFakeClock(now = Date.UTC(2026, 0, 1)): void {
  jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
}

/**
 * Lets pending real I/O (HTTP round trips to the fake server) finish while fake time stands still.
 * Resolves when `done()` is true, checking after each real event-loop turn; throws after `turns`.
 */
export async function settle(done: () => boolean, turns = 5000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise<void>((r) => setImmediate(r));
  if (!done()) throw new Error('settle(): condition not reached');
}

/**
 * Moves fake time to `target` one timer at a time, letting HTTP finish after each timer, so no
 * request is ever in flight while time jumps (its axios timeout would fire). May overshoot the
 * target by less than one scheduler wake (24 h).
 */
export async function runUntil(target: number, idle: () => boolean, onStep?: () => void): Promise<void> {
  while (Date.now() < target) {
    if (jest.getTimerCount() === 0) {
      await jest.advanceTimersByTimeAsync(target - Date.now());
    } else {
      await jest.advanceTimersToNextTimerAsync();
    }
    await settle(idle);
    onStep?.();
  }
}

/** Advances `total` ms in steps of `step`, letting HTTP finish after each step. */
export async function advanceInSteps(
  total: number,
  step: number,
  idle: () => boolean,
  onStep?: () => void,
): Promise<void> {
  for (let done = 0; done < total; done += step) {
    await jest.advanceTimersByTimeAsync(Math.min(step, total - done));
    await settle(idle);
    onStep?.();
  }
}
