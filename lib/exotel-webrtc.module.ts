import { type DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
import {
  EXOTEL_WEBRTC_AXIOS,
  EXOTEL_WEBRTC_RANDOM,
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
} from './exotel-webrtc.constants.js';
import {
  type ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  EXOTEL_WEBRTC_MODULE_OPTIONS,
  type OPTIONS_TYPE,
} from './exotel-webrtc.module-definition.js';
import { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
import { createExotelAxios, ExotelHttpService } from './http/exotel-http.service.js';
import { resolveOptions } from './options/resolve-options.js';
import type { ResolvedExotelOptions } from './options/resolved-options.js';
import { RefreshPolicy } from './scheduling/refresh-policy.js';
import { RefreshScheduler, type TimeoutRegistry } from './scheduling/refresh-scheduler.js';
import { ExotelTelemetry } from './telemetry/exotel-telemetry.js';
import { MintCoordinator } from './token/mint-coordinator.js';
import { TokenMinter } from './token/token-minter.js';
import { TokenService } from './token/token.service.js';

/**
 * Mints, refreshes and injects Exotel WebRTC tokens. Import it once (typically with
 * `isGlobal: true`): every `forRoot*` call is a separate instance with its own timers and tokens.
 * @publicApi
 */
@Module({
  providers: [
    {
      provide: EXOTEL_WEBRTC_RESOLVED_OPTIONS,
      useFactory: resolveOptions,
      inject: [EXOTEL_WEBRTC_MODULE_OPTIONS],
    },
    // A factory provider, not HttpModule.register(): register() creates its axios instance once, when the
    // decorator runs, so every forRoot* instance would share it (and its baseURL and interceptors).
    { provide: EXOTEL_WEBRTC_AXIOS, useFactory: createExotelAxios, inject: [EXOTEL_WEBRTC_RESOLVED_OPTIONS] },
    { provide: EXOTEL_WEBRTC_RANDOM, useValue: Math.random },
    {
      provide: RefreshPolicy,
      useFactory: (options: ResolvedExotelOptions, random: () => number) =>
        new RefreshPolicy(options, random),
      inject: [EXOTEL_WEBRTC_RESOLVED_OPTIONS, EXOTEL_WEBRTC_RANDOM],
    },
    // Async: @opentelemetry/api is an optional peer, loaded (or found missing) here, at bootstrap.
    {
      provide: ExotelTelemetry,
      useFactory: (options: ResolvedExotelOptions) => ExotelTelemetry.create(options.telemetry),
      inject: [EXOTEL_WEBRTC_RESOLVED_OPTIONS],
    },
    {
      provide: TokenMinter,
      useFactory: (options: ResolvedExotelOptions, telemetry: ExotelTelemetry) =>
        new TokenMinter(options, undefined, telemetry),
      inject: [EXOTEL_WEBRTC_RESOLVED_OPTIONS, ExotelTelemetry],
    },
    MintCoordinator,
    {
      provide: RefreshScheduler,
      useFactory: async (moduleRef: ModuleRef) => new RefreshScheduler(await findTimeoutRegistry(moduleRef)),
      inject: [ModuleRef],
    },
    TokenService,
    ExotelHttpService,
    ExotelAuthInterceptor,
    ExotelWebrtcClient,
  ],
  exports: [
    TokenService,
    // The host provides ExotelHealthIndicator in its own module; it reads the critical window here.
    RefreshPolicy,
    ExotelHttpService,
    ExotelAuthInterceptor,
    ExotelWebrtcClient,
    EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  ],
})
export class ExotelWebrtcModule extends ConfigurableModuleClass {
  /**
   * The module with `options` given directly, e.g. `forRoot({ ...fromEnv(), isGlobal: true })`.
   * Options are validated at bootstrap; every problem is listed in one `ExotelConfigError`.
   */
  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  /**
   * The module with options from DI: `useFactory` (with `imports` and `inject`, e.g. `ConfigService`),
   * `useClass` or `useExisting` (a class implementing `ExotelWebrtcOptionsFactory`). `isGlobal: true`
   * makes TokenService, the client and the HTTP service injectable everywhere.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}

/**
 * The host's SchedulerRegistry when it imported `ScheduleModule.forRoot()`, so that the refresh timer
 * shows up there. `@nestjs/schedule` is an optional peer: loaded only if installed, never required.
 */
async function findTimeoutRegistry(moduleRef: ModuleRef): Promise<TimeoutRegistry | undefined> {
  let schedule: typeof import('@nestjs/schedule');
  try {
    schedule = await import('@nestjs/schedule');
  } catch {
    return undefined;
  }
  try {
    return moduleRef.get(schedule.SchedulerRegistry, { strict: false });
  } catch {
    return undefined;
  }
}
