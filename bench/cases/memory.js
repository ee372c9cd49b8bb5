import { startLoopbackServer } from '../support/loopback-server.js';
import { createExotelContext } from '../support/exotel-app.js';
import { eachRound, roundsRow, settledHeap, target } from '../support/rounds.js';
import { timerCount, trackTimers } from '../support/timers.js';

const CALLS = 1_000_000;
const REFRESHES = 10_000;
const ROUNDS = 5;

async function getTokens(tokens, n) {
  for (let done = 0; done < n; done += 1000)
    await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken('customer')));
}

/**
 * Case 5: heap and timers after 1,000,000 getToken() calls and 10,000 refresh cycles (each a real mint
 * over loopback that replaces the token and re-arms the refresh timer), against the state at the start of
 * the same round. Rounds follow each other in one context after one warm-up, so a leak adds up round
 * after round. The token server runs in a child process, so only this library's memory is in this heap.
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

  const rounds = await eachRound(
    async () => {
      const heapBefore = settledHeap();
      const timersBefore = timerCount();
      await getTokens(tokens, CALLS);
      for (let i = 0; i < REFRESHES; i++) await tokens.refresh('customer');
      return { heapBefore, heapAfter: settledHeap(), timersBefore, timersAfter: timerCount() };
    },
    { rounds: ROUNDS },
  );
  await app.close();
  const afterClose = timerCount();
  untrack(); // before the stats fetch below: fetch keeps its own keep-alive timer
  const mints = await server.mints();
  await server.stop();

  const first = rounds[0];
  const last = rounds.at(-1);
  const mib = (bytes) => (bytes / 1048576).toFixed(2);
  const row = { case: '5 memory', baseline: 'heap at the start of the round' };
  return [
    roundsRow({
      ...row,
      subject: `heap after ${CALLS} getToken() + ${REFRESHES} refreshes`,
      metric: 'heap growth per round (KiB)',
      values: rounds.map((r) => (r.heapAfter - r.heapBefore) / 1024),
      ratios: rounds.map((r) => r.heapAfter / r.heapBefore),
      target: target('value', '<', 1024, '< 1024 KiB'),
      note:
        `heapUsed ${mib(first.heapBefore)} -> ${mib(last.heapAfter)} MiB over all ${rounds.length} rounds ` +
        `(${((last.heapAfter - first.heapBefore) / 1024).toFixed(1)} KiB); ${mints} mints served`,
    }),
    roundsRow({
      ...row,
      subject: 'live timers (armed, not fired or cleared)',
      metric: 'count after the round',
      values: rounds.map((r) => r.timersAfter.live),
      ratios: rounds.map((r) => r.timersAfter.live / r.timersBefore.live),
      target: target('ratio', '==', 1, 'constant'),
      note:
        `live ${first.timersBefore.live} -> ${rounds.map((r) => r.timersAfter.live).join(', ')} ` +
        `(${afterClose.live} after close); ref'ed Timeout handles ${first.timersBefore.reffed} -> ${last.timersAfter.reffed}`,
    }),
  ];
}
