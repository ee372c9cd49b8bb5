import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { FAKE_SEED, FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { bannerOf } from '../../sample/banner.js';
import { type BootedSample, bootSample, call, type SampleEnv } from './support/sample-app.js';

/**
 * The sample pointed at a configured Exotel host (here the test's own fake, with its own customer and
 * app, standing in for the real one), as a deployment would run it.
 */
describe('sample app with EXOTEL_WEBRTC_BASE_URL set', () => {
  let exotel: FakeExotelServer;
  let env: SampleEnv;
  let customer: { id: string; secret: string };
  let app: { id: string; secret: string };
  let sample: BootedSample | undefined;

  beforeEach(async () => {
    exotel = await new FakeExotelServer().start();
    customer = exotel.addCustomer();
    app = exotel.addApp(customer.id);
    env = {
      EXOTEL_WEBRTC_BASE_URL: exotel.baseUrl,
      EXOTEL_CUSTOMER_ID: customer.id,
      EXOTEL_CUSTOMER_SECRET: customer.secret,
      EXOTEL_APP_ID: app.id,
      EXOTEL_APP_SECRET: app.secret,
    };
  });

  afterEach(async () => {
    // Closing the sample also restores process.env.
    await sample?.close();
    sample = undefined;
    await exotel.stop();
  });

  it('talks to the configured host with the configured credentials and starts no fake', async () => {
    sample = await bootSample(env);
    expect(sample.embedded.fake).toBeUndefined();
    expect(process.env.EXOTEL_WEBRTC_BASE_URL).toBe(exotel.baseUrl);

    const tokens = await call(`${sample.url}/tokens`);
    expect(tokens.status).toBe(200);
    expect(tokens.body.map((r: any) => [r.credential, r.state])).toEqual([
      ['customer', 'fresh'],
      ['app:default', 'fresh'],
    ]);
    // Both start-up mints went to this host, with these credentials (the seed ones exist only in an embedded fake).
    expect(exotel.mintCount(customer.id)).toBe(1);
    expect(exotel.mintCount(app.id)).toBe(1);
    expect(exotel.mintCount(FAKE_SEED.customer.id)).toBe(0);

    // Downstream calls go there too, with its app token.
    const missing = await call(`${sample.url}/users/nobody@example.com`);
    expect(missing.status).toBe(404);
    const [lookup] = exotel.requestsTo('GET /usermapping');
    expect(lookup?.headers.authorization).toMatch(/^<fingerprint:/);

    const text = bannerOf(sample.app);
    expect(text).toContain(`Exotel:       ${exotel.baseUrl} (from EXOTEL_WEBRTC_BASE_URL; no fake started)`);
    expect(text).not.toContain('embedded FakeExotelServer');
    for (const secret of [customer.secret, app.secret]) expect(text).not.toContain(secret);
  });

  it('restores the environment when it closes', async () => {
    const before = process.env.EXOTEL_WEBRTC_BASE_URL;
    sample = await bootSample(env);
    await sample.close();
    expect(process.env.EXOTEL_WEBRTC_BASE_URL).toBe(before);
    expect(process.env.EXOTEL_CUSTOMER_SECRET).not.toBe(customer.secret);
  });

  describe('GET /health after a failed start-up', () => {
    it('answers 503 with the exotel indicator down, and 200 once forced refreshes succeed', async () => {
      // Every mint fails from before boot: the app still starts (Exotel unavailable is not fatal),
      // with both credentials `failed` and no token at all.
      exotel.fault('POST /token', { status: 500 }, Infinity);
      sample = await bootSample(env);

      const rows = (await call(`${sample.url}/tokens`)).body;
      expect(rows.map((r: any) => [r.credential, r.state])).toEqual([
        ['customer', 'failed'],
        ['app:default', 'failed'],
      ]);

      const down = await call(`${sample.url}/health`);
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('error');
      expect(down.body.error.exotel).toMatchObject({ status: 'down' });
      expect(down.body.details.exotel.credentials).toEqual([
        expect.objectContaining({
          credential: 'customer',
          state: 'failed',
          status: 'down',
          expiresInMs: null,
        }),
        expect.objectContaining({
          credential: 'app:default',
          state: 'failed',
          status: 'down',
          expiresInMs: null,
        }),
      ]);

      exotel.clearFaults();
      expect((await call(`${sample.url}/tokens/customer/refresh`, { method: 'POST' })).status).toBe(200);
      expect((await call(`${sample.url}/tokens/app/refresh`, { method: 'POST' })).status).toBe(200);

      const up = await call(`${sample.url}/health`);
      expect(up.status).toBe(200);
      expect(up.body.status).toBe('ok');
      expect(up.body.details.exotel).toMatchObject({ status: 'up', degraded: false });
    });
  });
});
