import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ExotelWebrtcModuleOptions } from './interfaces/exotel-webrtc-options.interface.js';

/** Extras given beside the options: `isGlobal` makes the module's exports visible app-wide. */
export interface ExotelWebrtcModuleExtras {
  isGlobal?: boolean;
}

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
