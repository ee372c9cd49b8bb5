import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ExotelWebrtcModuleOptions } from './interfaces/exotel-webrtc-options.interface.js';

/** Extras given beside the options. */
export interface ExotelWebrtcModuleExtras {
  /**
   * Default `false`. `true` registers the module globally: TokenService, ExotelWebrtcClient and
   * ExotelHttpService are injectable in every module without importing this one again.
   */
  isGlobal?: boolean;
}

/**
 * `ConfigurableModuleClass` gives `ExotelWebrtcModule` its `forRoot(options)` and
 * `forRootAsync({ imports, inject, useFactory | useClass | useExisting, isGlobal })`.
 * `EXOTEL_WEBRTC_MODULE_OPTIONS` is the injection token of the raw options as given (before validation
 * and defaults; inject `EXOTEL_WEBRTC_RESOLVED_OPTIONS` for those).
 * @publicApi
 */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: EXOTEL_WEBRTC_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ExotelWebrtcModuleOptions>({ moduleName: 'ExotelWebrtc' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createExotelWebrtcOptions')
  .setExtras<ExotelWebrtcModuleExtras>({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** What a `useClass` / `useExisting` options factory implements. */
export interface ExotelWebrtcOptionsFactory {
  createExotelWebrtcOptions(): ExotelWebrtcModuleOptions | Promise<ExotelWebrtcModuleOptions>;
}
