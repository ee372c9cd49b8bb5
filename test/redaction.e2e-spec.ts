import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axios from 'axios';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import {
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  ExotelAuthError,
  ExotelHttpService,
  exotelCredentials,
  fromEnv,
  type TokenEvent,
} from 'nestjs-exotel-webrtc';
import { CaptureLogger } from './support/capture-logger.js';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';

const views = (value: unknown): string =>
  `${JSON.stringify(value)}\n${inspect(value, { depth: 10, showHidden: true })}\n${String(value)}`;

describe('secrets and tokens never leak', () => {
  let world: FakeWorld;
  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterAll(async () => world.fake.stop());

  it('logs, errors, options, status and events of a failing and a succeeding mint hold neither secret nor token', async () => {
    const logger = new CaptureLogger();
    const events: TokenEvent[] = [];
    const { app, tokens } = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      app: world.app,
      eager: false,
      logger,
    });
    tokens.events$.subscribe((e) => events.push(e));
    world.fake.fault('POST /token', { status: 500 });
    const failure = await tokens.getToken('customer').catch((e: unknown) => e);
    const token = await tokens.refresh('customer');
    const appToken = await tokens.getToken('app');
    const wrong = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: { id: world.customer.id, secret: 'not-the-secret-0123456789' },
      eager: false,
      logger,
    });
    const authFailure = await wrong.tokens.getToken('customer').catch((e: unknown) => e);
    expect(authFailure).toBeInstanceOf(ExotelAuthError);

    const everything = [
      logger.text(),
      views(failure),
      views(authFailure),
      views(app.get(EXOTEL_WEBRTC_RESOLVED_OPTIONS)),
      views(tokens.status()),
      views(events),
    ].join('\n');
    expect(logger.lines.length).toBeGreaterThan(2);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['refresh_failed', 'minted']));
    for (const secret of [
      world.customer.secret,
      world.app.secret,
      'not-the-secret-0123456789',
      token,
      appToken,
    ]) {
      expect(everything).not.toContain(secret);
    }
    // The log names the token by its fingerprint instead.
    expect(logger.text()).toContain(tokens.status().find((s) => s.credential === 'customer')!.fingerprint!);
    await wrong.app.close();
    await app.close();
  });

  it('a downstream call that never connects (ECONNREFUSED) leaves no token in the error, however deeply inspected', async () => {
    const doomed = await new FakeExotelServer().start();
    const customer = doomed.addCustomer();
    const { app, tokens } = await createExotelApp({ baseUrl: doomed.baseUrl, customer, logger: false });
    const token = await tokens.getToken('customer');
    await doomed.stop(); // the port closes: the next request's head is never sent
    // Let the client notice its pooled keep-alive socket closed, so the next request dials anew.
    for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
    const error = await firstValueFrom(app.get(ExotelHttpService).get('/customer')).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
    const printed = `${inspect(error, { depth: 12, showHidden: true })}\n${JSON.stringify(error)}\n${String(error)}`;
    expect(printed).not.toContain(token);
    await app.close();
  });

  it('credentials built by exotelCredentials() and fromEnv() hide the secret from JSON and inspect', () => {
    const pair = exotelCredentials('id-1', 'very-secret-value');
    const options = fromEnv({
      EXOTEL_CUSTOMER_ID: 'c-1',
      EXOTEL_CUSTOMER_SECRET: 'env-secret-value',
      EXOTEL_APP_ID: 'a-1',
      EXOTEL_APP_SECRET: 'app-secret-value',
    });
    expect(pair.secret).toBe('very-secret-value');
    expect(options.customer?.secret).toBe('env-secret-value');
    const printed = views(pair) + views(options);
    for (const secret of ['very-secret-value', 'env-secret-value', 'app-secret-value'])
      expect(printed).not.toContain(secret);
  });

  it('the global axios instance gets no interceptor and sends no Authorization once the module is up', async () => {
    const requestHandlers = (axios.interceptors.request as unknown as { handlers: unknown[] }).handlers
      .length;
    const responseHandlers = (axios.interceptors.response as unknown as { handlers: unknown[] }).handlers
      .length;
    const { app, tokens } = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      app: world.app,
      logger: false,
    });
    await tokens.getToken('app');
    expect((axios.interceptors.request as unknown as { handlers: unknown[] }).handlers.length).toBe(
      requestHandlers,
    );
    expect((axios.interceptors.response as unknown as { handlers: unknown[] }).handlers.length).toBe(
      responseHandlers,
    );
    expect(axios.defaults.headers.common.Authorization).toBeUndefined();
    world.fake.resetRecords();
    const reply = await axios.get(`${world.fake.baseUrl}/app`, { validateStatus: () => true });
    expect(reply.status).toBe(401);
    expect(world.fake.requests[0].headers.authorization).toBeUndefined();
    await app.close();
  });
});
