import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';
import { bundleWebSdk } from '../../sample/softphone/websdk-bundle.js';
import { WEBSDK_FILE } from '../../sample/softphone/websdk.js';
import { call, type RunningSample, startSample } from './support/sample-app.js';

const user = (id: string) => ({
  AppUserId: id,
  AppUsername: 'Dev Patel',
  Email: 'dev@example.com',
  ExotelAccountSid: FAKE_SEED.app.accountSid,
  ExotelUserName: 'Dev Patel',
  VirtualNumber: '+911234567890',
});

/** The sample routes the softphone panel relies on, over real HTTP against the embedded fake. */
describe('sample routes for the softphone panel (embedded fake, real HTTP)', () => {
  let sample: RunningSample;
  const api = (path: string, init?: Parameters<typeof call>[1]) => call(`${sample.url}${path}`, init);

  beforeAll(async () => {
    await bundleWebSdk();
    sample = await startSample();
  });

  afterAll(async () => {
    await sample?.close();
  });

  it('GET /users lists a page of users without SIP passwords; DELETE /users unmaps them all', async () => {
    const ids = ['a@example.com', 'b@example.com', 'c@example.com'];
    expect((await api('/users', { method: 'POST', json: ids.map(user) })).status).toBe(201);
    const first = await api('/users?pageSize=2');
    expect(first.status).toBe(200);
    expect(first.body.Users.map((u: { AppUserId: string }) => u.AppUserId)).toEqual(ids.slice(0, 2));
    expect(first.text).not.toContain('SipSecret');
    const rest = await api(`/users?pageSize=2&lastValue=${first.body.LastEvaluatedValue}`);
    expect(rest.body.Users.map((u: { AppUserId: string }) => u.AppUserId)).toEqual(ids.slice(2));
    expect((await api('/users?pageSize=lots')).status).toBe(400);

    expect((await api('/users', { method: 'DELETE' })).status).toBe(200);
    expect((await api('/users')).body.Users).toEqual([]);
    expect(sample.fake.requestsTo('DELETE /usermapping')).toHaveLength(1);
  });

  it('GET /settings/:key answers one setting, 404 for a key that is not set', async () => {
    const added = await api('/settings', { method: 'POST', json: { Key: 'widget', Value: 'left' } });
    expect(added.status).toBe(201);
    const one = await api('/settings/widget');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ Key: 'widget', Value: 'left' });
    expect((await api('/settings/nothing-here')).status).toBe(404);
  });

  it('GET /softphone/:id hands the SDK an id it can put in its query as is', async () => {
    const id = 'dev+night&shift@example.com';
    expect((await api('/users', { method: 'POST', json: user(id) })).status).toBe(201);
    const reply = await api(`/softphone/${encodeURIComponent(id)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.appUserId).toBe(id);
    expect(reply.body.sdkUserId).toBe('dev%2Bnight%26shift%40example.com');
    // What the SDK then sends: `?user_id=<sdkUserId>` reads back as the id itself.
    expect(new URLSearchParams(`user_id=${reply.body.sdkUserId}`).get('user_id')).toBe(id);
    expect(reply.body.tokenExpiresAt).toBeGreaterThan(Date.now());
  });

  it('answers its refusals in one body shape, with requestId null only where Exotel gave none', async () => {
    const shape = ['credential', 'error', 'exotelStatus', 'message', 'requestId', 'statusCode'];
    const id = 'tara@example.com';
    expect((await api('/users', { method: 'POST', json: user(id) })).status).toBe(201);

    // Refused because of Exotel's answer (its 404 for an app without settings): that answer's RequestId.
    sample.fake.fault('GET /app_setting', { status: 404 });
    const noSettings = await api(`/softphone/${encodeURIComponent(id)}`);
    expect(noSettings.status).toBe(409);
    expect(Object.keys(noSettings.body).sort()).toEqual(shape);
    expect(noSettings.body).toMatchObject({
      error: 'ConflictException',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      exotelStatus: 404,
      credential: "app 'default'",
    });

    // Exotel was never asked: an app the sample does not manage, a query it refuses itself.
    for (const path of [`/softphone/${encodeURIComponent(id)}?app=nobody`, '/users?pageSize=lots']) {
      const refused = await api(path);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(Object.keys(refused.body).sort()).toEqual(shape);
      expect(refused.body).toMatchObject({ requestId: null, exotelStatus: null });
    }
  });

  it('serves the SDK bundle and refuses any other name', async () => {
    const bundle = await api(`/websdk/${WEBSDK_FILE}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(bundle.text).toContain('integrationscore.mum1.exotel.com');
    for (const name of ['..%2Fpackage.json', 'missing.js', 'main.ts']) {
      const refused = await api(`/websdk/${name}`);
      expect(refused.status).toBe(404);
      expect(refused.body.message).toContain('npm run sample:build');
    }
  });
});
