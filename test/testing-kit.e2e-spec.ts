import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Body, Controller, Get, Injectable, Module, Param, Post } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import {
  ExotelExceptionFilter,
  ExotelWebrtcClient,
  ExotelWebrtcModule,
  fromEnv,
  type RegisterUserDto,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { bootWithFakeExotel, type ExotelTestingApp } from 'nestjs-exotel-webrtc/testing';

// A host app as a team writes it: options from ConfigService (no Exotel env in the test), the library's
// filter registered globally, a controller calling Exotel through the typed client.
@Injectable()
class UsersService {
  constructor(private readonly exotel: ExotelWebrtcClient) {}
  get(id: string) {
    return this.exotel.users.get(id);
  }
  register(user: RegisterUserDto) {
    return this.exotel.users.register([user]);
  }
}

@Controller('users')
class UsersController {
  constructor(private readonly users: UsersService) {}
  @Get(':id')
  get(@Param('id') id: string) {
    return this.users.get(id);
  }
  @Post()
  register(@Body() user: RegisterUserDto) {
    return this.users.register(user);
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: true }),
    ExotelWebrtcModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        fromEnv({
          EXOTEL_CUSTOMER_ID: config.get('EXOTEL_CUSTOMER_ID'),
          EXOTEL_CUSTOMER_SECRET: config.get('EXOTEL_CUSTOMER_SECRET'),
        }),
      isGlobal: true,
    }),
  ],
  controllers: [UsersController],
  providers: [UsersService, { provide: APP_FILTER, useClass: ExotelExceptionFilter }],
})
class AppModule {}

const DAY = 24 * 60 * 60 * 1000;

describe('bootWithFakeExotel: the host AppModule against a FakeExotelServer', () => {
  let exotel: ExotelTestingApp | undefined;
  afterEach(async () => {
    await exotel?.close();
    exotel = undefined;
  });

  it('boots an AppModule whose own configuration has no Exotel credentials', async () => {
    exotel = await bootWithFakeExotel(AppModule, { apps: ['default', 'support'] });
    const token = await exotel.app.get(TokenService).getToken('app', 'support');
    expect(exotel.fake.isTokenValid(token)).toBe(true);
    expect(exotel.fake.mintCount(exotel.credentials.apps.support!.id)).toBe(1);
    expect(exotel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('moves through a token life with Jest fake timers: the day-54 refresh mints once more', async () => {
    exotel = await bootWithFakeExotel(AppModule, { timers: jest, now: Date.UTC(2026, 0, 1) });
    const appId = exotel.credentials.apps.default!.id;
    await exotel.tokens.getToken('app');
    await exotel.advanceDays(53);
    expect(exotel.fake.mintCount(appId)).toBe(1);
    await exotel.advanceDays(2);
    expect(exotel.fake.mintCount(appId)).toBe(2);
    expect(Date.now()).toBe(Date.UTC(2026, 0, 1) + 55 * DAY);
    expect(exotel.tokens.statusOf('app')?.state).toBe('fresh');
  });

  it('refuses to move time without timers, saying how to pass them', async () => {
    exotel = await bootWithFakeExotel(AppModule, { listen: false });
    expect(exotel.url).toBe('');
    await expect(exotel.advanceDays(1)).rejects.toThrow('pass { timers: jest } or { timers: vi }');
  });

  it('stops the fake when the app fails to boot, and reports the boot error', async () => {
    await expect(
      bootWithFakeExotel(AppModule, {
        options: { refreshAtRatio: 7 },
        timers: jest,
        now: Date.UTC(2000, 0, 1),
      }),
    ).rejects.toThrow(/refreshAtRatio/);
    expect(Date.now()).toBeGreaterThan(Date.UTC(2020, 0, 1)); // real timers again
  });

  it('settles a lazy app at rest instead of waiting for a mint nobody started', async () => {
    exotel = await bootWithFakeExotel(AppModule, { options: { eager: false }, timers: jest, logger: false });
    const appId = exotel.credentials.apps.default!.id;
    await exotel.settle();
    await exotel.advanceDays(1);
    expect(exotel.fake.mintCount(appId)).toBe(0);
    await exotel.tokens.getToken('app');
    expect(exotel.fake.mintCount(appId)).toBe(1);
  });

  it('stops the fake and restores real timers even when closing the app throws', async () => {
    const booted = await bootWithFakeExotel(AppModule, { timers: jest, now: Date.UTC(2000, 0, 1) });
    // Nest logs a failing lifecycle hook and goes on; a failing adapter or transport rejects close().
    const closeApp = booted.app.close.bind(booted.app);
    booted.app.close = async () => {
      await closeApp();
      throw new Error('transport failed to close');
    };
    await expect(booted.close()).rejects.toThrow('transport failed to close');
    expect(Date.now()).toBeGreaterThan(Date.UTC(2020, 0, 1)); // real timers again
    await expect(fetch(`${booted.fake.baseUrl}/`)).rejects.toThrow(); // nothing listens any more
  });
});

describe('ExotelExceptionFilter over real HTTP', () => {
  let exotel: ExotelTestingApp;
  afterEach(async () => {
    await exotel?.close();
  });

  it('answers an Exotel 404 with 404 and the RequestId, never a stack', async () => {
    exotel = await bootWithFakeExotel(AppModule);
    const res = await fetch(`${exotel.url}/users/nobody@example.com`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'ExotelNotFoundError', exotelStatus: 404 });
    expect(typeof body.requestId).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('answers Exotel being down with 503 and its Retry-After', async () => {
    exotel = await bootWithFakeExotel(AppModule);
    exotel.fake.fault('GET /usermapping', { status: 503, retryAfter: 120 });
    const res = await fetch(`${exotel.url}/users/someone@example.com`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await res.json()).toMatchObject({ statusCode: 503, error: 'ExotelUnavailableError' });
  });

  it('answers an input the library refused with 400 and its problems, sending nothing', async () => {
    exotel = await bootWithFakeExotel(AppModule);
    const res = await fetch(`${exotel.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AppUserId: '' }),
    });
    const body = (await res.json()) as { problems?: string[]; requestId: unknown };
    expect(res.status).toBe(400);
    expect(body.problems?.length).toBeGreaterThan(0);
    expect(body.requestId).toBeNull();
    expect(exotel.fake.requestsTo('POST /usermapping')).toHaveLength(0);
  });

  it("answers a refused server credential with 502 that says it is the server's, not the caller's", async () => {
    exotel = await bootWithFakeExotel(AppModule, { logger: false });
    exotel.fake.fault('POST /token', { status: 401 }, Infinity);
    exotel.fake.revokeTokens(); // the token minted at boot is refused, and so is the re-mint
    const res = await fetch(`${exotel.url}/users/someone@example.com`);
    const body = (await res.json()) as { message: string };
    expect(res.status).toBe(502);
    expect(body.message).toMatch(/^Exotel refused this server's own app 'default' credentials/);
  });
});
