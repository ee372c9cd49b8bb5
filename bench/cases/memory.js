import { startLoopbackServer } from '../support/loopback-server.js';
import { createExotelContext } from '../support/exotel-app.js';

const CALLS = 1_000_000;
const REFRESHES = 10_000;

/** Heap after a full collection (needs node --expose-gc; the bench script passes it). */
function settledHeap() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Live timers. The library unrefs its timers, and process.getActiveResourcesInfo() lists only ref'ed ones,
 * so both views are kept: the global setTimeout family is wrapped (before the module is created) to count
 * timers that are armed and neither fired nor cleared.
 */
const live = new Set();
function trackTimers() {
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

function timerCount() {
  const reffed = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
  return { live: live.size, reffed };
}

async function getTokens(tokens, n) {
  for (let done = 0; done < n; done += 1000)
    await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken('customer')));
}

/**
 * Case 5: heap and timers after 1,000,000 getToken() calls and 10,000 refresh cycles (each a real mint
 * over loopback that replaces the token and re-arms the refresh timer), against the state after warm-up.
 * The token server runs in a child process, so only this library's memory is in this heap.
 */
export async function memory() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  const server = await startLoopbackServer();
  const untrack = trackTimers();
  const { app, tokens } = await createExotelContext({
    baseUrl: server.baseUrl,
    customer: { id: 'c', secret: 's' },
  });
  // Warm-up long enough for lazy compilation, socket pools and inline caches to settle.
  await getTokens(tokens, 50_000);
  for (let i = 0; i < 2000; i++) await tokens.refresh('customer');
  const heapBefore = settledHeap();
  const timersBefore = timerCount();

  await getTokens(tokens, CALLS);
  for (let i = 0; i < REFRESHES; i++) await tokens.refresh('customer');
  const heapAfter = settledHeap();
  const timersAfter = timerCount();
  await app.close();
  const afterClose = timerCount();
  untrack(); // before the stats fetch below: fetch keeps its own keep-alive timer
  const mints = await server.mints();
  await server.stop();

  const growth = heapAfter - heapBefore;
  const row = { case: '5 memory', baseline: 'heap after warm-up' };
  return [
    {
      ...row,
      subject: `heap after ${CALLS} getToken() + ${REFRESHES} refreshes`,
      metric: 'heap growth (KiB)',
      value: +(growth / 1024).toFixed(1),
      ratio: heapAfter / heapBefore,
      target: '< 1024 KiB',
      note: `heapUsed ${(heapBefore / 1048576).toFixed(2)} -> ${(heapAfter / 1048576).toFixed(2)} MiB; ${mints} mints served`,
    },
    {
      ...row,
      subject: 'live timers (armed, not fired or cleared)',
      metric: 'count after the runs',
      value: timersAfter.live,
      ratio: timersAfter.live / timersBefore.live,
      target: 'constant',
      note: `live ${timersBefore.live} -> ${timersAfter.live} (${afterClose.live} after close); ref'ed Timeout handles ${timersBefore.reffed} -> ${timersAfter.reffed}`,
    },
  ];
}
