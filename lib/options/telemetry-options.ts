import { printableName } from './credential-identity.js';
import type { ResolvedTelemetryOptions } from './resolved-options.js';

const KNOWN = new Set(['meterProvider', 'tracerProvider', 'appNameAttribute']);

/** Validates the `telemetry` option (adding `telemetry.<key>: ...` lines to `problems`) and applies its defaults. */
export function resolveTelemetry(raw: unknown, problems: string[]): ResolvedTelemetryOptions {
  if (raw === undefined) return { appNameAttribute: false };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('telemetry: must be an object { meterProvider?, tracerProvider?, appNameAttribute? }');
    return { appNameAttribute: false };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) problems.push(`telemetry.${printableName(key)}: is not a known option`);
  }
  const { meterProvider, tracerProvider, appNameAttribute } = input;
  if (
    meterProvider !== undefined &&
    typeof (meterProvider as { getMeter?: unknown })?.getMeter !== 'function'
  ) {
    problems.push('telemetry.meterProvider: must be an OpenTelemetry MeterProvider (with getMeter)');
  }
  if (
    tracerProvider !== undefined &&
    typeof (tracerProvider as { getTracer?: unknown })?.getTracer !== 'function'
  ) {
    problems.push('telemetry.tracerProvider: must be an OpenTelemetry TracerProvider (with getTracer)');
  }
  if (appNameAttribute !== undefined && typeof appNameAttribute !== 'boolean') {
    problems.push('telemetry.appNameAttribute: must be a boolean');
  }
  return Object.freeze({
    meterProvider: meterProvider as ResolvedTelemetryOptions['meterProvider'],
    tracerProvider: tracerProvider as ResolvedTelemetryOptions['tracerProvider'],
    appNameAttribute: appNameAttribute === true,
  });
}
