import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebhookRegistration } from '../../sample/webhooks/webhook-registration.js';
import { call, type RunningSample, startSample } from '../sample/support/sample-app.js';

describe('sample: call events from the embedded fake', () => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await startSample();
    expect(await sample.app.get(WebhookRegistration).registered).toBe(true);
  });

  afterAll(async () => {
    await sample?.close();
  });

  it('registers its webhooks on the fake and lists the events of a simulated inbound call, numbers masked', async () => {
    const settings = (await call(`${sample.url}/settings`)).body as { Key: string; Value: string }[];
    const callback = settings.find((s) => s.Key === 'callback')?.Value;
    // Registered with the secret (the simulated call below reaches the sample through it), shown redacted.
    expect(callback).toBe(`${sample.url}/exotel/webhooks/[redacted]/callback`);

    const simulated = await call(`${sample.url}/call-events/simulate-inbound`, { method: 'POST' });
    expect(simulated.status).toBe(200);
    const events = (await call(`${sample.url}/call-events`)).body as Record<string, unknown>[];
    expect(events.map((e) => [e.kind, e.callSid, e.callState])).toEqual([
      ['incomingCallHangup', simulated.body.callSid, 'terminal'],
      ['popup', simulated.body.callSid, 'active'],
    ]);
    expect(events[0]).toMatchObject({ from: '…2345', totalDuration: 30, recorded: true });
    expect(JSON.stringify(events)).not.toContain('+9198000');
  });
});
