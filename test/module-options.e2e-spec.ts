import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  ExotelConfigError,
  ExotelWebrtcModule,
  type ExotelWebrtcModuleOptions,
  type ExotelWebrtcOptionsFactory,
  fromEnv,
  type ResolvedExotelOptions,
  TokenService,
} from 'nestjs-exotel-webrtc';
// The raw options token is internal: the test checks what the module was given, before validation.
import { EXOTEL_WEBRTC_MODULE_OPTIONS } from '../lib/exotel-webrtc.module-definition.js';
import { startFakeWorld, type FakeWorld } from './support/exotel-app.js';

/** The async-options matrix, after @nestjs/axios's module tests. */
describe('ExotelWebrtcModule options', () => {
  let world: FakeWorld;
  let app: INestApplication | undefined;
  const options = (): ExotelWebrtcModuleOptions => ({
    baseUrl: world.fake.baseUrl,
    customer: world.customer,
    app: world.app,
    logger: false,
  });

  beforeAll(async () => {
    world = await startFakeWorld();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => world.fake.stop());

  async function boot(imports: any[]): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  async function expectWorking(a: INestApplication): Promise<void> {
    const token = await a.get(TokenService).getToken('customer');
    expect(world.fake.isTokenValid(token)).toBe(true);
  }

  it('forRoot', async () => {
    await expectWorking(await boot([ExotelWebrtcModule.forRoot(options())]));
  });

  it('forRootAsync with useFactory + ConfigModule/ConfigService and fromEnv', async () => {
    const env = {
      EXOTEL_WEBRTC_BASE_URL: world.fake.baseUrl,
      EXOTEL_CUSTOMER_ID: world.customer.id,
      EXOTEL_CUSTOMER_SECRET: world.customer.secret,
      EXOTEL_APP_ID: world.app.id,
      EXOTEL_APP_SECRET: world.app.secret,
    };
    const a = await boot([
      ExotelWebrtcModule.forRootAsync({
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => env] })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) =>
          fromEnv(
            {
              EXOTEL_WEBRTC_BASE_URL: config.get('EXOTEL_WEBRTC_BASE_URL'),
              EXOTEL_CUSTOMER_ID: config.get('EXOTEL_CUSTOMER_ID'),
              EXOTEL_CUSTOMER_SECRET: config.get('EXOTEL_CUSTOMER_SECRET'),
              EXOTEL_APP_ID: config.get('EXOTEL_APP_ID'),
              EXOTEL_APP_SECRET: config.get('EXOTEL_APP_SECRET'),
            },
            { logger: false },
          ),
      }),
    ]);
    await expectWorking(a);
    expect(world.fake.isTokenValid(await a.get(TokenService).getToken('app'))).toBe(true);
  });

  it('forRootAsync with useClass', async () => {
    @Injectable()
    class OptionsFactory implements ExotelWebrtcOptionsFactory {
      createExotelWebrtcOptions(): ExotelWebrtcModuleOptions {
        return options();
      }
    }
    await expectWorking(await boot([ExotelWebrtcModule.forRootAsync({ useClass: OptionsFactory })]));
  });

  it('forRootAsync with useExisting', async () => {
    @Injectable()
    class OptionsFactory implements ExotelWebrtcOptionsFactory {
      async createExotelWebrtcOptions(): Promise<ExotelWebrtcModuleOptions> {
        return options();
      }
    }
    @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
    class FactoryModule {}
    await expectWorking(
      await boot([
        ExotelWebrtcModule.forRootAsync({ imports: [FactoryModule], useExisting: OptionsFactory }),
      ]),
    );
  });

  it('isGlobal makes TokenService injectable in a sibling module and stays out of the options value', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly tokens: TokenService) {}
    }
    @Module({ providers: [Consumer] })
    class SiblingModule {}
    const a = await boot([
      ExotelWebrtcModule.forRootAsync({ useFactory: () => options(), isGlobal: true }),
      SiblingModule,
    ]);
    const consumer = a.get(Consumer);
    expect(consumer.tokens).toBeInstanceOf(TokenService);
    await expectWorking(a);
    const raw = a.get<ExotelWebrtcModuleOptions & Record<string, unknown>>(EXOTEL_WEBRTC_MODULE_OPTIONS);
    expect(raw).not.toHaveProperty('isGlobal');
  });

  it('without isGlobal a sibling module cannot inject TokenService', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly tokens: TokenService) {}
    }
    @Module({ providers: [Consumer] })
    class SiblingModule {}
    await expect(
      Test.createTestingModule({ imports: [ExotelWebrtcModule.forRoot(options()), SiblingModule] }).compile(),
    ).rejects.toThrow(/TokenService/);
  });

  it('forRoot with isGlobal keeps isGlobal out of the options value', async () => {
    const a = await boot([ExotelWebrtcModule.forRoot({ ...options(), isGlobal: true })]);
    expect(a.get(EXOTEL_WEBRTC_MODULE_OPTIONS)).not.toHaveProperty('isGlobal');
    expect(a.get<ResolvedExotelOptions>(EXOTEL_WEBRTC_RESOLVED_OPTIONS).baseUrl).toBe(world.fake.baseUrl);
  });

  it('bad options fail bootstrap with one ExotelConfigError listing every field', async () => {
    const moduleRef = Test.createTestingModule({
      imports: [
        ExotelWebrtcModule.forRootAsync({
          useFactory: () => ({
            baseUrl: 'ftp://x',
            customer: { id: '', secret: 'hush-hush-secret' },
            tokenTtlMs: -1,
          }),
        }),
      ],
    });
    const error = (await moduleRef.compile().catch((e: unknown) => e)) as ExotelConfigError;
    expect(error).toBeInstanceOf(ExotelConfigError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^baseUrl: /),
        'customer.id: must be a non-empty string',
        expect.stringMatching(/^tokenTtlMs: /),
      ]),
    );
    expect(error.message).not.toContain('hush-hush-secret');
  });
});
