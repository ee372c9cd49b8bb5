import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  ExotelHttpService,
  ExotelRequestError,
  ExotelWebrtcClient,
  type ExotelCall,
  type RegisterUserDto,
} from 'nestjs-exotel-webrtc';
import { EchoServer } from './support/echo-server.js';
import { createExotelApp, startFakeWorld, worldOptions, type FakeWorld } from './support/exotel-app.js';

const USER: RegisterUserDto = {
  AppUserId: 'u1',
  AppUsername: 'Asha Verma',
  Email: 'u1@example.test',
  ExotelAccountSid: 'fakesid01',
  ExotelUserName: 'Asha Verma',
  VirtualNumber: '+918000000001',
};
const LONE_HIGH = 'u\uD800x';
const LONE_LOW = '\uDC00';

describe('client inputs that cannot be sent are refused, and nothing is sent', () => {
  let world: FakeWorld;
  let echo: EchoServer;
  let app: INestApplication;
  let client: ExotelWebrtcClient;
  let http: ExotelHttpService;

  beforeAll(async () => {
    world = await startFakeWorld();
    echo = await new EchoServer().start();
    ({ app } = await createExotelApp(worldOptions(world)));
    client = app.get(ExotelWebrtcClient);
    http = app.get(ExotelHttpService);
  });

  afterAll(async () => {
    await app.close();
    await echo.stop();
    await world.fake.stop();
  });

  /** Runs `call`, expects ExotelRequestError naming `problem`, and checks no request went anywhere. */
  async function refused(call: () => Promise<unknown>, problem: RegExp): Promise<ExotelRequestError> {
    const before = world.fake.requests.length;
    const error = (await call().catch((e: unknown) => e)) as ExotelRequestError;
    expect(error).toBeInstanceOf(ExotelRequestError);
    expect(error.message).toMatch(/nothing was sent/);
    expect(error.problems?.some((p) => problem.test(p))).toBe(true);
    expect(world.fake.requests.length).toBe(before);
    expect(echo.received).toHaveLength(0);
    return error;
  }

  describe('text that cannot be encoded (lone surrogates)', () => {
    it.each([LONE_HIGH, LONE_LOW])(
      'in a DTO field, an id argument and a request() call (%#)',
      async (bad) => {
        await refused(
          () => client.users.register([{ ...USER, AppUserId: bad }]),
          /^\[0\]\.AppUserId: .*Unicode/,
        );
        await refused(
          () => client.users.register([{ ...USER, AgentNumber: bad }]),
          /^\[0\]\.AgentNumber: .*Unicode/,
        );
        await refused(() => client.device.update({ UserId: bad, DeviceName: 'sip' }), /^UserId: .*Unicode/);
        await refused(() => client.users.get(bad), /^appUserId: .*Unicode/);
        await refused(() => client.settings.get(bad), /^key: .*Unicode/);
        await refused(
          () => client.request({ method: 'GET', path: '/app', entity: 'app', params: { q: bad } }),
          /^params\.q:/,
        );
        await refused(
          () => client.request({ method: 'POST', path: '/app', entity: 'customer', body: { n: [bad] } }),
          /^body: .*Unicode/,
        );
        await refused(
          () => client.request({ method: 'POST', path: '/app', entity: 'customer', body: { [bad]: 1 } }),
          /^body: .*Unicode/,
        );
        await refused(
          () => client.request({ method: 'GET', path: `/app/${bad}`, entity: 'app' }),
          /^path: .*Unicode/,
        );
      },
    );

    it('a well-formed pair (an emoji) is sent', async () => {
      const before = world.fake.requestsTo('POST /app_setting').length;
      await client.settings.add({ Key: 'greeting', Value: 'hi \u{1F600}' });
      expect(world.fake.requestsTo('POST /app_setting')).toHaveLength(before + 1);
    });
  });

  describe('inputs whose getters or Proxy traps throw', () => {
    const boom = (): never => {
      throw new Error('getter exploded');
    };

    it('a throwing getter in a DTO input', async () => {
      const user = { ...USER };
      Object.defineProperty(user, 'Email', { get: boom, enumerable: true });
      const error = await refused(() => client.users.register([user]), /^\[0\]: could not be read/);
      expect(error.message).not.toContain('exploded');
      const device = Object.defineProperty({}, 'UserId', { get: boom, enumerable: true });
      await refused(() => client.device.update(device as never), /^body: could not be read/);
    });

    it('Proxies whose traps throw, and a revoked Proxy', async () => {
      const trapped = new Proxy({ ...USER }, { ownKeys: boom });
      await refused(() => client.users.register([trapped]), /^\[0\]: could not be read/);
      const list = new Proxy([USER], { get: boom });
      await refused(() => client.users.register(list), /^body: could not be read/);
      const { proxy, revoke } = Proxy.revocable({ ...USER }, {});
      revoke();
      await refused(() => client.users.register([proxy]), /^\[0\]: could not be read/);
      await refused(() => client.users.list(proxy as never), /^body: could not be read/);
    });

    it('a Proxy that does not throw is read once: what was checked is what is sent', async () => {
      let reads = 0;
      const shifty = new Proxy(
        { Key: 'shifty', Value: 'v' },
        { get: (target, key) => (key === 'Key' && reads++ > 0 ? '' : Reflect.get(target, key)) },
      );
      await client.settings.add(shifty);
      expect(reads).toBe(1);
      const sent = world.fake.requestsTo('POST /app_setting').at(-1);
      expect(sent?.body).toEqual({ Key: 'shifty', Value: 'v' });
    });

    it('request(): a throwing call object, body getter, toJSON, a BigInt or a cycle', async () => {
      const call = Object.defineProperty({ method: 'GET', entity: 'app' }, 'path', {
        get: boom,
        enumerable: true,
      });
      await refused(() => client.request(call as ExotelCall), /^call: could not be read/);
      const base = { method: 'POST', path: '/app', entity: 'customer' } as const;
      const getter = Object.defineProperty({}, 'x', { get: boom, enumerable: true });
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      for (const body of [getter, { toJSON: boom }, { n: 1n }, cycle, new Proxy({}, { ownKeys: boom })])
        await refused(() => client.request({ ...base, body }), /^body: could not be serialised/);
    });
  });

  describe('ids over a sane length', () => {
    const long = 'x'.repeat(257);

    it('are refused in DTOs and as query ids; 256 characters still go out', async () => {
      await refused(
        () => client.users.register([{ ...USER, AppUserId: long }]),
        /^\[0\]\.AppUserId: must be at most 256/,
      );
      await refused(
        () => client.calls.outbound({ to: '+91', user_id: long }),
        /^user_id: must be at most 256/,
      );
      await refused(() => client.users.get(long), /^appUserId: must be at most 256/);
      await refused(() => client.settings.get(long), /^key: must be at most 256/);
      const before = world.fake.requestsTo('GET /usermapping').length;
      await client.users.get('y'.repeat(256)).catch(() => undefined);
      expect(world.fake.requestsTo('GET /usermapping')).toHaveLength(before + 1);
    });
  });

  describe('client.request() sends only to paths under baseUrl', () => {
    it.each([
      ['an absolute URL to another origin', () => `${echo.origin}/steal`],
      ['an absolute URL to baseUrl itself', () => `${world.fake.baseUrl}/app`],
      ['a protocol-relative URL', () => `//${new URL(echo.origin).host}/steal`],
      ['a backslash URL', () => `/\\${new URL(echo.origin).host}/steal`],
      ['a path without a leading slash', () => 'app'],
      ['a path with a line break', () => '/app\r\nX-Injected: 1'],
    ])('refuses %s', async (_why, path) => {
      await refused(() => client.request({ method: 'GET', path: path(), entity: 'app' }), /^path: /);
    });

    it('refuses a method or entity that is not one of the documented ones', async () => {
      await refused(
        () => client.request({ method: 'TRACE', path: '/app', entity: 'app' } as never),
        /^method: /,
      );
      await refused(
        () => client.request({ method: 'GET', path: '/app', entity: 'root' } as never),
        /^entity: /,
      );
    });

    it('still sends a relative path, with the token', async () => {
      const reply = await client.request<{ AppID: string }>({ method: 'GET', path: '/app', entity: 'app' });
      expect(reply.data.AppID).toBe(world.app.id);
    });
  });

  describe('the token rule reads normalised paths: no spelling of /token gets a token', () => {
    it.each([
      '/TOKEN',
      '/Token/',
      '/token%2f',
      '/token%2F',
      '/token%252f',
      '/.//token',
      '/token;x=1',
      '/x/..%2ftoken',
      '/token/sub',
    ])('GET %s (through ExotelHttpService and client.request())', async (path) => {
      const before = world.fake.requests.length;
      await http.axiosRef.get(path, { validateStatus: () => true });
      await client.request({ method: 'POST', path, entity: 'app', body: {} }).catch(() => undefined);
      const sent = world.fake.requests.slice(before);
      expect(sent).toHaveLength(2);
      expect(sent.map((r) => r.headers.authorization)).toEqual([undefined, undefined]);
    });

    it('the customer rule sees normalised paths too', async () => {
      const before = world.fake.requests.length;
      await http.axiosRef.post('/CUSTOMER/', {}, { validateStatus: () => true });
      expect(world.fake.requests.slice(before).map((r) => r.headers.authorization)).toEqual([undefined]);
    });
  });
});
