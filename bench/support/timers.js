/**
 * Live timers. The library unrefs its timers, and process.getActiveResourcesInfo() lists only ref'ed ones,
 * so both views are kept: trackTimers() wraps the global setTimeout family (call it before the module is
 * created) to count timers that are armed and neither fired nor cleared; it returns the undo.
 */
const live = new Set();

export function trackTimers() {
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  globalThis.setTimeout = (fn, ms, ...args) => {
    const handle = set(
      (...a) => {
        live.delete(handle);
        fn(...a);
      },
      ms,
      ...args,
    );
    live.add(handle);
    return handle;
  };
  globalThis.clearTimeout = (handle) => {
    live.delete(handle);
    clear(handle);
  };
  return () => Object.assign(globalThis, { setTimeout: set, clearTimeout: clear });
}

/** `live`: armed timers seen by trackTimers(); `reffed`: Timeout handles node lists as keeping it alive. */
export function timerCount() {
  const reffed = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  return { live: live.size, reffed };
}
