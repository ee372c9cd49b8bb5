import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { ExotelWebhooksModule } from 'nestjs-exotel-webrtc/webhooks';
import { EmbeddedExotelModule } from '../embedded-exotel/embedded-exotel.module.js';
import { CallEventsController } from './call-events.controller.js';
import { CallEventsLog } from './call-events.log.js';
import { WebhookRegistration } from './webhook-registration.js';

/**
 * Exotel's call notifications: `POST /exotel/webhooks/<secret>/<kind>`. The secret is
 * EXOTEL_WEBHOOK_SECRET, or a random one per start (fine while the settings are re-registered at
 * every start, as here).
 */
@Module({
  imports: [
    ConfigModule,
    EmbeddedExotelModule,
    ExotelWebhooksModule.forRootAsync({
      path: 'exotel/webhooks',
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.get<string>('EXOTEL_WEBHOOK_SECRET') || randomBytes(24).toString('base64url'),
      }),
    }),
  ],
  controllers: [CallEventsController],
  providers: [CallEventsLog, WebhookRegistration],
})
export class CallEventsModule {}
