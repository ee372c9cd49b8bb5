import type { INestApplication, LoggerService, LogLevel, Type } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { EXOTEL_WEBRTC_MODULE_OPTIONS } from '../../exotel-webrtc.module-definition.js';
import {
  type ExotelCredentials,
  type ExotelWebrtcModuleOptions,
  exotelCredentials,
  TokenService,
} from '../../index.js';
import { FakeExotelServer, type FakeExotelServerOptions } from '../server/exotel-server.js';
import { ExotelTestClock, type FakeTimersApi, untilIdle } from './test-clock.js';

/** Options of `bootWithFakeExotel`. */
export interface BootWithFakeExotelOptions {
  /** App names registered on the fake and managed by the module. Default `['default']`. */
  apps?: string[];
  /**
   * Module options merged over the ones pointing at the fake (a store, refresh timing, `eager`...).
   * `baseUrl`, `customer` and `apps` come from the fake unless given here.
   */
  options?: Partial<ExotelWebrtcModuleOptions>;
  /** Options of the FakeExotelServer started for the test. */
  fake?: FakeExotelServerOptions;
  /**
   * Jest's `jest` or Vitest's `vi`. Given, fake timers and `Date` are installed before the app boots (I/O
   * stays real), so `advanceDays()` can move through a token's life. They replace fake timers the test
   * installed before; `close()` restores real ones.
   */
  timers?: FakeTimersApi;
  /** Start of fake time when `timers` is given. Default: the real now. */
  now?: Date | number;
  /** Further overrides on the testing module (`overrideProvider(...)`, `overrideModule(...)`). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Listen on 127.0.0.1 (an ephemeral port), so `url` can be fetched. Default `true`. */
  listen?: boolean;
  /** The Nest application's logger (`false` for none). Default: Nest's own. */
  logger?: LoggerService | LogLevel[] | false;
}

/** A host app booted against a FakeExotelServer. */
export interface ExotelTestingApp {
  /** The initialised Nest application. */
  app: INestApplication;
  /** The fake Exotel server the module talks to: inspect requests, mints, script faults. */
  fake: FakeExotelServer;
  /** The module's TokenService. */
  tokens: TokenService;
  /** `http://127.0.0.1:<port>` of the app (empty when `listen: false`). */
  url: string;
  /** The credentials registered on the fake: the customer, and each app by name. */
  credentials: { customer: ExotelCredentials; apps: Record<string, ExotelCredentials> };
  /** The fake clock (only with `timers`). */
  clock: ExotelTestClock | undefined;
  /** Moves fake time forward by whole days, letting every refresh on the way finish. Needs `timers`. */
  advanceDays(days: number): Promise<void>;
  /** Moves fake time forward by `ms`, as `advanceDays`. Needs `timers`. */
  advance(ms: number): Promise<void>;
  /** Waits until no mint is in flight (real I/O, fake time standing still). */
  settle(): Promise<void>;
  /** Closes the app, stops the fake and restores real timers. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots the host's real root module (e.g. `AppModule`) with the Exotel module's options replaced by ones
 * that point at a new FakeExotelServer, with a customer and apps registered there. Nothing in the host's
 * configuration (env, ConfigService) needs Exotel credentials for the test.
 *
 * ```ts
 * const exotel = await bootWithFakeExotel(AppModule, { timers: vi });
 * await exotel.advanceDays(54);
 * expect(exotel.fake.mintCount(exotel.credentials.apps.default.id)).toBe(2);
 * await exotel.close();
 * ```
 */
export async function bootWithFakeExotel(
  rootModule: Type<unknown>,
  options: BootWithFakeExotelOptions = {},
): Promise<ExotelTestingApp> {
  const fake = await new FakeExotelServer(options.fake).start();
  let clock: ExotelTestClock | undefined;
  let app: INestApplication | undefined;
  // Each step runs even when one before it throws: a leaked fake or fake clock would break later tests.
  const close = once(async () => {
    try {
      await app?.close();
    } finally {
      try {
        await fake.stop();
      } finally {
        clock?.uninstall();
      }
    }
  });
  try {
    const added = fake.addCustomer();
    const customer = exotelCredentials(added.id, added.secret);
    const apps = Object.fromEntries(
      (options.apps ?? ['default']).map((name) => {
        const app = fake.addApp(added.id);
        return [name, exotelCredentials(app.id, app.secret)];
      }),
    );
    const moduleOptions: ExotelWebrtcModuleOptions = {
      baseUrl: fake.baseUrl,
      customer,
      apps,
      ...options.options,
    };
    // 'refreshing' covers a mint from its start, lease waits included; 'pending' is a lazy app at rest.
    // Filled once the app is up; until then only the fake can be busy.
    const booted: { tokens?: TokenService } = {};
    const idle = () =>
      fake.mintAttemptsInFlight === 0 && !booted.tokens?.status().some((row) => row.state === 'refreshing');
    if (options.timers) clock = new ExotelTestClock(options.timers, idle).install(options.now);

    // Loaded here, not at the top: the rest of the testing kit works without @nestjs/testing.
    const { Test } = await import('@nestjs/testing');
    let builder = Test.createTestingModule({ imports: [rootModule] })
      .overrideProvider(EXOTEL_WEBRTC_MODULE_OPTIONS)
      .useValue(moduleOptions);
    if (options.override) builder = options.override(builder);
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication(
      options.logger === undefined ? undefined : { logger: options.logger },
    );
    if (options.listen ?? true) await app.listen(0, '127.0.0.1');
    else await app.init();
    const service = app.get(TokenService, { strict: false });
    booted.tokens = service;

    const needClock = (): ExotelTestClock => {
      if (!clock) throw new Error('bootWithFakeExotel: pass { timers: jest } or { timers: vi } to move time');
      return clock;
    };
    return {
      app,
      fake,
      tokens: service,
      url: options.listen === false ? '' : await app.getUrl(),
      credentials: { customer, apps },
      clock,
      advanceDays: async (days) => needClock().advanceDays(days),
      advance: async (ms) => needClock().advance(ms),
      settle: () => untilIdle(idle),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= run());
}
