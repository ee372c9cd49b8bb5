import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ExotelWebrtcModule } from 'nestjs-exotel-webrtc';
import { AppsModule } from './apps/apps.module.js';
import { EmbeddedExotel } from './embedded-exotel/embedded-exotel.js';
import { EmbeddedExotelModule } from './embedded-exotel/embedded-exotel.module.js';
import { SampleExceptionFilter } from './errors/sample-exception.filter.js';
import { AppCredentialsModule } from './exotel/app-credentials.module.js';
import { exotelOptionsFactory } from './exotel/exotel-options.factory.js';
import { InMemoryAppCredentials } from './exotel/in-memory-app-credentials.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PageModule } from './page/page.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { SoftphoneModule } from './softphone/softphone.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { UsersModule } from './users/users.module.js';
import { CallEventsModule } from './webhooks/call-events.module.js';

@Module({
  imports: [
    ConfigModule.forRoot(),
    // Once, here: the library never calls it, so the host's own @Cron jobs do not run twice.
    ScheduleModule.forRoot(),
    EmbeddedExotelModule,
    ExotelWebrtcModule.forRootAsync({
      imports: [ConfigModule, EmbeddedExotelModule, AppCredentialsModule],
      inject: [ConfigService, EmbeddedExotel, InMemoryAppCredentials],
      useFactory: exotelOptionsFactory,
      isGlobal: true,
    }),
    TokensModule,
    AppsModule,
    UsersModule,
    SettingsModule,
    SoftphoneModule,
    HealthModule,
    MetricsModule,
    CallEventsModule,
    PageModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: SampleExceptionFilter }],
})
export class AppModule {}
