/**
 * Part of the whole-suite log guard: metric and span data that an OpenTelemetry SDK reader or
 * in-memory exporter hands out in a test file is recorded like a log line, so a secret or token in any
 * attribute, status message, event or link fails the file. Only what the library decides is kept:
 * names, attributes, status, events and link attributes (not the SDK's internal objects).
 */
import { MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { logGuard } from './log-guard-core.js';

const collect = MetricReader.prototype.collect;
MetricReader.prototype.collect = async function (this: MetricReader, ...args: Parameters<typeof collect>) {
  const collected = await collect.apply(this, args);
  const metrics = collected.resourceMetrics.scopeMetrics.flatMap((scope) =>
    scope.metrics.map((metric) => ({
      name: metric.descriptor.name,
      description: metric.descriptor.description,
      points: metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
    })),
  );
  logGuard.record('otel metrics', [metrics]);
  return collected;
};

const exportSpans = InMemorySpanExporter.prototype.export;
InMemorySpanExporter.prototype.export = function (
  this: InMemorySpanExporter,
  spans: ReadableSpan[],
  ...rest: unknown[]
) {
  logGuard.record('otel spans', [
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      status: span.status,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
      links: span.links.map((link) => link.attributes ?? {}),
    })),
  ]);
  return (exportSpans as (...args: unknown[]) => void).call(this, spans, ...rest);
};
