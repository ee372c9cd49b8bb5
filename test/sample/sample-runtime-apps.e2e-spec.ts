import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';
import { InMemoryAppCredentials } from '../../sample/exotel/in-memory-app-credentials.js';
import { logGuard } from '../support/log-guard-core.js';
import { call, type Reply, type RunningSample, startSample } from './support/sample-app.js';

const ACCOUNT_SID = 'tenanttwosid';
const API_TOKEN = 'tenant-two-api-token';

const appBody = (AppName: string) => ({
  AppName,
  ExotelAccountSid: ACCOUNT_SID,
  ExotelApiKey: 'tenant-two-api-key',
  ExotelApiToken: API_TOKEN,
  ExotelDomain: 'mumbai',
  IsActive: true,
});

const user = (id: string) => ({
  AppUserId: id,
  AppUsername: 'Kavya Rao',
  Email: id,
  ExotelAccountSid: ACCOUNT_SID,
  ExotelUserName: 'Kavya Rao',
  VirtualNumber: '+911234567890',
  AgentNumber: '+919876543210',
});

/**
 * `POST /apps` registers an app at Exotel and manages it at once under a name; `?app=<name>` of the
 * users, softphone and token routes acts on it; `DELETE /apps/:name` stops managing it.
 */
describe('sample app: apps registered and removed at runtime (embedded fake, real HTTP)', () => {
  let sample: RunningSample;
  const url = (path: string) => `${sample.url}${path}`;
  const replies: { path: string; reply: Reply }[] = [];
  const send = async (path: string, init?: Parameters<typeof call>[1]): Promise<Reply> => {
    const reply = await call(url(path), init);
    replies.push({ path, reply });
    return reply;
  };
  const rowOf = async (credential: string) =>
    ((await send('/tokens')).body as any[]).find((r) => r.credential === credential);

  // Set by the registration test, read by the ones after it.
  const name = 'tenant-two';
  let appId: string;
  let appSecret: string;

  beforeAll(async () => {
    sample = await startSample();
  });

  afterAll(async () => {
    // Clean up even when a test failed half way; a second DELETE answers 404.
    if (sample) await call(url(`/apps/${name}`), { method: 'DELETE' }).catch(() => undefined);
    await sample?.close();
  });

  it('POST /apps registers the app, manages it under a slug of AppName and never answers its secrets', async () => {
    const registrations = sample.fake.requestsTo('POST /app').length;
    const reply = await send('/apps', { method: 'POST', json: appBody('Tenant Two!') });
    expect(reply.status).toBe(201);
    // Kept first, so the later tests still run if an assertion below fails.
    appId = reply.body.AppID;
    const kept = sample.app.get(InMemoryAppCredentials).appCredentials(name);
    appSecret = kept!.secret;
    expect(kept?.id).toBe(appId);
    expect(reply.body).toMatchObject({
      name,
      AppName: 'Tenant Two!',
      ExotelAccountSid: ACCOUNT_SID,
      CustomerID: FAKE_SEED.customer.id,
      AppID: expect.any(String),
      credentials: expect.stringContaining('memory only'),
      token: { credential: `app:${name}`, app: name, state: 'fresh', generation: 1 },
    });
    for (const field of ['AppSecret', 'ExotelApiKey', 'ExotelApiToken'])
      expect(reply.body).not.toHaveProperty(field);
    expect(sample.fake.requestsTo('POST /app').length).toBe(registrations + 1);

    expect(appSecret.length).toBeGreaterThan(8);
    expect(reply.text).not.toContain(appSecret);
    expect(reply.text).not.toContain(API_TOKEN);
    // Exactly one mint, done before the reply.
    expect(sample.fake.mintCount(appId)).toBe(1);
  });

  it('GET /tokens lists the new app at once, fresh, next to the configured credentials', async () => {
    const reply = await send('/tokens');
    expect(reply.status).toBe(200);
    expect(reply.body.map((r: any) => [r.credential, r.state])).toEqual([
      ['customer', 'fresh'],
      ['app:default', 'fresh'],
      [`app:${name}`, 'fresh'],
    ]);
    expect(sample.fake.mintCount(appId)).toBe(1);
  });

  it('refuses a name that is already managed (409) or breaks the name rule (400) before calling Exotel', async () => {
    const registrations = sample.fake.requestsTo('POST /app').length;
    const taken = await send('/apps', { method: 'POST', json: appBody('tenant two') });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toContain(`'${name}' is already managed`);
    expect((await send('/apps?name=default', { method: 'POST', json: appBody('x') })).status).toBe(409);
    const bad = await send(`/apps?name=${encodeURIComponent('no spaces')}`, {
      method: 'POST',
      json: appBody('x'),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('?name=');
    expect((await send('/apps', { method: 'POST', json: appBody('!!!') })).status).toBe(400);
    expect(sample.fake.requestsTo('POST /app').length).toBe(registrations);
  });

  it('users created under ?app=<name> are seen under that app and not under default', async () => {
    const created = await send(`/users?app=${name}`, { method: 'POST', json: [user('kavya@example.com')] });
    expect(created.status).toBe(201);
    expect(created.body).toEqual([expect.objectContaining({ AppUserId: 'kavya@example.com', AppID: appId })]);
    expect(created.body[0]).not.toHaveProperty('SipSecret');

    const seen = await send(`/users/kavya%40example.com?app=${name}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ AppUserId: 'kavya@example.com', AppID: appId });

    const underDefault = await send('/users/kavya%40example.com');
    expect(underDefault.status).toBe(404);
    expect(underDefault.body.error).toBe('ExotelNotFoundError');

    // And the other way round: a user of the default app is not one of the new app's.
    const defaultUser = { ...user('ravi@example.com'), ExotelAccountSid: FAKE_SEED.app.accountSid };
    expect((await send('/users', { method: 'POST', json: defaultUser })).status).toBe(201);
    expect((await send('/users/ravi%40example.com')).status).toBe(200);
    expect((await send(`/users/ravi%40example.com?app=${name}`)).status).toBe(404);
  });

  it("GET /softphone/:user?app=<name> answers that app's token, not the default app's or the customer's", async () => {
    // A new app has no settings, and Exotel's SDK stops on the 404 of GET /app_setting.
    const unset = await send(`/softphone/kavya%40example.com?app=${name}`);
    expect(unset.status).toBe(409);
    expect((await send(`/settings?app=${name}`)).status).toBe(404);
    const setting = await send(`/settings?app=${name}`, {
      method: 'POST',
      json: { Key: 'theme', Value: 'dark' },
    });
    expect(setting.status).toBe(201);
    expect(setting.body).toMatchObject({ AppID: appId, Key: 'theme', Value: 'dark' });
    // The default app's settings are not the new app's.
    const defaults = await send('/settings');
    expect(defaults.status).toBe(200);
    expect(defaults.body.every((s: any) => s.AppID === FAKE_SEED.app.id)).toBe(true);

    const reply = await send(`/softphone/kavya%40example.com?app=${name}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const { token, sip, tokenExpiresAt } = reply.body;
    expect(sample.fake.tokensOf(appId)).toEqual([token]);
    expect(sample.fake.isTokenValid(token)).toBe(true);
    expect(sample.fake.tokensOf(FAKE_SEED.app.id)).not.toContain(token);
    expect(sample.fake.tokensOf(FAKE_SEED.customer.id)).not.toContain(token);
    expect(tokenExpiresAt).toBe((await rowOf(`app:${name}`)).expiresAt);
    expect(sip).toMatchObject({
      domain: `${ACCOUNT_SID}.voip.exotel.com`,
      id: expect.stringMatching(/^sip:/),
    });
    expect(reply.text).not.toContain(appSecret);
    // The user is not one of the default app's.
    expect((await send('/softphone/kavya%40example.com')).status).toBe(404);
    expect(sample.fake.mintCount(appId)).toBe(1);
  });

  it('POST /tokens/app/refresh?app=<name> mints a new token for that app only', async () => {
    const before = await rowOf(`app:${name}`);
    const defaultMints = sample.fake.mintCount(FAKE_SEED.app.id);
    const reply = await send(`/tokens/app/refresh?app=${name}`, { method: 'POST' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      credential: `app:${name}`,
      state: 'fresh',
      generation: before.generation + 1,
    });
    expect(reply.body.fingerprint).not.toBe(before.fingerprint);
    expect(sample.fake.mintCount(appId)).toBe(2);
    expect(sample.fake.mintCount(FAKE_SEED.app.id)).toBe(defaultMints);
  });

  it('DELETE /apps/:name refuses the configured default app (409) and an unknown name (404)', async () => {
    const configured = await send('/apps/default', { method: 'DELETE' });
    expect(configured.status).toBe(409);
    const unknown = await send('/apps/nobody', { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'ExotelUnknownCredentialError' });
    expect((await rowOf('app:default')).state).toBe('fresh');
  });

  it('DELETE /apps/:name stops managing the app: gone from /tokens, and every ?app=<name> route answers 404', async () => {
    const removed = await send(`/apps/${name}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(sample.app.get(InMemoryAppCredentials).has(name)).toBe(false);

    const rows = (await send('/tokens')).body as any[];
    expect(rows.map((r) => r.credential)).toEqual(['customer', 'app:default']);

    const refresh = await send(`/tokens/app/refresh?app=${name}`, { method: 'POST' });
    expect(refresh.status).toBe(404);
    expect(refresh.body).toMatchObject({ statusCode: 404, error: 'ExotelUnknownCredentialError' });
    expect(refresh.body.message).toContain(name);
    expect(refresh.body.message).toContain('POST /apps');
    expect((await send(`/users/kavya%40example.com?app=${name}`)).status).toBe(404);
    expect((await send(`/softphone/kavya%40example.com?app=${name}`)).status).toBe(404);
    expect((await send(`/settings?app=${name}`)).status).toBe(404);
    expect((await send(`/apps/${name}`, { method: 'DELETE' })).status).toBe(404);
    // Not learned again from the credential source, not minted again.
    expect(sample.fake.mintCount(appId)).toBe(2);
    // The default app is untouched.
    expect((await send('/tokens/app/refresh', { method: 'POST' })).status).toBe(200);
  });

  it('takes the name from ?name= and removes that app again', async () => {
    const reply = await send('/apps?name=tenant.three_3', { method: 'POST', json: appBody('Tenant Three') });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ name: 'tenant.three_3', token: { state: 'fresh' } });
    expect(reply.body).not.toHaveProperty('AppSecret');
    expect((await rowOf('app:tenant.three_3'))?.state).toBe('fresh');
    expect((await send('/apps/tenant.three_3', { method: 'DELETE' })).status).toBe(204);
    expect(await rowOf('app:tenant.three_3')).toBeUndefined();
  });

  it('never answered or logged an AppSecret', () => {
    const secrets = [appSecret, API_TOKEN, ...sample.fake.knownSecrets()];
    // Every secret and token the fake knows (both apps' secrets, API tokens, every token issued);
    // only the softphone replies carry a token, the new app's, by design.
    const handedOut = new Set(sample.fake.tokensOf(appId));
    for (const { path, reply } of replies) {
      const forbidden = path.startsWith('/softphone/') ? secrets.filter((s) => !handedOut.has(s)) : secrets;
      for (const secret of forbidden) expect(reply.text).not.toContain(secret);
    }
    // The guard did see the sample's log lines (the error filter's warnings for the 404s above).
    expect(logGuard.lines.some((line) => line.text.includes('ExotelUnknownCredentialError'))).toBe(true);
    const leaked = logGuard.lines.filter((line) =>
      secrets.some((s) => s.length >= 8 && line.text.includes(s)),
    );
    expect(leaked.map((line) => line.source)).toEqual([]);
  });
});
