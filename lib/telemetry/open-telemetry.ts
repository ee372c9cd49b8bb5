import type * as OpenTelemetry from '@opentelemetry/api';

/** The `@opentelemetry/api` module. */
export type OpenTelemetryApi = typeof OpenTelemetry;

/**
 * `@opentelemetry/api` when it is installed, else undefined (the library's telemetry is then a no-op).
 * It is an optional peer, so nothing imports it statically: the root entry loads without it. The one
 * place that loads it. TypeScript keeps this `import()` in the ES module build and turns it into
 * `require()` in the CommonJS build; both copies of the API share one global registry, so providers
 * registered through either are seen.
 */
export async function loadOpenTelemetry(): Promise<OpenTelemetryApi | undefined> {
  try {
    return await import('@opentelemetry/api');
  } catch {
    return undefined;
  }
}
