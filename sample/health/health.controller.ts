import { Controller, Get } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ExotelHealthIndicator } from 'nestjs-exotel-webrtc';

/**
 * 200 with status `ok` when every token is fresh, 200 with status `degraded` while a refresh is
 * being retried, 503 when a token is expired, failed or close to expiry.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly exotel: ExotelHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.exotel.isHealthy()]);
  }
}
