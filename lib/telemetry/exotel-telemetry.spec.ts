import { afterEach, describe, expect, it } from '@jest/globals';
import { SpanStatusCode } from '@opentelemetry/api';
import { OtelHarness } from '../../test/telemetry/support/otel-harness.js';
import { credentialIdentity } from '../options/credential-identity.js';
import { ExotelTelemetry } from './exotel-telemetry.js';

describe('ExotelTelemetry.traceMint', () => {
  let otel: OtelHarness;

  afterEach(async () => {
    await otel?.shutdown();
  });

  it('an error that is no ExotelError: error.type _OTHER, no message, counted as unavailable', async () => {
    otel = new OtelHarness();
    const { meterProvider, tracerProvider } = otel;
    const telemetry = await ExotelTelemetry.create({
      meterProvider,
      tracerProvider,
      appNameAttribute: false,
    });
    const thrown = new TypeError('a message that could hold anything');
    await expect(
      telemetry.traceMint(credentialIdentity('customer'), undefined, () => Promise.reject(thrown)),
    ).rejects.toBe(thrown);

    const [span] = otel.spans('exotel.token.mint');
    expect(span.attributes['error.type']).toBe('_OTHER');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(
      await otel.value('exotel.token.mints', {
        'exotel.credential.kind': 'customer',
        'exotel.outcome': 'unavailable',
      }),
    ).toBe(1);
  });
});
