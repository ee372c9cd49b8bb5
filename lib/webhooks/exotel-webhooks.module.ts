import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CallDelivery } from './call-delivery.js';
import { CallHandlerExplorer } from './call-handler-explorer.js';
import { ExotelCallEvents } from './exotel-call-events.js';
import {
  EXOTEL_WEBHOOKS_MODULE_OPTIONS,
  EXOTEL_WEBHOOKS_RESOLVED_OPTIONS,
} from './exotel-webhooks.constants.js';
import { ConfigurableModuleClass } from './exotel-webhooks.module-definition.js';
import { resolveWebhooksOptions } from './exotel-webhooks.options.js';

/**
 * Receives Exotel's call notifications on `POST /<path>/<secret>/<kind>` and hands each one, validated,
 * typed and deduplicated, to the `@OnExotelCall` methods of any provider or controller and to
 * `ExotelCallEvents.events$`. `client.settings.registerWebhooks(publicBaseUrl)` points an app's settings
 * at these routes.
 * @publicApi
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: EXOTEL_WEBHOOKS_RESOLVED_OPTIONS,
      useFactory: resolveWebhooksOptions,
      inject: [EXOTEL_WEBHOOKS_MODULE_OPTIONS],
    },
    CallHandlerExplorer,
    CallDelivery,
    ExotelCallEvents,
  ],
  exports: [ExotelCallEvents],
})
export class ExotelWebhooksModule extends ConfigurableModuleClass {}
