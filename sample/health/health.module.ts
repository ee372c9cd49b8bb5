import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ExotelHealthIndicator } from 'nestjs-exotel-webrtc';
import { HealthController } from './health.controller.js';

// The indicator is provided here, not by the library, so that @nestjs/terminus stays optional.
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [ExotelHealthIndicator],
})
export class HealthModule {}
