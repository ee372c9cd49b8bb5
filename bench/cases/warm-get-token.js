import {
  bearerTokenAuthenticationPolicy,
  createHttpHeaders,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { OAuth2Client } from 'google-auth-library';
import { startLoopbackServer } from '../support/loopback-server.js';
import { createExotelContext } from '../support/exotel-app.js';
import { compareOps, roundsRow } from '../support/rounds.js';

const BATCH = 1000;
const ROUNDS = 5;
const FAR = Date.now() + 10 * 365 * 24 * 3600 * 1000;

/** Case 1: a cached token, asked for again and again. Baseline: awaiting Promise.resolve(cached). */
export async function warmGetToken() {
  const server = await startLoopbackServer();
  const { app, tokens } = await createExotelContext({
    baseUrl: server.baseUrl,
    customer: { id: 'c', secret: 's' },
  });
  const cached = await tokens.getToken('customer');
  // The same, with an OpenTelemetry SDK recording the library's metrics and spans: a cached token
  // records nothing, so it should cost what the call without telemetry costs.
  const meterProvider = new MeterProvider();
  const tracerProvider = new BasicTracerProvider();
  const traced = await createExotelContext({
    baseUrl: server.baseUrl,
    customer: { id: 'c', secret: 's' },
    telemetry: { meterProvider, tracerProvider },
  });
  await traced.tokens.getToken('customer');

  const google = new OAuth2Client();
  google.setCredentials({ access_token: cached, expiry_date: FAR }); // cached path: no refresh, no network
  const azure = bearerTokenAuthenticationPolicy({
    credential: { getToken: async () => ({ token: cached, expiresOnTimestamp: FAR }) },
    scopes: 'https://bench.invalid/.default',
  });
  const response = { status: 200, headers: createHttpHeaders() };
  const noopNext = async (request) => ({ ...response, request }); // never sends anything
  await azure.sendRequest(createPipelineRequest({ url: 'https://bench.invalid/app' }), noopNext);

  const measured = await compareOps(
    {
      'Promise.resolve(cached)': async () => {
        for (let i = 0; i < BATCH; i++) await Promise.resolve(cached);
      },
      'TokenService.getToken()': async () => {
        for (let i = 0; i < BATCH; i++) await tokens.getToken('customer');
      },
      'TokenService.getToken(), OpenTelemetry SDK on': async () => {
        for (let i = 0; i < BATCH; i++) await traced.tokens.getToken('customer');
      },
      'google-auth-library getAccessToken()': async () => {
        for (let i = 0; i < BATCH; i++) await google.getAccessToken();
      },
      '@azure bearerTokenAuthenticationPolicy': async () => {
        // A request per call: the policy's cached path includes setting the header on it.
        for (let i = 0; i < BATCH; i++)
          await azure.sendRequest(createPipelineRequest({ url: 'https://bench.invalid/app' }), noopNext);
      },
    },
    { batch: BATCH, time: 300, rounds: ROUNDS },
  );
  await app.close();
  await traced.app.close();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  await server.stop();
  return Object.entries(measured).map(([subject, { values, ratios }]) =>
    roundsRow({
      case: '1 warm getToken',
      subject,
      metric: 'ops/s',
      baseline: 'Promise.resolve(cached)',
      values,
      ratios,
    }),
  );
}
