import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { isAxiosError } from 'axios';
import {
  ExotelConfigError,
  ExotelHttpService,
  type ExotelWebrtcModuleOptions,
  type TokenService,
} from 'nestjs-exotel-webrtc';
import { resolveOptions } from '../../lib/options/resolve-options.js';
import { logGuard } from '../support/log-guard-core.js';
import { type FakeWorld, startExotelWorld } from '../support/exotel-app.js';
import { AsyncContextManager, OtelHarness } from './support/otel-harness.js';

const MINTS = 'exotel.token.mints';
const customer = (outcome: string) => ({ 'exotel.credential.kind': 'customer', 'exotel.outcome': outcome });
const app = (outcome: string) => ({ 'exotel.credential.kind': 'app', 'exotel.outcome': outcome });

describe('OpenTelemetry: mints, spans and 401 recoveries', () => {
  let world: FakeWorld;
  let nest: INestApplication;
  let tokens: TokenService;
  let otel: OtelHarness;

  async function start(
    extra: Partial<ExotelWebrtcModuleOptions> = {},
    appNameAttribute = false,
  ): Promise<void> {
    otel = new OtelHarness();
    const { meterProvider, tracerProvider } = otel;
    ({
      world,
      app: nest,
      tokens,
    } = await startExotelWorld({
      telemetry: { meterProvider, tracerProvider, appNameAttribute },
      ...extra,
    }));
  }

  afterEach(async () => {
    await nest?.close();
    await world?.fake.stop();
    await otel?.shutdown();
  });

  it('counts every POST /token by credential kind and outcome after scripted faults', async () => {
    await start();
    // Eager start-up: the customer, the default app and `support`.
    expect(await otel.value(MINTS, customer('success'))).toBe(1);
    expect(await otel.value(MINTS, app('success'))).toBe(2);

    const faults = [
      [{ status: 503 }, 'unavailable'],
      [{ reset: true }, 'unavailable'],
      [{ status: 401 }, 'auth_error'],
      [{ malformed: true }, 'protocol_error'],
      [{ emptyData: true }, 'protocol_error'],
    ] as const;
    for (const [fault] of faults) {
      world.fake.fault('POST /token', fault);
      await expect(tokens.refresh('customer')).rejects.toThrow();
    }
    await tokens.refresh('customer');

    expect(await otel.value(MINTS, customer('success'))).toBe(2);
    expect(await otel.value(MINTS, customer('unavailable'))).toBe(2);
    expect(await otel.value(MINTS, customer('auth_error'))).toBe(1);
    expect(await otel.value(MINTS, customer('protocol_error'))).toBe(2);
    expect(await otel.value(MINTS, app('success'))).toBe(2);
    // One duration per mint, with the same attributes.
    const durations = await otel.points('exotel.token.mint.duration');
    const counted = durations.map((p) => (p.value as { count: number }).count).reduce((a, b) => a + b, 0);
    expect(counted).toBe(world.fake.mintAttempts());
    const histogram = (await otel.metrics()).find((m) => m.descriptor.name === 'exotel.token.mint.duration');
    expect(histogram?.descriptor.unit).toBe('s');
    // Buckets in seconds, from a fast loopback reply up to past the 10 s default request timeout.
    const { boundaries } = (durations[0].value as { buckets: { boundaries: number[] } }).buckets;
    expect(boundaries).toEqual([0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]);
    const units = Object.fromEntries(
      (await otel.metrics()).map((m) => [m.descriptor.name, m.descriptor.unit]),
    );
    expect(units).toMatchObject({
      'exotel.token.mints': '{mint}',
      'exotel.token.credentials': '{credential}',
      'exotel.token.time_to_expiry.min': 's',
    });
    // Nothing was adopted: every token came from a mint here.
    expect(await otel.points('exotel.token.adoptions')).toEqual([]);
  });

  it('a span per mint: credential, status code, RequestId, and an error status on failure', async () => {
    await start();
    world.fake.fault('POST /token', { status: 503 });
    await expect(tokens.refresh('app', 'support')).rejects.toThrow();
    await tokens.refresh('app', 'support');

    const spans = otel.spans('exotel.token.mint');
    expect(spans).toHaveLength(world.fake.mintAttempts());
    const [failed, succeeded] = spans
      .filter((s) => s.attributes['exotel.credential'] === 'app:support')
      .slice(-2);
    expect(failed.attributes).toMatchObject({
      'exotel.credential.kind': 'app',
      'exotel.outcome': 'unavailable',
      'http.response.status_code': 503,
      'error.type': 'ExotelUnavailableError',
    });
    expect(failed.attributes['exotel.request_id']).toEqual(expect.any(String));
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.status.message).toEqual(expect.stringContaining('POST /token'));

    expect(succeeded.attributes).toMatchObject({
      'exotel.credential.kind': 'app',
      'exotel.outcome': 'success',
      'http.response.status_code': 200,
    });
    expect(succeeded.attributes['exotel.request_id']).toEqual(expect.any(String));
    expect(succeeded.attributes['error.type']).toBeUndefined();
    expect(succeeded.status.code).toBe(SpanStatusCode.UNSET);
    // A root span: a mint shared by many requests belongs to none of them.
    expect(succeeded.parentSpanContext).toBeUndefined();
    // Only these keys, whatever happened: no Id, secret or token has a place to go.
    const keys = new Set(spans.flatMap((s) => Object.keys(s.attributes)));
    expect([...keys].sort()).toEqual(
      [
        'error.type',
        'exotel.credential',
        'exotel.credential.kind',
        'exotel.outcome',
        'exotel.request_id',
        'http.response.status_code',
      ].sort(),
    );
    // The guard saw the exported spans (and fails this file if any of them held a secret or token).
    expect(logGuard.lines.some((l) => l.source === 'otel spans' && l.text.includes('app:support'))).toBe(
      true,
    );
  });

  it('links the mint span to every request span that waited on it, once each', async () => {
    const manager = new AsyncContextManager();
    context.setGlobalContextManager(manager);
    try {
      await start();
      const tracer = otel.tracerProvider.getTracer('host');
      const [first, second] = [tracer.startSpan('GET /a'), tracer.startSpan('GET /b')];
      tokens.invalidate('customer');
      const asked = (span: typeof first) =>
        context.with(trace.setSpan(context.active(), span), () =>
          Promise.all([tokens.getToken('customer'), tokens.getToken('customer')]),
        );
      const [a, b] = await Promise.all([asked(first), asked(second)]);
      expect(new Set([...a, ...b]).size).toBe(1); // single flight: one mint for all four callers
      first.end();
      second.end();

      const mint = otel.spans('exotel.token.mint').at(-1)!;
      expect(mint.links.map((l) => l.context.spanId).sort()).toEqual(
        [first.spanContext().spanId, second.spanContext().spanId].sort(),
      );
      expect(mint.spanContext().traceId).not.toBe(first.spanContext().traceId);
    } finally {
      context.disable();
    }
  });

  it('counts 401 retries and the openings of the 401 breaker', async () => {
    await start({ unauthorizedBreakerThreshold: 2 });
    const http = nest.get(ExotelHttpService);
    world.fake.revokeTokens(world.app.id);
    expect((await http.axiosRef.get('/app')).status).toBe(200);
    expect(await otel.value('exotel.http.unauthorized_retries', { 'exotel.credential.kind': 'app' })).toBe(1);

    world.fake.fault('GET /customer', { status: 401 }, Infinity);
    const failures: unknown[] = [];
    for (let i = 0; i < 4; i++) failures.push(await http.axiosRef.get('/customer').catch((e: unknown) => e));
    expect(failures.every((f) => f instanceof Error || isAxiosError(f))).toBe(true);
    // Two requests were retried before two refused fresh tokens opened the breaker; then no retry.
    expect(
      await otel.value('exotel.http.unauthorized_retries', { 'exotel.credential.kind': 'customer' }),
    ).toBe(2);
    expect(
      await otel.value('exotel.http.unauthorized_breaker.openings', { 'exotel.credential.kind': 'customer' }),
    ).toBe(1);
  });

  it('appNameAttribute adds the app name to app series (and only to them)', async () => {
    await start({}, true);
    const points = await otel.points(MINTS);
    const names = points.map((p) => p.attributes['exotel.app.name']).sort();
    expect(names).toEqual(['default', 'support', undefined]);
  });

  it('rejects a bad telemetry option at bootstrap, naming the field', () => {
    const base = { customer: { id: 'cust-1', secret: 'cust-secret-1' } };
    const problems = (telemetry: unknown): string[] => {
      try {
        resolveOptions({ ...base, telemetry });
        return [];
      } catch (error) {
        return (error as ExotelConfigError).problems;
      }
    };
    expect(problems({ meterProvider: {} })).toEqual([
      'telemetry.meterProvider: must be an OpenTelemetry MeterProvider (with getMeter)',
    ]);
    expect(problems({ tracerProvider: 1 })).toEqual([
      'telemetry.tracerProvider: must be an OpenTelemetry TracerProvider (with getTracer)',
    ]);
    expect(problems({ appNameAttribute: 'yes' })).toEqual(['telemetry.appNameAttribute: must be a boolean']);
    expect(problems({ appNames: true })).toEqual(['telemetry.appNames: is not a known option']);
    expect(problems('on')).toEqual([
      'telemetry: must be an object { meterProvider?, tracerProvider?, appNameAttribute? }',
    ]);
    expect(resolveOptions(base).telemetry).toEqual({ appNameAttribute: false });
  });
});
