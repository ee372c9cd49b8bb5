import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';
import { call, type RunningSample, startSample } from './support/sample-app.js';

const user = (id: string) => ({
  AppUserId: id,
  AppUsername: 'Priya Sharma',
  Email: id,
  ExotelAccountSid: FAKE_SEED.app.accountSid,
  ExotelUserName: 'Priya Sharma',
  VirtualNumber: '+911234567890',
  AgentNumber: '+919876543210',
});

/** The raw text of a reply must carry no token and no secret of the fake's demo credentials. */
function expectNoCredentials(sample: RunningSample, text: string): void {
  const { customer, app } = FAKE_SEED;
  for (const secret of [
    customer.secret,
    app.secret,
    ...sample.fake.tokensOf(customer.id),
    ...sample.fake.tokensOf(app.id),
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('sample app (embedded fake, real HTTP)', () => {
  let sample: RunningSample;
  const url = (path: string) => `${sample.url}${path}`;

  beforeAll(async () => {
    sample = await startSample();
  });

  afterAll(async () => {
    await sample?.close();
  });

  describe('GET /tokens and POST /tokens/:entity/refresh', () => {
    it('lists the customer and the default app, both fresh, with no token or secret', async () => {
      const reply = await call(url('/tokens'));
      expect(reply.status).toBe(200);
      expect(reply.body.map((r: any) => [r.credential, r.entity, r.state])).toEqual([
        ['customer', 'customer', 'fresh'],
        ['app:default', 'app', 'fresh'],
      ]);
      expectNoCredentials(sample, reply.text);
    });

    it('forces a refresh that /tokens then shows', async () => {
      const before = (await call(url('/tokens'))).body.find((r: any) => r.credential === 'customer');
      const mints = sample.fake.mintCount(FAKE_SEED.customer.id);
      const refreshed = await call(url('/tokens/customer/refresh'), { method: 'POST' });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toMatchObject({
        credential: 'customer',
        state: 'fresh',
        generation: before.generation + 1,
      });
      expect(refreshed.body.fingerprint).not.toBe(before.fingerprint);
      expect(sample.fake.mintCount(FAKE_SEED.customer.id)).toBe(mints + 1);
      expectNoCredentials(sample, refreshed.text);
      const after = (await call(url('/tokens'))).body.find((r: any) => r.credential === 'customer');
      expect(after).toMatchObject({
        generation: before.generation + 1,
        fingerprint: refreshed.body.fingerprint,
      });
      expect(after.issuedAt).toBeGreaterThanOrEqual(before.issuedAt);
    });

    it('refreshes a named app with ?app=', async () => {
      const reply = await call(url('/tokens/app/refresh?app=default'), { method: 'POST' });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ credential: 'app:default', state: 'fresh' });
    });

    it('answers 400 for an unknown entity and 404 for an app that is not configured', async () => {
      expect((await call(url('/tokens/robot/refresh'), { method: 'POST' })).status).toBe(400);
      const unknown = await call(url('/tokens/app/refresh?app=support'), { method: 'POST' });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, error: 'ExotelUnknownCredentialError' });
    });
  });

  describe('POST /apps', () => {
    it('registers an application with the customer token', async () => {
      const reply = await call(url('/apps'), {
        method: 'POST',
        json: {
          AppName: 'Support desk',
          ExotelAccountSid: 'supportsid',
          ExotelApiKey: 'key-1',
          ExotelApiToken: 'api-token-1',
          ExotelDomain: 'mumbai',
          IsActive: true,
        },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        AppName: 'Support desk',
        ExotelAccountSid: 'supportsid',
        CustomerID: FAKE_SEED.customer.id,
      });
      expect(reply.body.AppID).toEqual(expect.any(String));
      // The caller's own Exotel API key and token are not echoed back.
      expect(reply.text).not.toContain('api-token-1');
      const sent = sample.fake.requestsTo('POST /app').at(-1);
      expect(sent?.headers.authorization).toMatch(/^<fingerprint:/);
      expect(sample.fake.tokensOf(FAKE_SEED.customer.id).length).toBeGreaterThan(0);
    });

    it('answers 400 with the problems for an invalid body, before calling Exotel', async () => {
      const calls = sample.fake.requestsTo('POST /app').length;
      const reply = await call(url('/apps'), {
        method: 'POST',
        json: { AppName: 'x', ExotelDomain: 'tokyo' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('ExotelRequestError');
      expect(reply.body.problems).toEqual(expect.arrayContaining([expect.stringContaining('ExotelDomain')]));
      expect(sample.fake.requestsTo('POST /app').length).toBe(calls);
    });
  });

  describe('POST /users and GET /users/:appUserId', () => {
    it('registers a user and reads it back with the app token', async () => {
      const created = await call(url('/users'), { method: 'POST', json: [user('priya@example.com')] });
      expect(created.status).toBe(201);
      expect(created.body).toEqual([
        expect.objectContaining({ AppUserId: 'priya@example.com', AppID: FAKE_SEED.app.id }),
      ]);
      const read = await call(url(`/users/${encodeURIComponent('priya@example.com')}`));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        AppUserId: 'priya@example.com',
        SipId: expect.stringMatching(/^sip:/),
      });
      expect(read.body).not.toHaveProperty('SipSecret');
    });

    it('accepts a single user object as well as an array', async () => {
      const created = await call(url('/users'), { method: 'POST', json: user('arjun@example.com') });
      expect(created.status).toBe(201);
      expect(created.body).toHaveLength(1);
    });
  });

  describe('GET /softphone/:appUserId', () => {
    it('hands out the app token (valid at the fake) and the SIP identity, never the customer token', async () => {
      await call(url('/users'), { method: 'POST', json: [user('meera@example.com')] });
      const reply = await call(url(`/softphone/${encodeURIComponent('meera@example.com')}`));
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      const { token, sip } = reply.body;
      expect(sample.fake.isTokenValid(token)).toBe(true);
      expect(sample.fake.tokensOf(FAKE_SEED.app.id)).toContain(token);
      expect(sample.fake.tokensOf(FAKE_SEED.customer.id)).not.toContain(token);
      expect(reply.text).not.toContain(FAKE_SEED.app.secret);
      expect(sip).toMatchObject({
        domain: `${FAKE_SEED.app.accountSid}.voip.exotel.com`,
        id: expect.stringMatching(/^sip:/),
      });
      expect(`sip:${sip.user}`).toBe(sip.id);
      expect(reply.body).toMatchObject({
        appUserId: 'meera@example.com',
        tokenExpiresAt: expect.any(Number),
      });
    });

    it('answers 404 for a user that is not mapped', async () => {
      expect((await call(url('/softphone/nobody@example.com'))).status).toBe(404);
    });

    it("answers 409 while the app has no settings (Exotel's SDK would stop on that 404)", async () => {
      sample.fake.fault('GET /app_setting', { status: 404 });
      const reply = await call(url(`/softphone/${encodeURIComponent('meera@example.com')}`));
      expect(reply.status).toBe(409);
      expect(reply.body.message).toContain('no settings');
      expect(reply.text).not.toContain('"token"');
    });
  });

  describe('GET /health', () => {
    it('is up, turns degraded while the token endpoint fails, and is up again after recovery', async () => {
      const healthy = await call(url('/health'));
      expect(healthy.status).toBe(200);
      expect(healthy.body.status).toBe('ok');
      expect(healthy.body.details.exotel).toMatchObject({ status: 'up', degraded: false });

      sample.fake.fault('POST /token', { status: 500 }, Infinity);
      try {
        const failed = await call(url('/tokens/customer/refresh'), { method: 'POST' });
        expect(failed.status).toBe(503);
        expect(failed.body).toMatchObject({ error: 'ExotelUnavailableError', requestId: expect.any(String) });

        const degraded = await call(url('/health'));
        expect(degraded.status).toBe(200);
        expect(degraded.body.status).toBe('degraded');
        expect(degraded.body.details.exotel).toMatchObject({ status: 'degraded', degraded: true });
        const customer = degraded.body.details.exotel.credentials.find(
          (c: any) => c.credential === 'customer',
        );
        expect(customer).toMatchObject({ status: 'degraded', expiresInMs: expect.any(Number) });
        const row = (await call(url('/tokens'))).body.find((r: any) => r.credential === 'customer');
        expect(row.lastError).toMatchObject({ name: 'ExotelUnavailableError' });
      } finally {
        sample.fake.clearFaults();
      }

      expect((await call(url('/tokens/customer/refresh'), { method: 'POST' })).status).toBe(200);
      const recovered = await call(url('/health'));
      expect(recovered.status).toBe(200);
      expect(recovered.body.status).toBe('ok');
      expect(recovered.body.details.exotel).toMatchObject({ status: 'up', degraded: false });
    });
  });

  describe('errors from Exotel', () => {
    const noStack = (text: string) => {
      expect(text).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
      expect(text).not.toContain('"stack"');
    };

    it('maps a downstream 404 to 404 JSON with the RequestId', async () => {
      const reply = await call(url('/users/unknown'));
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({
        statusCode: 404,
        error: 'ExotelNotFoundError',
        requestId: expect.any(String),
      });
      noStack(reply.text);
    });

    it.each([
      [{ status: 503 }, 503, 'ExotelUnavailableError'],
      [{ html: true }, 503, 'ExotelUnavailableError'], // a proxy's 502 page
      [{ malformed: true }, 502, 'ExotelProtocolError'],
      [{ failedWith200: true }, 502, 'ExotelProtocolError'],
      // The caller sent no Exotel credentials: a refused server token is a bad gateway, not its 401.
      [{ status: 403 }, 502, 'ExotelAuthError'],
      [{ status: 400 }, 400, 'ExotelRequestError'],
    ])('maps a downstream fault %j to %i %s', async (fault, status, name) => {
      sample.fake.fault('GET /usermapping', fault);
      const reply = await call(url('/users/priya@example.com'));
      expect(reply.status).toBe(status);
      expect(reply.body).toMatchObject({ statusCode: status, error: name });
      expect(reply.body).toHaveProperty('requestId');
      noStack(reply.text);
      expectNoCredentials(sample, reply.text);
    });

    it("answers a refused server token downstream with 502 that says it is the server's", async () => {
      sample.fake.fault('GET /usermapping', { status: 403 });
      const reply = await call(url('/users/priya@example.com'));
      expect(reply.status).toBe(502);
      expect(reply.body.message).toMatch(
        /^Exotel refused the token this server minted with its app 'default' credentials/,
      );
      expect(reply.body.message).toContain('not a problem with your request');
    });

    it("answers Exotel refusing the server's own credentials at POST /token with 502, not 401", async () => {
      sample.fake.fault('POST /token', { status: 401 });
      try {
        const reply = await call(url('/tokens/customer/refresh'), { method: 'POST' });
        expect(reply.status).toBe(502);
        expect(reply.body).toMatchObject({
          statusCode: 502,
          error: 'ExotelAuthError',
          exotelStatus: 401,
          credential: 'customer',
          requestId: expect.any(String),
        });
        expect(reply.body.message).toMatch(/^Exotel refused this server's own customer credentials/);
        expect(reply.body.message).toContain('POST /token');
        noStack(reply.text);
        expectNoCredentials(sample, reply.text);
      } finally {
        sample.fake.clearFaults();
      }
      // The held token was kept; a forced refresh (ignoring the long backoff after a refusal) recovers.
      expect((await call(url('/tokens/customer/refresh'), { method: 'POST' })).status).toBe(200);
    });

    it('passes Retry-After on', async () => {
      sample.fake.fault('GET /usermapping', { status: 429, retryAfter: 30 });
      const reply = await call(url('/users/priya@example.com'));
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('30');
    });
  });
});
