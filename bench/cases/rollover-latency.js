import axios from 'axios';
import createAuthRefreshInterceptor from 'axios-auth-refresh';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeExotelServer } from '../../dist/testing/index.js';
import { createExotelContext } from '../support/exotel-app.js';
import { interleave, roundsRow, target } from '../support/rounds.js';
import { latencySummary, median } from '../support/stats.js';
import { performance } from 'node:perf_hooks';

const INTERVAL_MS = 2; // open loop: a request starts every 2 ms (~400/s with timer slack) whatever the answers do
const STEADY = [400, 2000]; // ms after start: the steady window (after a warm-up)
const ROLLOVER = [2000, 2800]; // the refresh is triggered at 2000 ms and takes 300 ms at the token endpoint
const END = 3400;
const TOKEN_LATENCY_MS = 300;
const ROUNDS = 5;

/** Drives steady traffic, calls `trigger` at ROLLOVER[0], and splits the latencies by start time. */
async function drive(send, trigger) {
  const samples = [];
  let failures = 0;
  const t0 = performance.now();
  const inflight = [];
  let triggered = false;
  while (performance.now() - t0 < END) {
    const startedAt = performance.now() - t0;
    if (!triggered && startedAt >= ROLLOVER[0]) {
      triggered = true;
      trigger();
    }
    inflight.push(
      send().then(
        () => samples.push({ startedAt, ms: performance.now() - t0 - startedAt }),
        () => void failures++,
      ),
    );
    await sleep(INTERVAL_MS);
  }
  await Promise.all(inflight);
  const within = ([from, to]) =>
    samples.filter((s) => s.startedAt >= from && s.startedAt < to).map((s) => s.ms);
  return { steady: latencySummary(within(STEADY)), rollover: latencySummary(within(ROLLOVER)), failures };
}

async function world() {
  const fake = await new FakeExotelServer().start();
  const customer = fake.addCustomer();
  return { fake, app: fake.addApp(customer.id) };
}

/** This library; `revoke` makes the old token invalid at the trigger (forcing the 401 path). */
async function thisLibrary(revoke) {
  const { fake, app: credential } = await world();
  const { app, tokens, http } = await createExotelContext({ baseUrl: fake.baseUrl, app: credential });
  http.axiosRef.defaults.httpAgent = new Agent({ keepAlive: true });
  await tokens.getToken('app');
  const result = await drive(
    () => http.axiosRef.get('/app'),
    () => {
      fake.fault('POST /token', { delayMs: TOKEN_LATENCY_MS });
      if (revoke) fake.revokeTokens(credential.id);
      // Proactive: what the refresh timer does at refreshAt, while the current token keeps serving.
      else tokens.refresh('app').catch((error) => console.error(`bench: refresh failed: ${error.name}`));
    },
  );
  const mints = fake.mintCount(credential.id);
  delete http.axiosRef.defaults.httpAgent; // leave the instance as found
  await app.close();
  await fake.stop();
  return { ...result, mints };
}

/** axios-auth-refresh: the token is renewed when a request comes back 401, requests pause meanwhile. */
async function axiosAuthRefresh() {
  const { fake, app: credential } = await world();
  const agent = new Agent({ keepAlive: true });
  const mint = async () =>
    (
      await axios.post(
        `${fake.baseUrl}/token`,
        { Id: credential.id, Secret: credential.secret, Entity: 'app' },
        { httpAgent: agent },
      )
    ).data.Data;
  let token = await mint();
  const instance = axios.create({ baseURL: fake.baseUrl, httpAgent: agent });
  instance.interceptors.request.use((config) => {
    config.headers.Authorization = token;
    return config;
  });
  createAuthRefreshInterceptor(
    instance,
    async (failed) => {
      token = await mint();
      failed.response.config.headers.Authorization = token;
    },
    { pauseInstanceWhileRefreshing: true },
  );
  const result = await drive(
    () => instance.get('/app'),
    () => {
      fake.fault('POST /token', { delayMs: TOKEN_LATENCY_MS });
      fake.revokeTokens(credential.id); // reactive refresh needs a 401 to start
    },
  );
  const mints = fake.mintCount(credential.id);
  await fake.stop();
  return { ...result, mints };
}

const SUBJECTS = {
  'this library, proactive refresh': () => thisLibrary(false),
  'this library, token revoked (401 path)': () => thisLibrary(true),
  'axios-auth-refresh (refresh on 401)': () => axiosAuthRefresh(),
};

/**
 * Case 3: p50/p99 across one token rollover (token endpoint 300 ms), each against its own steady p99 in
 * the same drive. A round drives every subject once (fresh fake server and client each time), in turn.
 */
export async function rolloverLatency() {
  const runs = await interleave(Object.keys(SUBJECTS), (subject) => SUBJECTS[subject](), { rounds: ROUNDS });
  return Object.entries(runs).map(([subject, rounds]) => {
    const of = (pick, digits = 2) => median(rounds.map(pick)).toFixed(digits);
    const total = (pick) => rounds.reduce((sum, r) => sum + pick(r), 0);
    return roundsRow({
      case: '3 rollover latency',
      subject,
      metric: 'p99 ms across rollover',
      baseline: 'own steady p99',
      values: rounds.map((r) => r.rollover.p99),
      ratios: rounds.map((r) => r.rollover.p99 / r.steady.p99),
      target: subject.endsWith('proactive refresh') ? target('ratio', '<=', 1.05) : undefined,
      note:
        `medians: steady p50/p99 ${of((r) => r.steady.p50)}/${of((r) => r.steady.p99)} ms (n=${of((r) => r.steady.n, 0)}); ` +
        `rollover p50/p99/max ${of((r) => r.rollover.p50)}/${of((r) => r.rollover.p99)}/${of((r) => r.rollover.max, 1)} ms (n=${of((r) => r.rollover.n, 0)}); ` +
        `mints ${total((r) => r.mints)}, failed requests ${total((r) => r.failures)} over ${rounds.length} rounds`,
    });
  });
}
