import { createDecipheriv } from 'node:crypto';
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeExotelServer } from '../index.js';

interface Reply {
  status: number;
  json: any;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function user(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AppUserId: id,
    AppUsername: 'Alice Smith',
    Email: `${id}@example.test`,
    ExotelAccountSid: 'acme1',
    ExotelUserName: 'Alice Smith',
    VirtualNumber: '+911234567890',
    ...extra,
  };
}

describe('FakeExotelServer downstream routes', () => {
  let server: FakeExotelServer;
  let customer: { id: string; secret: string };
  let customerToken: string;
  let app: { id: string; secret: string };
  let appToken: string;

  const call = async (method: string, path: string, auth?: string, body?: unknown): Promise<Reply> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) headers.authorization = auth;
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    // Every envelope mirrors the HTTP status in Code.
    expect(json.Code).toBe(res.status);
    return { status: res.status, json };
  };
  const mint = async (id: string, secret: string, entity: string): Promise<string> =>
    (await call('POST', '/token', undefined, { Id: id, Secret: secret, Entity: entity })).json.Data;
  const asApp = (method: string, path: string, body?: unknown): Promise<Reply> =>
    call(method, path, appToken, body);

  beforeEach(async () => {
    server = await new FakeExotelServer().start();
    customer = server.addCustomer({ name: 'Acme', email: 'ops@acme.test' });
    app = server.addApp(customer.id, { name: 'Web', accountSid: 'acme1', domain: 'singapore' });
    customerToken = await mint(customer.id, customer.secret, 'customer');
    appToken = await mint(app.id, app.secret, 'app');
  });
  afterEach(() => server.stop());

  describe('customer and app', () => {
    it('POST /customer creates a customer without auth whose credentials mint tokens', async () => {
      const created = await call('POST', '/customer', undefined, { CustomerName: 'New', Email: 'n@x.test' });
      expect(created.status).toBe(200);
      expect(created.json.Data).toMatchObject({
        CustomerName: 'New',
        Email: 'n@x.test',
        CustomerSetting: null,
        DeletedAt: false,
      });
      expect(created.json.Data.CreatedAt).toMatch(ISO);
      const { CustomerID, CustomerSecret } = created.json.Data;
      expect(typeof (await mint(CustomerID, CustomerSecret, 'customer'))).toBe('string');
      const invalid = await call('POST', '/customer', undefined, { CustomerName: 'New' });
      expect(invalid.status).toBe(400);
      expect(invalid.json.Error).toContain('Email');
    });

    it('GET /customer returns the customer object of the token', async () => {
      const reply = await call('GET', '/customer', customerToken);
      expect(reply.json.Data).toMatchObject({
        CustomerID: customer.id,
        CustomerSecret: customer.secret,
        CustomerName: 'Acme',
        Email: 'ops@acme.test',
        DeletedAt: false,
      });
    });

    it('POST /app registers an app (secrets only here) usable with an app token', async () => {
      const body = {
        AppName: 'Second',
        ExotelAccountSid: 'acme2',
        ExotelApiKey: 'k',
        ExotelApiToken: 't',
        ExotelDomain: 'Mumbai',
        IsActive: true,
      };
      const created = await call('POST', '/app', customerToken, body);
      expect(created.json.Data).toMatchObject({
        CustomerID: customer.id,
        AppName: 'Second',
        ExotelApiKey: 'k',
        ExotelApiToken: 't',
        ExotelDomain: 'mumbai',
        IsActive: true,
      });
      const token = await mint(created.json.Data.AppID, created.json.Data.AppSecret, 'app');
      const fetched = await call('GET', '/app?entity=app', token);
      expect(fetched.json.Data.AppName).toBe('Second');
      expect(fetched.json.Data).not.toHaveProperty('AppSecret');
      expect(fetched.json.Data).not.toHaveProperty('ExotelApiToken');
      expect((await call('POST', '/app', customerToken, { ...body, ExotelDomain: 'tokyo' })).status).toBe(
        400,
      );
      expect((await call('POST', '/app', customerToken, { ...body, IsActive: 'yes' })).status).toBe(400);
      expect(
        (await call('POST', '/app', customerToken, { ...body, AppName: undefined })).json.Error,
      ).toContain('AppName');
    });

    it('GET /app (app token) and GET /app?entity=customer (customer token)', async () => {
      const one = await asApp('GET', '/app');
      expect(Object.keys(one.json.Data).sort()).toEqual(
        [
          'AppID',
          'AppName',
          'CreatedAt',
          'CustomerID',
          'ExotelAccountSid',
          'ExotelDomain',
          'IsActive',
          'UpdatedAt',
        ].sort(),
      );
      expect(one.json.Data).toMatchObject({
        AppID: app.id,
        ExotelAccountSid: 'acme1',
        ExotelDomain: 'singapore',
      });
      const list = await call('GET', '/app?entity=customer', customerToken);
      expect(list.json.Data).toEqual([one.json.Data]);
      expect((await call('GET', '/app?entity=user', customerToken)).status).toBe(400);
    });

    it('DELETE /app deletes the app and invalidates its token', async () => {
      const deleted = await asApp('DELETE', '/app');
      expect(deleted.json).toMatchObject({ Status: 'Success', Data: 'Deleted Successfully' });
      expect((await asApp('GET', '/app')).status).toBe(401);
      expect((await call('GET', '/app?entity=customer', customerToken)).json.Data).toEqual([]);
      expect(server.isTokenValid(appToken)).toBe(false);
    });

    it('DELETE /customer cascades to apps and tokens', async () => {
      const deleted = await call('DELETE', '/customer', customerToken);
      expect(deleted.json.Data).toBe('Deleted Successfully');
      expect((await call('GET', '/customer', customerToken)).status).toBe(401);
      expect((await asApp('GET', '/app')).status).toBe(401);
      expect(
        (await call('POST', '/token', undefined, { Id: app.id, Secret: app.secret, Entity: 'app' })).status,
      ).toBe(401);
    });
  });

  describe('app settings', () => {
    it('round-trips settings, overwrites a key and answers 404 when missing', async () => {
      expect((await asApp('GET', '/app_setting')).status).toBe(404);
      const added = await asApp('POST', '/app_setting', { Key: 'record', Value: 'true' });
      expect(added.json.Data).toEqual({
        CustomerID: customer.id,
        AppID: app.id,
        Key: 'record',
        Value: 'true',
      });
      await asApp('POST', '/app_setting', { Key: 'callback', Value: 'https://cb.test/x' });
      await asApp('POST', '/app_setting', { Key: 'record', Value: 'false' });
      expect((await asApp('GET', '/app_setting?key=record')).json.Data.Value).toBe('false');
      const notFound = await asApp('GET', '/app_setting?key=popup');
      expect(notFound.status).toBe(404);
      expect(notFound.json.Error).toBe('App setting not found');
      const all = await asApp('GET', '/app_setting');
      expect(all.json.Data.map((s: any) => `${s.Key}=${s.Value}`)).toEqual([
        'record=false',
        'callback=https://cb.test/x',
      ]);
    });

    it('answers 400 for a missing Key or a non-string Value', async () => {
      expect((await asApp('POST', '/app_setting', { Value: 'x' })).json.Error).toContain('Key');
      expect((await asApp('POST', '/app_setting', { Key: 'record', Value: true })).json.Error).toContain(
        'Value',
      );
    });
  });

  describe('user mappings', () => {
    it('POST /usermapping returns full mapping objects with a decryptable SipSecret', async () => {
      const reply = await asApp('POST', '/usermapping', [
        user('alice', { AgentNumber: '+919999' }),
        user('bob'),
      ]);
      expect(reply.status).toBe(200);
      const [alice, bob] = reply.json.Data;
      expect(alice).toMatchObject({
        CustomerId: customer.id,
        AppID: app.id,
        AppUserId: 'alice',
        AgentNumber: '+919999',
        ActiveDeviceId: '',
        IsActive: true,
        OutboundActive: true,
        Role: 'user',
        UserDetail: null,
      });
      expect(bob.AgentNumber).toBe('');
      expect(alice.SipId).toMatch(/^sip:[a-z0-9]+$/);
      for (const field of ['ExotelUserId', 'PhoneDeviceID', 'SipDeviceID'])
        expect(alice[field]).toMatch(/^\w+$/);
      expect(alice.PhoneDeviceID).not.toBe(alice.SipDeviceID);
      expect(alice.CreatedAt).toMatch(ISO);
      // Decrypt exactly as Exotel's browser SDK does: 32 hex chars of IV, then AES-256-CFB ciphertext.
      const key = Buffer.from('6368616e676520746869732070617373776f726420746f206120736563726574', 'hex');
      const decipher = createDecipheriv('aes-256-cfb', key, Buffer.from(alice.SipSecret.slice(0, 32), 'hex'));
      const password = Buffer.concat([
        decipher.update(Buffer.from(alice.SipSecret.slice(32), 'hex')),
        decipher.final(),
      ]);
      expect(password.toString('utf8')).toMatch(/^[\w-]{16}$/);
      const fetched = await asApp('GET', '/usermapping?user_id=alice');
      expect(fetched.json.Data).toEqual(alice);
    });

    it.each([
      ['a non-array body', { AppUserId: 'x' }, /array/],
      ['an empty array', [], /at least one/],
      ['a missing field', [user('x', { VirtualNumber: undefined })], /VirtualNumber/],
      ['a non-string AgentNumber', [user('x', { AgentNumber: 5 })], /AgentNumber/],
      ['a duplicate in the batch', [user('x'), user('x')], /duplicate/],
    ])('POST /usermapping answers 400 for %s', async (_label, body, error) => {
      const reply = await asApp('POST', '/usermapping', body);
      expect(reply.status).toBe(400);
      expect(reply.json.Error).toMatch(error);
      expect((await asApp('GET', '/usermapping')).json.Data.Users).toEqual([]);
    });

    it('POST /usermapping answers 400 for an already mapped user', async () => {
      await asApp('POST', '/usermapping', [user('alice')]);
      const reply = await asApp('POST', '/usermapping', [user('alice')]);
      expect(reply.status).toBe(400);
      expect(reply.json.Error).toMatch(/duplicate/);
    });

    it('GET /usermapping?user_id= answers 404 for an unmapped user', async () => {
      const reply = await asApp('GET', '/usermapping?user_id=ghost');
      expect(reply.status).toBe(404);
      expect(reply.json.Error).toBe('User mapping not found for user_id');
    });

    it('GET /usermapping paginates by offset with a string LastEvaluatedValue', async () => {
      const ids = Array.from({ length: 25 }, (_, i) => `u${i}`);
      await asApp(
        'POST',
        '/usermapping',
        ids.map((id) => user(id)),
      );
      const first = await asApp('GET', '/usermapping');
      expect(first.json.Data.PageSize).toBe(20);
      expect(first.json.Data.Users).toHaveLength(20);
      expect(first.json.Data.LastEvaluatedValue).toBe('20');
      const second = await asApp(
        'GET',
        `/usermapping?last_value=${first.json.Data.LastEvaluatedValue}&page_size=10`,
      );
      expect(second.json.Data.Users.map((u: any) => u.AppUserId)).toEqual(ids.slice(20));
      expect(second.json.Data).toMatchObject({ PageSize: 10, LastEvaluatedValue: '25' });
      expect((await asApp('GET', '/usermapping?page_size=0')).status).toBe(400);
      expect((await asApp('GET', '/usermapping?last_value=abc')).status).toBe(400);
    });

    it('DELETE /usermapping removes every user', async () => {
      await asApp('POST', '/usermapping', [user('alice')]);
      const reply = await asApp('DELETE', '/usermapping');
      expect(reply.json.Data).toBe('Deleted Successfuly');
      expect((await asApp('GET', '/usermapping?user_id=alice')).status).toBe(404);
    });
  });

  describe('device and outbound call', () => {
    let alice: any;
    beforeEach(async () => {
      alice = (await asApp('POST', '/usermapping', [user('alice')])).json.Data[0];
    });

    it('PUT /device switches the active device on and off', async () => {
      const sip = await asApp('PUT', '/device', { UserId: 'alice', DeviceName: 'sip', DeviceStatus: true });
      expect(sip.json.Data.ActiveDeviceId).toBe(alice.SipDeviceID);
      const phone = await asApp('PUT', '/device', { UserId: 'alice', DeviceName: 'phone' });
      expect(phone.json.Data.ActiveDeviceId).toBe(alice.PhoneDeviceID);
      const sipOff = await asApp('PUT', '/device', {
        UserId: 'alice',
        DeviceName: 'sip',
        DeviceStatus: false,
      });
      expect(sipOff.json.Data.ActiveDeviceId).toBe(alice.PhoneDeviceID);
      const off = await asApp('PUT', '/device', {
        UserId: 'alice',
        DeviceName: 'phone',
        DeviceStatus: false,
      });
      expect(off.json.Data.ActiveDeviceId).toBe('');
      expect((await asApp('GET', '/usermapping?user_id=alice')).json.Data.ActiveDeviceId).toBe('');
    });

    it('PUT /device validates its body and answers 404 for an unmapped user', async () => {
      expect((await asApp('PUT', '/device', { DeviceName: 'sip' })).json.Error).toContain('UserId');
      expect((await asApp('PUT', '/device', { UserId: 'alice', DeviceName: 'fax' })).status).toBe(400);
      expect((await asApp('PUT', '/device', { UserId: 'alice', DeviceStatus: 'on' })).status).toBe(400);
      expect((await asApp('PUT', '/device', { UserId: 'alice' })).json.Error).toContain('DeviceName');
      expect((await asApp('PUT', '/device', { UserId: 'ghost', DeviceName: 'sip' })).status).toBe(404);
    });

    it('POST /call/outbound_call returns an active outbound call object', async () => {
      const body = {
        customer_id: customer.id,
        app_id: app.id,
        to: '+918888',
        user_id: 'alice',
        custom_field: 'c',
      };
      const reply = await asApp('POST', '/call/outbound_call', body);
      expect(reply.json.Data).toMatchObject({
        CustomerId: customer.id,
        AppId: app.id,
        AppUserID: 'alice',
        ToNumber: '+918888',
        DialWhomNumber: '+918888',
        FromNumber: alice.SipId,
        VirtualNumber: alice.VirtualNumber,
        Direction: 'outbound',
        CallState: 'active',
        CallStatus: '',
        AccountDomain: 'singapore',
        TotalDuration: 0,
        CallDetail: null,
      });
      expect(reply.json.Data.CallSid).toMatch(/^[0-9a-f]{32}$/);
      const { to: _to, ...missingTo } = body;
      expect((await asApp('POST', '/call/outbound_call', missingTo)).json.Error).toContain('to');
      expect((await asApp('POST', '/call/outbound_call', { ...body, user_id: 'ghost' })).status).toBe(404);
    });
  });
});
