import { createHook } from 'node:async_hooks';
import { hostProcess } from '../support/host-process.js';

/** Code whose timers count as the store's: ioredis and lib/redis. */
const STORE_CODE = /[\\/]node_modules[\\/]ioredis[\\/]|[\\/]lib[\\/]redis[\\/]/;

interface Timer {
  hasRef(): boolean;
  /** Node's own mark of a timer that fired or was cleared (not public API, stable since Node 11). */
  _destroyed?: boolean;
}

const sockets = (): number =>
  hostProcess.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/**
 * Watches, from now on, for what a store could leave holding the process open: sockets (counted by
 * the host process, not Jest's copy of it) and ref'd timers. The process-wide Timeout count is no
 * use for timers, since Jest's own reporter arms and clears timers in the same process at any
 * moment; so timers are traced to the code that armed them.
 */
export function watchStoreHandles(): { sockets(): number; leftovers(): string[]; stop(): void } {
  const timers = new Map<Timer, string>();
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 30;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      const armedBy = stack.split('\n').find((line) => STORE_CODE.test(line));
      if (armedBy) timers.set(resource as Timer, armedBy.trim());
    },
  }).enable();
  const socketsBefore = sockets();
  return {
    /** Sockets open now beyond those open when watching started. */
    sockets: () => sockets() - socketsBefore,
    leftovers() {
      const found: string[] = [];
      const extra = sockets() - socketsBefore;
      if (extra > 0) found.push(`${extra} socket(s)`);
      for (const [timer, armedBy] of timers) {
        if (!timer._destroyed && timer.hasRef()) found.push(`a timer armed ${armedBy}`);
      }
      return found;
    },
    stop: () => void hook.disable(),
  };
}
