import { Controller, Get, Header } from '@nestjs/common';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { prometheus } from './meter-provider.js';

/**
 * `GET /metrics`: the library's OpenTelemetry metrics (and anything else on the global
 * MeterProvider) in the Prometheus text format, for a Prometheus scrape.
 */
@Controller('metrics')
export class MetricsController {
  private readonly serializer = new PrometheusSerializer();

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    const { resourceMetrics } = await prometheus.collect();
    return this.serializer.serialize(resourceMetrics);
  }
}
