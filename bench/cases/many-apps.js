import { performance } from 'node:perf_hooks';
import { MemoryTokenStore } from '../../dist/index.js';
import { FakeExotelServer } from '../../dist/testing/index.js';
import { storeKeyOf } from '../../dist/token/slot-registry.js';
import { createExotelContext } from '../support/exotel-app.js';
import { compare, compareOps, eachRound, heapBytesPerItem, roundsRow, target } from '../support/rounds.js';
import { timerCount, trackTimers } from '../support/timers.js';

const MANY = 100_000;
const COLD = 10_000;
const BATCH = 1000;
const ROUNDS = 5;
const MAX_CONCURRENT_MINTS = 8;
const MINT_DELAY_MS = 2; // the first HELD /token replies are held this long by the fake
const HELD = 500; // enough for the cap to be reached; holding all 10,000 would take about 60 s per case
const DAY = 24 * 3600 * 1000;
// Nothing listens here: rows 1 to 3 adopt every token from the store, so a /token call would fail the case.
const NO_SERVER = 'http://127.0.0.1:9/v2/integrations';
const CUSTOMER = { id: 'bench-customer', secret: 'bench-secret' }; // configured, never minted (eager: false)

const nameOf = (i) => `app-${i}`;
const idOf = (i) => `bench-app-id-${i}`;
const tokenOf = (i, now) =>
  `tok-${String(i).padStart(8, '0')}-${Math.max(now, 1e12).toString(36)}-bench-token`;

/** A context managing `count` apps that each hold a valid token, adopted from the store: no /token call. */
async function managedApps(count) {
  const context = await emptyContext();
  await seed(context, count);
  return context;
}

/** A lazy module on a MemoryTokenStore, with nothing but the customer configured. */
async function emptyContext() {
  const store = new MemoryTokenStore();
  const { app, tokens } = await createExotelContext({
    baseUrl: NO_SERVER,
    customer: CUSTOMER,
    store,
    eager: false,
  });
  return { app, tokens, store };
}

/** Seeds `count` app tokens in the store, adds the apps and adopts each token with one getToken(). */
async function seed({ store, tokens }, count) {
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    // A fresh string per app, like a minted token, so the token itself is in the count.
    const token = tokenOf(i, now);
    const record = { token, issuedAt: now, expiresAt: now + 90 * DAY };
    await store.writeIfNewer(storeKeyOf(NO_SERVER, { entity: 'app', id: idOf(i) }), record);
    tokens.addApp(nameOf(i), { id: idOf(i), secret: `secret-${i}` });
  }
  for (let done = 0; done < count; done += BATCH)
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - done) }, (_, j) =>
        tokens.getToken('app', nameOf(done + j)),
      ),
    );
}

async function getMany(tokens, name) {
  for (let i = 0; i < BATCH; i++) await tokens.getToken('app', name);
}

/** Row 1: warm getToken() on one app of 100,000 against the same call with a single app managed. */
async function warmRow() {
  const one = await managedApps(1);
  const many = await managedApps(MANY);
  const asked = nameOf(MANY / 2);
  const measured = await compareOps(
    {
      '1 app': () => getMany(one.tokens, nameOf(0)),
      [`${MANY} apps`]: () => getMany(many.tokens, asked),
    },
    { batch: BATCH, time: 300, rounds: ROUNDS },
  );
  await one.app.close();
  await many.app.close();
  return Object.entries(measured).map(([subject, { values, ratios }]) =>
    roundsRow({
      case: '6 many apps',
      subject: `warm getToken('app', name), ${subject} managed`,
      metric: 'ops/s',
      baseline: '1 app managed',
      values,
      ratios,
      ...(subject === '1 app' ? {} : { target: target('ratio', '>=', 0.9) }),
    }),
  );
}

/**
 * One context with `count` apps holding tokens. Heap per app: everything the apps add counts (the
 * default MemoryTokenStore's record and the token string included); the empty context is outside the
 * count. Timers: live timers armed by this context, counted with its apps in place.
 */
async function appsInOneContext(count) {
  let timers;
  const before = timerCount();
  const perApp = await heapBytesPerItem({
    count,
    prepare: emptyContext,
    add: async (context, n) => {
      await seed(context, n);
      const now = timerCount();
      timers = { live: now.live - before.live, reffed: now.reffed - before.reffed };
      return context;
    },
    dispose: async ({ app }) => app.close(),
  });
  return { perApp, timers, afterClose: timerCount().live - before.live };
}

/** Rows 2 and 3: heap per app at 100,000 apps, and live timers with 1 app vs 100,000. */
async function heapAndTimerRows() {
  const untrack = trackTimers();
  let measured;
  try {
    measured = await compare(
      { '1 app': () => appsInOneContext(1), [`${MANY} apps`]: () => appsInOneContext(MANY) },
      { rounds: ROUNDS, pick: (r) => r.timers.live },
    );
  } finally {
    untrack();
  }
  const many = measured[`${MANY} apps`];
  const one = measured['1 app'];
  return [
    roundsRow({
      case: '6 many apps',
      subject: `heap per managed app holding a token, at ${MANY} apps`,
      metric: 'bytes per app',
      baseline: 'the same context before its apps were added',
      values: many.samples.map((s) => s.perApp),
      target: target('value', '<=', 2048),
      note: `includes the default MemoryTokenStore record and a fresh ${tokenOf(0, 0).length}-char token string per app`,
    }),
    roundsRow({
      case: '6 many apps',
      subject: `live timers armed by the context, ${MANY} apps vs 1 app`,
      metric: 'timers',
      baseline: '1 app managed',
      values: many.values,
      ratios: many.ratios,
      target: target('ratio', '==', 1, 'constant'),
      note:
        `live with 1 app: ${one.values.join(', ')}; with ${MANY}: ${many.values.join(', ')}; ` +
        `ref'ed Timeout handles (the library unrefs its timers) ${many.samples.map((s) => s.timers.reffed).join(', ')}; ` +
        `left after close: ${many.samples.map((s) => s.afterClose).join(', ')}`,
    }),
  ];
}

/** One round of row 4: 10,000 distinct apps with no token, all asked at once, against a fresh fake. */
async function coldApps() {
  const fake = await new FakeExotelServer().start();
  // Held replies make mints overlap: an in-process fake answering at once would never see two in flight.
  fake.fault('POST /token', { delayMs: MINT_DELAY_MS }, HELD);
  const customer = fake.addCustomer();
  const apps = Array.from({ length: COLD }, (_, i) => fake.addApp(customer.id, { name: nameOf(i) }));
  const { app, tokens } = await createExotelContext({
    baseUrl: fake.baseUrl,
    customer,
    eager: false,
    maxConcurrentMints: MAX_CONCURRENT_MINTS,
  });
  apps.forEach((credential, i) => tokens.addApp(nameOf(i), credential));
  const started = performance.now();
  const settled = await Promise.allSettled(apps.map((_, i) => tokens.getToken('app', nameOf(i))));
  const result = {
    ms: performance.now() - started,
    mints: fake.mintAttempts(),
    maxInFlight: fake.maxMintAttemptsInFlight,
    failed: settled.filter((s) => s.status === 'rejected').length,
  };
  await app.close();
  await fake.stop();
  return result;
}

/** Row 4: /token calls, peak mints in flight and failed callers for 10,000 cold apps at once. */
async function coldRows() {
  const rounds = await eachRound(coldApps, { rounds: ROUNDS });
  const row = {
    case: '6 many apps',
    baseline: 'none (absolute)',
    note: `first ${HELD} /token replies held ${MINT_DELAY_MS} ms; per round: ${rounds.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(', ')}`,
  };
  return [
    roundsRow({
      ...row,
      subject: `${COLD} distinct cold apps at once: /token calls`,
      metric: 'POST /token received',
      values: rounds.map((r) => r.mints),
      target: target('value', '==', COLD, `exactly ${COLD}`),
    }),
    roundsRow({
      ...row,
      subject: `${COLD} cold apps: most /token in flight (maxConcurrentMints ${MAX_CONCURRENT_MINTS})`,
      metric: 'maxMintAttemptsInFlight',
      values: rounds.map((r) => r.maxInFlight),
      target: target('value', '<=', MAX_CONCURRENT_MINTS),
    }),
    roundsRow({
      ...row,
      subject: `${COLD} cold apps: callers that failed`,
      metric: 'rejected getToken()',
      values: rounds.map((r) => r.failed),
      target: target('value', '==', 0),
    }),
  ];
}

/**
 * Case 6: 100,000 managed apps. Rows 1 to 3 adopt pre-seeded store tokens (no /token call); row 4 mints
 * over real loopback HTTP against FakeExotelServer.
 */
export async function manyApps() {
  return [...(await warmRow()), ...(await heapAndTimerRows()), ...(await coldRows())];
}
