import { Module } from '@nestjs/common';
import { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
import {
  EXOTEL_WEBRTC_AXIOS,
  EXOTEL_WEBRTC_RANDOM,
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
} from './exotel-webrtc.constants.js';
import { createExotelAxios } from './http/create-exotel-axios.js';
import { ConfigurableModuleClass, EXOTEL_WEBRTC_MODULE_OPTIONS } from './exotel-webrtc.module-definition.js';
import { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
import { ExotelHttpService } from './http/exotel-http.service.js';
import { resolveOptions } from './options/resolve-options.js';
import { RefreshScheduler } from './scheduling/refresh-scheduler.js';
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
    TokenMinter,
    MintCoordinator,
    RefreshScheduler,
    TokenService,
    ExotelHttpService,
    ExotelAuthInterceptor,
    ExotelWebrtcClient,
  ],
  exports: [
    TokenService,
    ExotelHttpService,
    ExotelAuthInterceptor,
    ExotelWebrtcClient,
    EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  ],
})
export class ExotelWebrtcModule extends ConfigurableModuleClass {}
