import { afterAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { type ExotelCredentials, TokenService } from 'nestjs-exotel-webrtc';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { createExotelApp } from '../support/exotel-app.js';
import { key, OtelHarness } from './support/otel-harness.js';

const APPS = 10_000;
// Every app is managed (the gauges read all 10,000 slots); only these mint, so the test stays cheap
// under --detectOpenHandles, where each loopback exchange costs far more.
const MINTED = 200;
const QUIET = { log: () => undefined, warn: () => undefined, error: () => undefined };
const ATTRIBUTE_KEYS = ['exotel.credential.kind', 'exotel.outcome', 'exotel.token.state'];

describe('OpenTelemetry: cardinality with 10,000 apps', () => {
  let fake: FakeExotelServer;
  let app: INestApplication | undefined;
  const otel = new OtelHarness();

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
    await otel.shutdown();
  });

  it('the number of distinct attribute sets stays within a small constant', async () => {
    fake = await new FakeExotelServer().start();
    const customer = fake.addCustomer();
    const apps: Record<string, ExotelCredentials> = {};
    for (let i = 0; i < APPS; i++) apps[`tenant-${i}`] = fake.addApp(customer.id, { name: `tenant-${i}` });
    ({ app } = await createExotelApp({
      baseUrl: fake.baseUrl,
      customer,
      apps,
      // Quiet, but not `logger: false`: the log guard would then check 10,000 "minted" lines against
      // 30,000 secrets and tokens, which takes minutes. The metric data it still checks.
      logger: QUIET,
      eager: false,
      maxConcurrentMints: 64,
      retryBaseDelayMs: 3_600_000, // no retry while the test runs: the counts below stay exact
      telemetry: { meterProvider: otel.meterProvider },
    }));
    const tokens = app.get(TokenService);
    await tokens.getToken('customer');
    // Some mints fail, in two ways; their retries are planned in the background.
    fake.fault('POST /token', { status: 503 }, 5);
    fake.fault('POST /token', { malformed: true }, 5);
    const minted = await Promise.allSettled(
      Array.from({ length: MINTED }, (_, i) => tokens.getToken('app', `tenant-${i}`)),
    );
    expect(minted.filter((r) => r.status === 'rejected')).toHaveLength(10);
    expect(fake.mintAttempts()).toBe(MINTED + 1);
    expect(tokens.status()).toHaveLength(APPS + 1);

    const metrics = await otel.metrics();
    const sets = new Set<string>();
    for (const metric of metrics) {
      for (const point of metric.dataPoints) {
        sets.add(`${metric.descriptor.name} ${key(point.attributes)}`);
        for (const attribute of Object.keys(point.attributes)) expect(ATTRIBUTE_KEYS).toContain(attribute);
      }
    }
    // mints and durations: 2 kinds x 4 outcomes at most; credentials: 2 kinds x 6 states; expiry: 2 kinds.
    expect(sets.size).toBeLessThanOrEqual(8 + 8 + 12 + 2);
    const mints = metrics.find((m) => m.descriptor.name === 'exotel.token.mints')!;
    const byOutcome: Record<string, number> = {};
    for (const p of mints.dataPoints) {
      const outcome = p.attributes['exotel.outcome'] as string;
      byOutcome[outcome] = (byOutcome[outcome] ?? 0) + (p.value as number);
    }
    expect(byOutcome).toEqual({ success: MINTED + 1 - 10, unavailable: 5, protocol_error: 5 });
    const credentials = metrics.find((m) => m.descriptor.name === 'exotel.token.credentials')!;
    const managed = credentials.dataPoints.reduce((sum, p) => sum + (p.value as number), 0);
    expect(managed).toBe(APPS + 1);
  }, 120_000);
});
