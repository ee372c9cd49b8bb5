import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import axios from 'axios';
import { ExotelAuthInterceptor, ExotelHttpService, ExotelWebrtcModule } from 'nestjs-exotel-webrtc';
import { EchoServer } from './support/echo-server.js';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';

@Injectable()
class HostCaller {
  constructor(@Inject(HttpService) readonly http: HttpService) {}
}

/** A host feature module with its own `HttpModule.register()`, as a customer's app would have. */
@Module({ imports: [HttpModule.register({})], providers: [HostCaller], exports: [HostCaller] })
class HostFeatureModule {}

describe('ExotelAuthInterceptor: the token goes nowhere but baseUrl', () => {
  let world: FakeWorld;
  let echo: EchoServer;
  let app: INestApplication;
  let http: ExotelHttpService;

  beforeEach(async () => {
    world = await startFakeWorld();
    echo = await new EchoServer().start();
    const moduleRef = await Test.createTestingModule({
      imports: [
        ExotelWebrtcModule.forRoot({
          baseUrl: world.fake.baseUrl,
          customer: world.customer,
          app: world.app,
          logger: false,
        }),
        HostFeatureModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    http = app.get(ExotelHttpService);
  });

  afterEach(async () => {
    await app.close();
    await echo.stop();
    await world.fake.stop();
  });

  const fakeSawAuthorization = (path: string): boolean =>
    world.fake.requests.some((r) => r.path === path && r.headers.authorization !== undefined);

  it('sends no token to an absolute URL on another loopback origin', async () => {
    const reply = await http.axiosRef.get(`${echo.origin}/v2/integrations/customer`);
    expect(reply.data).toEqual({ ok: true });
    expect(echo.received).toHaveLength(1);
    expect(echo.sawAuthorization).toBe(false);
  });

  it("sends no token to baseUrl's origin outside its base path", async () => {
    const reply = await http.axiosRef.get(`${world.fake.origin}/elsewhere`, { validateStatus: () => true });
    expect(reply.status).toBe(404);
    expect(world.fake.requests.some((r) => r.path === '/elsewhere')).toBe(true);
    expect(fakeSawAuthorization('/elsewhere')).toBe(false);
  });

  // The module's own requests follow no redirect; a caller may opt in per request, and then the
  // token still never crosses to another origin or out of the base path.
  it('does not carry the token across a 302 to another origin', async () => {
    world.fake.redirectTo('GET /app', `${echo.origin}/landing`);
    const reply = await http.axiosRef.get('/app', { maxRedirects: 5 });
    expect(reply.data).toEqual({ ok: true });
    expect(fakeSawAuthorization('/app')).toBe(true);
    expect(echo.received.map((r) => r.path)).toEqual(['/landing']);
    expect(echo.sawAuthorization).toBe(false);
  });

  it('does not carry the token across a same-origin 302 out of the base path', async () => {
    world.fake.redirectTo('GET /app', `${world.fake.origin}/elsewhere`);
    const reply = await http.axiosRef.get('/app', { maxRedirects: 5, validateStatus: () => true });
    expect(reply.status).toBe(404);
    expect(fakeSawAuthorization('/app')).toBe(true);
    expect(fakeSawAuthorization('/elsewhere')).toBe(false);
  });

  it('keeps the global axios instance clean unless attach() is called, and after eject', async () => {
    const call = () => axios.get(`${world.fake.baseUrl}/customer`, { validateStatus: () => true });
    expect((await call()).status).toBe(401);
    const eject = app.get(ExotelAuthInterceptor).attach(axios);
    try {
      expect((await call()).status).toBe(200);
    } finally {
      eject();
    }
    expect((await call()).status).toBe(401);
    expect(world.fake.requestsTo('GET /customer').map((r) => r.headers.authorization !== undefined)).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("keeps a host module's own HttpModule.register() HttpService clean unless attached", async () => {
    const host = app.get(HostCaller).http;
    expect(host.axiosRef).not.toBe(http.axiosRef);
    const call = () => host.axiosRef.get(`${world.fake.baseUrl}/app`, { validateStatus: () => true });
    expect((await call()).status).toBe(401);
    const interceptor = app.get(ExotelAuthInterceptor);
    const eject = interceptor.attach(host);
    expect(interceptor.attach(host)).toBe(eject); // attaching twice attaches once
    expect((await call()).status).toBe(200);
    // Still nothing for other origins through the host instance.
    await host.axiosRef.get(`${echo.origin}/x`);
    expect(echo.sawAuthorization).toBe(false);
    eject();
    expect((await call()).status).toBe(401);
  });

  it('ejects host attachments when the module is destroyed', async () => {
    const host = app.get(HostCaller).http;
    app.get(ExotelAuthInterceptor).attach(host);
    expect(
      (await host.axiosRef.get(`${world.fake.baseUrl}/app`, { validateStatus: () => true })).status,
    ).toBe(200);
    await app.close();
    expect(
      (await host.axiosRef.get(`${world.fake.baseUrl}/app`, { validateStatus: () => true })).status,
    ).toBe(401);
  });
});
