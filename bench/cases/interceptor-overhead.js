import axios from 'axios';
import { Agent } from 'node:http';
import { startLoopbackServer } from '../support/loopback-server.js';
import { createExotelContext } from '../support/exotel-app.js';
import { compareOps, roundsRow, target } from '../support/rounds.js';
import { median } from '../support/stats.js';

const IN_FLIGHT = 8;
const ROUNDS = 15; // loopback HTTP on 2 cores is the noisiest figure: more rounds for its median
const CPU_ROUNDS = 7;

/**
 * The interceptor's own CPU per request: both instances get an adapter that answers at once, so the
 * difference is only what the interceptor does (the loopback figure also includes the network).
 */
async function cpuPerRequest(plain, instance) {
  const adapter = async (config) => ({
    data: '{"Data":{}}',
    status: 200,
    statusText: 'OK',
    headers: {},
    config,
    request: {},
  });
  const original = instance.defaults.adapter;
  plain.defaults.adapter = adapter;
  instance.defaults.adapter = adapter;
  const batch = 200;
  const serial = (i) => async () => {
    for (let n = 0; n < batch; n++) await i.get('/app');
  };
  const measured = await compareOps(
    { plain: serial(plain), interceptor: serial(instance) },
    { batch, time: 300, rounds: CPU_ROUNDS },
  );
  // Leave the instance as found (builds before the per-instance axios fix shared it across contexts).
  instance.defaults.adapter = original;
  const plainMicros = measured.plain.values.map((ops) => 1e6 / ops);
  return {
    ratios: measured.interceptor.ratios,
    plainMicros,
    addedMicros: measured.interceptor.values.map((ops, round) => 1e6 / ops - plainMicros[round]),
  };
}

/**
 * Case 2: requests per second through ExotelHttpService (interceptor: allow-list check, cached token,
 * generation bookkeeping, redirect guard, 401 watch) against the same kind of axios instance with the
 * header set once. Same loopback keep-alive server, same agent settings, 8 requests in flight per call.
 */
export async function interceptorOverhead() {
  const server = await startLoopbackServer();
  const { app, tokens, http } = await createExotelContext({
    baseUrl: server.baseUrl,
    app: { id: 'a', secret: 's' },
  });
  const agent = () => new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  http.axiosRef.defaults.httpAgent = agent();
  const token = await tokens.getToken('app');
  const plain = axios.create({
    baseURL: server.baseUrl,
    httpAgent: agent(),
    headers: { Authorization: token },
  });
  const burst = (instance) => Promise.all(Array.from({ length: IN_FLIGHT }, () => instance.get('/app')));

  const measured = await compareOps(
    {
      'axios, static header': () => burst(plain),
      'ExotelHttpService (interceptor)': () => burst(http.axiosRef),
    },
    { batch: IN_FLIGHT, time: 300, rounds: ROUNDS },
  );
  const cpu = await cpuPerRequest(plain, http.axiosRef);
  delete http.axiosRef.defaults.httpAgent;
  await app.close();
  await server.stop();
  const row = { case: '2 interceptor overhead', metric: 'req/s', baseline: 'axios, static header' };
  const rps = (subject) => ({
    ...row,
    subject,
    values: measured[subject].values,
    ratios: measured[subject].ratios,
  });
  return [
    roundsRow(rps('axios, static header')),
    roundsRow({ ...rps('ExotelHttpService (interceptor)'), target: target('ratio', '>=', 0.97) }),
    roundsRow({
      ...row,
      subject: 'interceptor CPU, no network (stub adapter)',
      metric: 'µs per request added',
      values: cpu.addedMicros,
      ratios: cpu.ratios,
      note: `axios alone ${median(cpu.plainMicros).toFixed(1)} µs/request; ratio is req/s with interceptor / without`,
    }),
  ];
}
