import { runInThisContext } from 'node:vm';

/**
 * Jest hands each test file a deep copy of `process`: listeners added to it never fire (the real
 * 'unhandledRejection' goes to the host process, where Jest itself listens). Code run with
 * `runInThisContext` sees the host realm, so these are the real process and an unfaked setTimeout.
 */
export const hostProcess = runInThisContext('process') as NodeJS.Process;
const hostSetTimeout = runInThisContext('setTimeout') as typeof setTimeout;

/** Waits `ms` of real time, whatever Jest's fake timers are doing. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => hostSetTimeout(resolve, ms));
}

/** Collects every unhandled rejection of the host process until `stop()`. */
export function trackUnhandledRejections(): { reasons: unknown[]; stop: () => void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => void reasons.push(reason);
  hostProcess.on('unhandledRejection', listener);
  return { reasons, stop: () => void hostProcess.off('unhandledRejection', listener) };
}
