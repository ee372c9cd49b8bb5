import axios from 'axios';
import { Agent } from 'node:http';
import { FakeExotelServer } from '../../dist/testing/index.js';
import { createExotelContext } from '../support/exotel-app.js';
import { performance } from 'node:perf_hooks';
import { compare, roundsRow, target } from '../support/rounds.js';
import { median } from '../support/stats.js';

const HERD = 10_000;
const ROUNDS = 5;
const SOCKETS = 64; // both sides: a bounded pool, as any sane HTTP client has

async function world() {
  const fake = await new FakeExotelServer().start();
  const customer = fake.addCustomer();
  return { fake, credential: fake.addApp(customer.id) };
}

/** This library: 10,000 concurrent first requests through ExotelHttpService, no token held yet. */
async function thisLibrary() {
  const { fake, credential } = await world();
  const { app, http } = await createExotelContext({ baseUrl: fake.baseUrl, app: credential, eager: false });
  http.axiosRef.defaults.httpAgent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  const started = performance.now();
  const replies = await Promise.all(Array.from({ length: HERD }, () => http.axiosRef.get('/app')));
  const ms = performance.now() - started;
  const result = {
    mints: fake.mintAttempts(credential.id),
    ms,
    ok: replies.filter((r) => r.status === 200).length,
  };
  delete http.axiosRef.defaults.httpAgent; // leave the instance as found
  await app.close();
  await fake.stop();
  return result;
}

/** The naive interceptor: caches the token, but every request that finds none awaits its own fetch. */
async function naiveInterceptor() {
  const { fake, credential } = await world();
  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  const instance = axios.create({ baseURL: fake.baseUrl, httpAgent: agent });
  let token;
  instance.interceptors.request.use(async (config) => {
    if (!token) {
      const body = { Id: credential.id, Secret: credential.secret, Entity: 'app' };
      token = (await axios.post(`${fake.baseUrl}/token`, body, { httpAgent: agent })).data.Data;
    }
    config.headers.Authorization = token;
    return config;
  });
  const started = performance.now();
  const replies = await Promise.all(
    Array.from({ length: HERD }, () => instance.get('/app', { validateStatus: () => true })),
  );
  const ms = performance.now() - started;
  // Later fetches overwrite earlier tokens; the fake keeps every one valid, so all requests still pass.
  const result = {
    mints: fake.mintAttempts(credential.id),
    ms,
    ok: replies.filter((r) => r.status === 200).length,
  };
  agent.destroy();
  await fake.stop();
  return result;
}

/**
 * Case 4: `/token` calls caused by 10,000 concurrent first requests. Baseline: the naive interceptor.
 * Every round starts both from nothing (fresh fake server, no token held).
 */
export async function coldHerd() {
  const measured = await compare(
    {
      'naive interceptor (awaits its own fetch)': naiveInterceptor,
      'this library (single flight)': thisLibrary,
    },
    { rounds: ROUNDS, pick: (r) => r.mints },
  );
  const row = {
    case: '4 cold herd',
    metric: `/token calls for ${HERD} first requests`,
    baseline: 'naive interceptor',
  };
  const note = (rounds) =>
    `fewest answered 200 in a round ${Math.min(...rounds.map((r) => r.ok))}/${HERD}; ` +
    `median ${(median(rounds.map((r) => r.ms)) / 1000).toFixed(2)} s`;
  return Object.entries(measured).map(([subject, { samples, values, ratios }]) =>
    roundsRow({
      ...row,
      subject,
      values,
      ratios,
      target: subject.startsWith('this library') ? target('value', '==', 1, 'exactly 1 call') : undefined,
      note: note(samples),
    }),
  );
}
