import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import type { IncomingMessage, Server } from 'node:http';
import { inspect } from 'node:util';
import {
  ExotelConfigError,
  ExotelRequestError,
  ExotelWebrtcClient,
  ExotelWebrtcModule,
} from 'nestjs-exotel-webrtc';
import { recordingUrl } from 'nestjs-exotel-webrtc/testing';
import { ExotelCallEvents, type ExotelCallEvent } from 'nestjs-exotel-webrtc/webhooks';
import { logGuard } from '../support/log-guard-core.js';
import { type FakeWorld, startFakeWorld, worldOptions } from '../support/exotel-app.js';
import {
  CountingDedupe,
  newSecret,
  notification,
  post,
  startWebhookApp,
  type WebhookApp,
} from './webhook-app.js';

const AGENT = { number: '+919811122233', virtual: '+918044455566' };
const CUSTOMER_NUMBER = '+919900011122';
const CALLER_NUMBER = '+919700033344';

describe('ExotelWebhooksModule over loopback HTTP', () => {
  let world: FakeWorld;
  let hooks: WebhookApp;
  let dedupe: CountingDedupe;
  const secret = newSecret();
  const streamed: ExotelCallEvent[] = [];
  const recordings: string[] = [];

  beforeAll(async () => {
    logGuard.watch(secret);
    world = await startFakeWorld();
    dedupe = new CountingDedupe();
    hooks = await startWebhookApp(worldOptions(world), { secret, dedupe });
    hooks.app.get(ExotelCallEvents).events$.subscribe((event) => streamed.push(event));
    await hooks.client.users.register([
      {
        AppUserId: 'agent@example.test',
        AppUsername: 'Agent Smith',
        Email: 'agent@example.test',
        ExotelAccountSid: 'fakeaccount',
        ExotelUserName: 'Agent Smith',
        VirtualNumber: AGENT.virtual,
        AgentNumber: AGENT.number,
      },
    ]);
    await hooks.client.settings.add({ Key: 'record', Value: 'true' });
    await hooks.client.settings.registerWebhooks(hooks.origin);
  });

  afterEach(async () => {
    await world.fake.webhooksSettled();
    world.fake.clearFaults();
    Object.assign(hooks.log, { failures: 0, gate: undefined, callbackCalls: 0 });
    for (const list of [hooks.log.callbacks, hooks.log.popups, hooks.log.ends, streamed]) list.splice(0);
  });

  afterAll(async () => {
    await hooks?.app.close();
    await world?.fake.stop();
  });

  const callOut = async () => {
    const call = await hooks.client.calls.outbound({ to: CUSTOMER_NUMBER, user_id: 'agent@example.test' });
    recordings.push(recordingUrl(call.CallSid));
    await world.fake.webhooksSettled();
    return call;
  };

  it('registerWebhooks writes the four settings with the secret URLs', async () => {
    const settings = await hooks.client.settings.list();
    const values = Object.fromEntries(settings.map((s) => [s.Key, s.Value]));
    for (const kind of ['popup', 'incomingCallHangup', 'missedCall', 'callback']) {
      expect(values[kind]).toBe(hooks.url(kind));
    }
  });

  it('an outbound call makes the fake deliver callbacks, received typed and in order', async () => {
    const call = await callOut();
    expect(hooks.log.callbacks.map((e) => [e.kind, e.callSid, e.callState])).toEqual([
      ['callback', call.CallSid, 'active'],
      ['callback', call.CallSid, 'terminal'],
    ]);
    const [active, terminal] = hooks.log.callbacks;
    expect(active.totalDuration).toBeUndefined();
    expect(active.endTime).toBeUndefined();
    expect(terminal.totalDuration).toBe(42);
    expect(terminal.endTime).toBeInstanceOf(Date);
    expect(terminal.startTime!.getTime()).toBeLessThan(terminal.endTime!.getTime());
    expect(terminal.callRecordings).toBe(recordingUrl(call.CallSid));
    expect(terminal.toNumber).toBe(CUSTOMER_NUMBER);
    expect(terminal.raw.CallState).toBe('terminal');
    expect(streamed.map((e) => e.callState)).toEqual(['active', 'terminal']);
    expect(world.fake.webhookDeliveries.slice(-2).map((d) => [d.status, d.reason])).toEqual([
      [200, 'first'],
      [200, 'first'],
    ]);
  });

  it('an inbound simulation reaches the popup and hangup handlers; a missed call the missedCall handler', async () => {
    const { callSid } = await world.fake.simulateInboundCall({ appId: world.app.id, from: CALLER_NUMBER });
    recordings.push(recordingUrl(callSid));
    expect(hooks.log.popups.map((e) => [e.callSid, e.callState, e.fromNumber])).toEqual([
      [callSid, 'active', CALLER_NUMBER],
    ]);
    expect(hooks.log.ends.map((e) => [e.kind, e.callSid, e.totalDuration])).toEqual([
      ['incomingCallHangup', callSid, 30],
    ]);
    expect(hooks.log.ends[0].callRecordings).toBe(recordingUrl(callSid));

    const missed = await world.fake.simulateInboundCall({
      appId: world.app.id,
      from: CALLER_NUMBER,
      answered: false,
    });
    expect(hooks.log.ends.slice(1).map((e) => [e.kind, e.callSid, e.totalDuration])).toEqual([
      ['missedCall', missed.callSid, undefined],
    ]);
  });

  it('a duplicate delivery is handled once and answered 200', async () => {
    world.fake.webhookFault({ duplicate: true }, 2);
    const before = world.fake.webhookDeliveries.length;
    await callOut();
    const deliveries = world.fake.webhookDeliveries.slice(before);
    expect(deliveries.map((d) => [d.callState, d.reason, d.status])).toEqual([
      ['active', 'first', 200],
      ['active', 'duplicate', 200],
      ['terminal', 'first', 200],
      ['terminal', 'duplicate', 200],
    ]);
    expect(hooks.log.callbacks.map((e) => e.callState)).toEqual(['active', 'terminal']);
    expect(streamed).toHaveLength(2);
  });

  it('a throwing handler makes the delivery fail; the redelivery is handled, exactly once', async () => {
    hooks.log.failures = 1;
    const before = world.fake.webhookDeliveries.length;
    await callOut();
    const deliveries = world.fake.webhookDeliveries.slice(before);
    expect(deliveries.map((d) => [d.callState, d.reason, d.status])).toEqual([
      ['active', 'first', 500],
      ['active', 'retry', 200],
      ['terminal', 'first', 200],
    ]);
    expect(hooks.log.callbackCalls).toBe(3);
    expect(hooks.log.callbacks.map((e) => e.callState)).toEqual(['active', 'terminal']);
    // The stream had the event at the first delivery and is not given it again.
    expect(streamed.map((e) => e.callState)).toEqual(['active', 'terminal']);
    expect(hooks.logger.at('error').some((line) => line.includes('CallLog.onCallback failed'))).toBe(true);
  });

  /** Places a call whose first callback is resent while its handler waits; the gate opens once the resend arrived. */
  const callOutWithResend = async () => {
    let open!: () => void;
    hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
    world.fake.webhookFault({ resendAfterMs: 1 });
    // Counted at the HTTP server, not timed: the second POST to /callback is the resend.
    let posts = 0;
    const server = hooks.app.getHttpServer() as Server;
    const count = (req: IncomingMessage) => {
      if (req.method === 'POST' && req.url?.endsWith('/callback') && ++posts === 2) setImmediate(open);
    };
    server.on('request', count);
    const before = world.fake.webhookDeliveries.length;
    try {
      await callOut();
    } finally {
      server.off('request', count);
    }
    return world.fake.webhookDeliveries.slice(before);
  };

  it('a resend after a slow answer shares the answer of the delivery still running, and runs nothing again', async () => {
    const claims = dedupe.claims.value;
    const deliveries = await callOutWithResend();
    expect(
      deliveries
        .slice(0, 2)
        .map((d) => [d.callState, d.status, d.reason])
        .sort(),
    ).toEqual([
      ['active', 200, 'first'],
      ['active', 200, 'resend'],
    ]);
    expect(hooks.log.callbackCalls).toBe(2);
    expect(hooks.log.callbacks.map((e) => e.callState)).toEqual(['active', 'terminal']);
    // Two marks (the stream and CallLog.onCallback) per notification: the resend claimed none.
    expect(dedupe.claims.value - claims).toBe(4);
  });

  it('when the delivery still running fails, the resend that shared it fails too, and the retry is handled', async () => {
    hooks.log.failures = 1;
    const deliveries = await callOutWithResend();
    expect(deliveries.slice(0, 3).map((d) => [d.callState, d.status, d.reason])).toEqual(
      expect.arrayContaining([
        ['active', 500, 'first'],
        ['active', 500, 'resend'],
        ['active', 200, 'retry'],
      ]),
    );
    expect(hooks.log.callbacks.map((e) => e.callState)).toEqual(['active', 'terminal']);
    expect(hooks.log.callbackCalls).toBe(3);
  });

  describe('refusals', () => {
    it('a wrong secret gets the same 404 as an unknown route, and runs nothing', async () => {
      const body = JSON.stringify(notification());
      const wrong = await post(hooks.url('callback', newSecret()), body);
      const unknown = await post(`${hooks.origin}/no/such/route`, body);
      expect(wrong.status).toBe(404);
      expect(unknown.status).toBe(404);
      const shape = (text: string) => ({ ...JSON.parse(text), message: undefined });
      expect(shape(wrong.body)).toEqual(shape(unknown.body));
      expect((await post(hooks.url('hangup'), body)).status).toBe(404);
      expect(hooks.log.callbackCalls).toBe(0);
      expect(streamed).toHaveLength(0);
    });

    it('a malformed body gets 400; an invalid one 400 with problems that quote no value', async () => {
      expect((await post(hooks.url('callback'), '{"CallSid": "x", "Call')).status).toBe(400);
      const invalid = await post(
        hooks.url('popup'),
        JSON.stringify(
          notification({ CallSid: '', CallState: 'ringing', TotalDuration: 'ten', FromNumber: 7 }),
        ),
      );
      expect(invalid.status).toBe(400);
      const problems = (JSON.parse(invalid.body) as { problems: string[] }).problems;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
        ['CallSid', 'CallState', 'FromNumber', 'TotalDuration'].sort(),
      );
      expect(problems.join(' ')).not.toMatch(/ringing|ten/);
      expect((await post(hooks.url('popup'), '[1, 2]')).status).toBe(400);
      expect(hooks.log.popups).toHaveLength(0);
    });

    it('a body over the size cap gets 413', async () => {
      const big = JSON.stringify(notification({ CallDetail: 'x'.repeat(70 * 1024) }));
      expect((await post(hooks.url('callback'), big)).status).toBe(413);
      const huge = JSON.stringify(notification({ CallDetail: 'x'.repeat(300 * 1024) }));
      expect((await post(hooks.url('callback'), huge)).status).toBe(413);
      expect(hooks.log.callbackCalls).toBe(0);
    });
  });

  it('no phone number, recording URL or secret appears in logs at info level or above', () => {
    const numbers = [AGENT.number, AGENT.virtual, CUSTOMER_NUMBER, CALLER_NUMBER, '+919800000003'];
    const lines = ['log', 'warn', 'error'].flatMap((level) => hooks.logger.at(level));
    expect(lines.length).toBeGreaterThan(0);
    expect(recordings.length).toBeGreaterThan(3);
    for (const line of lines) {
      for (const value of [...numbers, ...recordings, secret, 'fake-exotel.test'])
        expect(line).not.toContain(value);
    }
  });
});

describe('handlers slower than handlerTimeoutMs', () => {
  let world: FakeWorld;
  let hooks: WebhookApp;
  let dedupe: CountingDedupe;
  const secret = newSecret();

  beforeAll(async () => {
    logGuard.watch(secret);
    world = await startFakeWorld();
    dedupe = new CountingDedupe();
    // 1 ms: the gated handler below is always still running when the budget ends.
    hooks = await startWebhookApp(worldOptions(world), { secret, dedupe, handlerTimeoutMs: 1 });
  });

  afterAll(async () => {
    await hooks?.app.close();
    await world?.fake.stop();
  });

  it('are answered 200 accepted and finish in the background; a background failure frees the redelivery', async () => {
    let open!: () => void;
    hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
    hooks.log.failures = 1;
    const body = JSON.stringify(notification({ Direction: 'outbound' }));
    expect(JSON.parse((await post(hooks.url('callback'), body)).body)).toEqual({ status: 'accepted' });
    expect(hooks.log.callbackCalls).toBe(1);
    expect(hooks.log.callbacks).toHaveLength(0);
    open();
    await dedupe.releases.reached(1);
    expect(hooks.logger.at('error').some((line) => line.includes('released for redelivery'))).toBe(true);

    hooks.log.gate = undefined;
    expect(JSON.parse((await post(hooks.url('callback'), body)).body)).toEqual({ status: 'handled' });
    expect(JSON.parse((await post(hooks.url('callback'), body)).body)).toEqual({ status: 'duplicate' });
    expect(hooks.log.callbacks).toHaveLength(1);
    expect(hooks.log.callbackCalls).toBe(2);
  });

  it('app.close() waits for handlers still running in the background', async () => {
    let open!: () => void;
    hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
    const body = JSON.stringify(notification({ Direction: 'outbound' }));
    expect(JSON.parse((await post(hooks.url('callback'), body)).body)).toEqual({ status: 'accepted' });
    const before = hooks.log.callbacks.length;
    const closed = hooks.app.close();
    open();
    await closed;
    expect(hooks.log.callbacks).toHaveLength(before + 1);
  });
});

describe('registerWebhooks', () => {
  it('without ExotelWebhooksModule fails with ExotelConfigError; a non-https public URL is refused', async () => {
    const world = await startFakeWorld();
    const moduleRef = await Test.createTestingModule({
      imports: [ExotelWebrtcModule.forRoot(worldOptions(world))],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const client = app.get(ExotelWebrtcClient);
      await expect(client.settings.registerWebhooks('https://example.test')).rejects.toBeInstanceOf(
        ExotelConfigError,
      );
      const hooks = await startWebhookApp(worldOptions(world), { secret: newSecret() });
      try {
        await expect(hooks.client.settings.registerWebhooks('http://example.test')).rejects.toBeInstanceOf(
          ExotelRequestError,
        );
        await hooks.client.app('support').settings.registerWebhooks('https://hooks.example.test/base/');
        const written = await hooks.client.app('support').settings.get('missedCall');
        expect(written.Value).toMatch(
          /^https:\/\/hooks\.example\.test\/base\/hooks\/exotel\/[\w-]{32}\/missedCall$/,
        );
        expect(world.fake.requestsTo('POST /app_setting')).toHaveLength(4);
        const secretOf = written.Value.split('/').at(-2)!;
        // The fake's records (what a test might snapshot) mask the secret URLs.
        expect(JSON.stringify(world.fake.requests)).not.toContain(secretOf);
        expect(world.fake.knownSecrets()).toContain(written.Value);
        // A failed write must not carry the secret URL out in the error: neither from the request (the body
        // is not kept) nor from Exotel's error text quoting it back.
        world.fake.fault('POST /app_setting', { status: 500 });
        world.fake.fault('POST /app_setting', {
          status: 400,
          body: JSON.stringify({
            RequestId: 'r-1',
            Status: 'Failed',
            Code: 400,
            Error: `bad Value ${written.Value}`,
          }),
        });
        for (let attempt = 0; attempt < 2; attempt++) {
          const failure = await hooks.client.settings
            .registerWebhooks('https://hooks.example.test')
            .catch((error: unknown) => error);
          expect(failure).toBeInstanceOf(Error);
          expect(JSON.stringify(failure) + inspect(failure, { depth: 10 }) + String(failure)).not.toContain(
            secretOf,
          );
        }
      } finally {
        await hooks.app.close();
      }
    } finally {
      await app.close();
      await world.fake.stop();
    }
  });
});
