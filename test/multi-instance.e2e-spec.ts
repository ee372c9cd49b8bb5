import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ExotelHttpService,
  ExotelWebrtcClient,
  ExotelWebrtcModule,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { createHash } from 'node:crypto';

/** Two module instances (two accounts, two hosts) in one process must not share anything. */
describe('separate module instances', () => {
  let one: FakeExotelServer;
  let two: FakeExotelServer;
  beforeAll(async () => {
    one = await new FakeExotelServer().start();
    two = await new FakeExotelServer().start();
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
  });

  it('two forRoot instances in one app keep their own axios instance, baseUrl and tokens', async () => {
    const c1 = one.addCustomer({ name: 'First Customer' });
    const c2 = two.addCustomer({ name: 'Second Customer' });
    @Injectable()
    class Uses {
      constructor(
        readonly client: ExotelWebrtcClient,
        readonly http: ExotelHttpService,
        readonly tokens: TokenService,
      ) {}
    }
    @Injectable()
    class UsesFirst extends Uses {}
    @Injectable()
    class UsesSecond extends Uses {}
    @Module({
      imports: [ExotelWebrtcModule.forRoot({ baseUrl: one.baseUrl, customer: c1, logger: false })],
      providers: [UsesFirst],
    })
    class First {}
    @Module({
      imports: [ExotelWebrtcModule.forRoot({ baseUrl: two.baseUrl, customer: c2, logger: false })],
      providers: [UsesSecond],
    })
    class Second {}
    const moduleRef = await Test.createTestingModule({ imports: [First, Second] }).compile();
    const app: INestApplication = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const a = app.get(UsesFirst);
    const b = app.get(UsesSecond);
    const first = a.client;
    const second = b.client;
    expect(first).not.toBe(second);
    expect(a.http.axiosRef).not.toBe(b.http.axiosRef);
    expect((await first.customer.get()).CustomerName).toBe('First Customer');
    expect((await second.customer.get()).CustomerName).toBe('Second Customer');
    const t1 = await a.tokens.getToken('customer');
    expect(
      one.requestsTo('GET /customer').every((r) => r.headers.authorization === `<fingerprint:${fp(t1)}>`),
    ).toBe(true);
    expect(two.requestsTo('GET /customer')).toHaveLength(1);
    await app.close();
  });
});

/** The fake masks Authorization as the first 8 hex chars of the token's SHA-256. */
function fp(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}
