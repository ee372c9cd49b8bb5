import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningSample, startSample } from '../sample/support/sample-app.js';

describe('sample: GET /metrics in the Prometheus format', () => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await startSample();
  });
  afterAll(async () => {
    await sample?.close();
    await sample?.fake.stop();
  });

  it('serves the library metrics after start-up mints, without a port of its own', async () => {
    const reply = await fetch(`${sample.url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/plain');
    const text = await reply.text();
    const minted = sample.fake.mintCount();
    expect(minted).toBeGreaterThan(0);
    const successes = [...text.matchAll(/^exotel_token_mints_total\{([^}]*)\} (\d+)/gm)]
      .filter(([, labels]) => labels.includes('exotel_outcome="success"'))
      .reduce((sum, [, , value]) => sum + Number(value), 0);
    expect(successes).toBe(minted);
    expect(text).toMatch(/^exotel_token_credentials\{[^}]*exotel_token_state="fresh"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^exotel_token_time_to_expiry_min\{[^}]*\} \d/m);
    expect(text).toMatch(/^exotel_token_mint_duration_count\{/m);
    for (const secret of sample.fake.knownSecrets()) expect(text).not.toContain(secret);
  });
});
