import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { inspect } from 'node:util';
import {
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
  ExotelWebrtcClient,
  type RegisterUserDto,
  type TokenService,
} from 'nestjs-exotel-webrtc';
import { fingerprintToken } from 'nestjs-exotel-webrtc/testing';
import { type FakeWorld, startExotelWorld } from './support/exotel-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function user(id: string): RegisterUserDto {
  return {
    AppUserId: id,
    AppUsername: 'Asha Verma',
    Email: `${id}@example.test`,
    ExotelAccountSid: 'fakesid01',
    ExotelUserName: 'Asha Verma',
    VirtualNumber: '+918000000001',
    AgentNumber: '+919800000001',
  };
}

describe('ExotelWebrtcClient against FakeExotelServer', () => {
  let world: FakeWorld;
  let app: INestApplication;
  let tokens: TokenService;
  let client: ExotelWebrtcClient;

  beforeEach(async () => {
    ({ world, app, tokens } = await startExotelWorld());
    client = app.get(ExotelWebrtcClient);
  });

  afterEach(async () => {
    await app.close();
    await world.fake.stop();
  });

  async function sentWith(route: string, entity: 'customer' | 'app', name?: string): Promise<void> {
    const seen = world.fake.requestsTo(route);
    const expected = `<fingerprint:${fingerprintToken(await tokens.getToken(entity, name))}>`;
    expect(seen[seen.length - 1]?.headers.authorization).toBe(expected);
  }

  it('customer.get', async () => {
    const customer = await client.customer.get();
    expect(customer.CustomerID).toBe(world.customer.id);
    await sentWith('GET /customer', 'customer');
  });

  it('apps.register, apps.list', async () => {
    const created = await client.apps.register({
      AppName: 'Sales',
      ExotelAccountSid: 'sales01',
      ExotelApiKey: 'key',
      ExotelApiToken: 'api-token',
      ExotelDomain: 'singapore',
      IsActive: true,
    });
    expect(created.AppID).toMatch(UUID);
    expect(created.AppSecret).toMatch(UUID);
    // Readable, but left out of JSON, inspection and spreads: the secret must not reach logs by accident.
    expect(Object.keys(created)).not.toContain('AppSecret');
    expect(JSON.stringify(created)).not.toContain(created.AppSecret);
    expect({ ...created }).not.toHaveProperty('AppSecret');
    expect(created.ExotelDomain).toBe('singapore');
    await sentWith('POST /app', 'customer');
    const apps = await client.apps.list();
    expect(apps.map((a) => a.AppID).sort()).toEqual([world.app.id, world.support.id, created.AppID].sort());
    await sentWith('GET /app?entity=customer', 'customer');
  });

  it('apps.get, for the default app and for a named one', async () => {
    expect((await client.apps.get()).AppID).toBe(world.app.id);
    await sentWith('GET /app', 'app');
    expect((await client.app('support').apps.get()).AppID).toBe(world.support.id);
    await sentWith('GET /app', 'app', 'support');
  });

  it('apps.delete deletes the bound app', async () => {
    expect(await client.app('support').apps.delete()).toBe('Deleted Successfully');
    await sentWith('DELETE /app', 'app', 'support');
    expect((await client.apps.list()).map((a) => a.AppID)).toEqual([world.app.id]);
  });

  it('settings.add, settings.get, settings.list', async () => {
    const added = await client.settings.add({ Key: 'callback', Value: 'https://example.test/cb' });
    expect(added).toMatchObject({ AppID: world.app.id, CustomerID: world.customer.id, Key: 'callback' });
    await client.settings.add({ Key: 'record', Value: 'true' });
    expect((await client.settings.get('record')).Value).toBe('true');
    expect((await client.settings.list()).map((s) => s.Key).sort()).toEqual(['callback', 'record']);
    await sentWith('GET /app_setting', 'app');
  });

  it('settings.list on an app without settings is ExotelNotFoundError with the RequestId', async () => {
    const error = await client.settings.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelNotFoundError);
    expect((error as ExotelNotFoundError).requestId).toMatch(UUID);
    expect((error as ExotelNotFoundError).httpStatus).toBe(404);
  });

  it('users.register, users.get, users.list (paged with the string LastEvaluatedValue), users.deleteAll', async () => {
    const mapped = await client.users.register([user('u1'), user('u2'), user('u3')]);
    expect(mapped.map((u) => u.AppUserId)).toEqual(['u1', 'u2', 'u3']);
    expect(mapped[0].SipId).toMatch(/^sip:/);
    expect((await client.users.get('u2')).Email).toBe('u2@example.test');

    const first = await client.users.list({ pageSize: 2 });
    expect(first.Users.map((u) => u.AppUserId)).toEqual(['u1', 'u2']);
    expect(first.PageSize).toBe(2);
    expect(first.LastEvaluatedValue).toBe('2');
    const second = await client.users.list({ lastValue: first.LastEvaluatedValue, pageSize: 2 });
    expect(second.Users.map((u) => u.AppUserId)).toEqual(['u3']);
    expect(world.fake.requestsTo('GET /usermapping').at(-1)?.query).toEqual({
      last_value: '2',
      page_size: '2',
    });
    expect((await client.users.list()).Users).toHaveLength(3);

    expect(await client.users.deleteAll()).toBe('Deleted Successfuly');
    await expect(client.users.get('u1')).rejects.toBeInstanceOf(ExotelNotFoundError);
  });

  it('device.update', async () => {
    await client.users.register([user('u1')]);
    const updated = await client.device.update({ UserId: 'u1', DeviceName: 'sip', DeviceStatus: true });
    expect(updated.ActiveDeviceId).toBe(updated.SipDeviceID);
    const off = await client.device.update({ UserId: 'u1', DeviceStatus: false });
    expect(off.ActiveDeviceId).toBe('');
    await sentWith('PUT /device', 'app');
  });

  it('calls.outbound, filling customer_id and app_id from GET /app', async () => {
    await client.users.register([user('u1')]);
    const call = await client.calls.outbound({
      to: '+919900000000',
      user_id: 'u1',
      custom_field: 'ticket-7',
    });
    expect(call).toMatchObject({ AppId: world.app.id, CustomerId: world.customer.id, Direction: 'outbound' });
    expect(call.CallSid).toBeTruthy();
    const sent = world.fake.requestsTo('POST /call/outbound_call').at(-1);
    expect(sent?.body).toEqual({
      to: '+919900000000',
      user_id: 'u1',
      custom_field: 'ticket-7',
      customer_id: world.customer.id,
      app_id: world.app.id,
    });
    await sentWith('POST /call/outbound_call', 'app');
  });

  it('customer.delete', async () => {
    await client.customer.delete();
    await sentWith('DELETE /customer', 'customer');
    expect(world.fake.isTokenValid(await tokens.getToken('customer'))).toBe(false);
  });

  it('a named app scope keeps its own users', async () => {
    await client.app('support').users.register([user('s1')]);
    await sentWith('POST /usermapping', 'app', 'support');
    expect((await client.app('support').users.get('s1')).AppID).toBe(world.support.id);
    await expect(client.users.get('s1')).rejects.toBeInstanceOf(ExotelNotFoundError);
    expect(client.app('support')).toBe(client.app('support'));
  });

  it('client.app() of an app that is not configured throws at once', () => {
    expect(() => client.app('nope')).toThrow(ExotelUnknownCredentialError);
  });

  it('client.request() keeps the RequestId', async () => {
    const reply = await client.request<{ AppID: string }>({ method: 'GET', path: '/app', entity: 'app' });
    expect(reply.data.AppID).toBe(world.app.id);
    expect(reply.requestId).toMatch(UUID);
  });

  describe('replies map onto the error classes', () => {
    it('400 -> ExotelRequestError (a duplicate user)', async () => {
      await client.users.register([user('u1')]);
      const error = await client.users.register([user('u1')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelRequestError);
      expect((error as ExotelRequestError).httpStatus).toBe(400);
      expect((error as ExotelRequestError).requestId).toMatch(UUID);
    });

    it('500 -> ExotelUnavailableError; 429 keeps Retry-After', async () => {
      world.fake.fault('GET /app', { status: 500 });
      await expect(client.apps.get()).rejects.toBeInstanceOf(ExotelUnavailableError);
      world.fake.fault('GET /app', { status: 429, retryAfter: 7 });
      const limited = (await client.apps.get().catch((e: unknown) => e)) as ExotelUnavailableError;
      expect(limited).toBeInstanceOf(ExotelUnavailableError);
      expect(limited.retryAfterSeconds).toBe(7);
    });

    it('a malformed body, Status Failed with 200 and an empty Data -> ExotelProtocolError', async () => {
      world.fake.fault('GET /customer', { malformed: true });
      await expect(client.customer.get()).rejects.toBeInstanceOf(ExotelProtocolError);
      world.fake.fault('GET /customer', { failedWith200: true });
      await expect(client.customer.get()).rejects.toBeInstanceOf(ExotelProtocolError);
      world.fake.fault('GET /customer', { emptyData: true });
      await expect(client.customer.get()).rejects.toBeInstanceOf(ExotelProtocolError);
    });

    it('a connection reset -> ExotelUnavailableError', async () => {
      world.fake.fault('GET /usermapping', { reset: true });
      await expect(client.users.list()).rejects.toBeInstanceOf(ExotelUnavailableError);
    });

    it('a revoked token is renewed transparently', async () => {
      world.fake.revokeTokens(world.app.id);
      expect((await client.apps.get()).AppID).toBe(world.app.id);
    });

    it('no error holds a token, however it is printed', async () => {
      world.fake.fault('GET /app', { status: 500 });
      world.fake.fault('GET /customer', { reset: true });
      const errors = [
        await client.apps.get().catch((e: unknown) => e),
        await client.customer.get().catch((e: unknown) => e),
        await client.users.get('missing').catch((e: unknown) => e),
      ];
      const issued = [world.customer.id, world.app.id].flatMap((id) => world.fake.tokensOf(id));
      for (const error of errors) {
        const text = [
          JSON.stringify(error),
          inspect(error, { depth: Infinity, showHidden: true }),
          String(error),
        ].join('\n');
        for (const token of issued) expect(text).not.toContain(token);
      }
    });
  });
});
