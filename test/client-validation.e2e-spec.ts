import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  ExotelRequestError,
  ExotelWebrtcClient,
  type RegisterAppDto,
  type RegisterUserDto,
} from 'nestjs-exotel-webrtc';
import { createExotelApp, startFakeWorld, type FakeWorld } from './support/exotel-app.js';

const USER: RegisterUserDto = {
  AppUserId: 'u1',
  AppUsername: 'Asha Verma',
  Email: 'u1@example.test',
  ExotelAccountSid: 'fakesid01',
  ExotelUserName: 'Asha Verma',
  VirtualNumber: '+918000000001',
};

const APP: RegisterAppDto = {
  AppName: 'Sales',
  ExotelAccountSid: 'sales01',
  ExotelApiKey: 'key',
  ExotelApiToken: 'api-token-that-must-not-be-echoed',
  ExotelDomain: 'mumbai',
  IsActive: true,
};

describe('ExotelWebrtcClient input validation: a bad input is refused and nothing is sent', () => {
  let world: FakeWorld;
  let app: INestApplication;
  let client: ExotelWebrtcClient;

  beforeAll(async () => {
    world = await startFakeWorld();
    ({ app } = await createExotelApp({
      baseUrl: world.fake.baseUrl,
      customer: world.customer,
      app: world.app,
      logger: false,
    }));
    client = app.get(ExotelWebrtcClient);
  });

  afterAll(async () => {
    await app.close();
    await world.fake.stop();
  });

  /** Runs `call`, expects ExotelRequestError naming `problem`, and checks no downstream request was made. */
  async function refused(call: () => Promise<unknown>, problem: RegExp): Promise<ExotelRequestError> {
    const before = world.fake.requests.length;
    const error = (await call().catch((e: unknown) => e)) as ExotelRequestError;
    expect(error).toBeInstanceOf(ExotelRequestError);
    expect(error.problems?.some((p) => problem.test(p))).toBe(true);
    expect(error.message).toMatch(/nothing was sent/);
    expect(world.fake.requests.length).toBe(before);
    return error;
  }

  it.each([
    'AppUserId',
    'AppUsername',
    'Email',
    'ExotelAccountSid',
    'ExotelUserName',
    'VirtualNumber',
  ] as const)('users.register: %s is required', async (field) => {
    const { [field]: _dropped, ...rest } = USER;
    await refused(
      () => client.users.register([USER, rest as RegisterUserDto]),
      new RegExp(`^\\[1\\]\\.${field}: is required`),
    );
    await refused(
      () => client.users.register([{ ...USER, [field]: '' }]),
      new RegExp(`^\\[0\\]\\.${field}:`),
    );
  });

  it('users.register: AgentNumber is optional but must be a string', async () => {
    await refused(
      () => client.users.register([{ ...USER, AgentNumber: 42 as unknown as string }]),
      /^\[0\]\.AgentNumber: must be a string/,
    );
  });

  it.each([
    ['an object', USER],
    ['an empty array', []],
    ['null', null],
  ])('users.register: a body that is %s is refused', async (_name, body) => {
    await refused(() => client.users.register(body as RegisterUserDto[]), /^body: must be a non-empty array/);
  });

  it('users.register: an element that is not an object is refused', async () => {
    await refused(
      () => client.users.register([USER, 'u2' as unknown as RegisterUserDto]),
      /^\[1\]: must be an object/,
    );
  });

  it.each(['Mumbai', 'delhi', '', 7])('apps.register: ExotelDomain %p is refused', async (domain) => {
    const error = await refused(
      () => client.apps.register({ ...APP, ExotelDomain: domain as 'mumbai' }),
      /^ExotelDomain: must be 'mumbai' or 'singapore'/,
    );
    expect(JSON.stringify(error) + error.message).not.toContain(APP.ExotelApiToken);
  });

  it('apps.register: every missing field is listed at once', async () => {
    const error = await refused(() => client.apps.register({} as RegisterAppDto), /^AppName:/);
    expect(error.problems?.map((p) => p.split(':')[0]).sort()).toEqual(
      ['AppName', 'ExotelAccountSid', 'ExotelApiKey', 'ExotelApiToken', 'ExotelDomain', 'IsActive'].sort(),
    );
  });

  it('apps.register: IsActive must be a boolean', async () => {
    await refused(
      () => client.apps.register({ ...APP, IsActive: 'yes' as unknown as boolean }),
      /^IsActive: must be a boolean/,
    );
  });

  it('settings.add: Key and Value are required', async () => {
    await refused(() => client.settings.add({ Key: 'record' } as never), /^Value:/);
    await refused(() => client.settings.add({ Key: '', Value: 'x' }), /^Key:/);
  });

  it('settings.get and users.get need a non-empty argument', async () => {
    await refused(() => client.settings.get(''), /^key:/);
    await refused(() => client.users.get(undefined as unknown as string), /^appUserId:/);
  });

  it('users.list: lastValue and pageSize must be sane', async () => {
    await refused(() => client.users.list({ lastValue: 'abc' }), /^lastValue:/);
    await refused(() => client.users.list({ lastValue: -1 }), /^lastValue:/);
    await refused(() => client.users.list({ pageSize: 0 }), /^pageSize:/);
  });

  it('device.update: DeviceName is required to turn a device on, and must be phone or sip', async () => {
    await refused(() => client.device.update({ UserId: 'u1' }), /^DeviceName:/);
    await refused(() => client.device.update({ UserId: 'u1', DeviceName: 'desk' as 'sip' }), /^DeviceName:/);
    await refused(() => client.device.update({ UserId: '', DeviceName: 'sip' }), /^UserId:/);
  });

  it('calls.outbound: to and user_id are required', async () => {
    await refused(() => client.calls.outbound({ to: '', user_id: 'u1' }), /^to:/);
    await refused(() => client.calls.outbound({ to: '+919900000000' } as never), /^user_id:/);
  });

  it('fields that are not part of the documented body are not sent', async () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x"}') as object;
    await client.users.register([{ ...USER, Secret: 'do-not-send', ...hostile } as RegisterUserDto]);
    const sent = world.fake.requestsTo('POST /usermapping').at(-1);
    expect(Object.keys((sent?.body as object[])[0]).sort()).toEqual(Object.keys(USER).sort());
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
