import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/**
 * The sample's OpenTelemetry metrics SDK: one MeterProvider whose only reader is a Prometheus
 * exporter that opens no port of its own (the sample serves `/metrics` itself). Registered as the
 * global provider when this file is first imported, that is before Nest builds any module: the
 * library takes its meter at bootstrap, as every OpenTelemetry instrumentation does, so the SDK must
 * be in place first. A real application does the same in its OpenTelemetry setup file (NodeSDK).
 */
export const prometheus = new PrometheusExporter({ preventServerStart: true });

const provider = new MeterProvider({ readers: [prometheus] });
// A second import (tests boot the sample many times in one process) finds it registered already.
if (!metrics.setGlobalMeterProvider(provider)) void provider.shutdown();
