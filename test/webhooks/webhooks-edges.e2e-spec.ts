import { describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { type ExotelCallEvent, ExotelCallEvents, OnExotelCall } from 'nestjs-exotel-webrtc/webhooks';
import { logGuard } from '../support/log-guard-core.js';
import { startFakeWorld, worldOptions } from '../support/exotel-app.js';
import { newSecret, notification, post, startWebhookApp, type WebhookApp } from './webhook-app.js';

/** A second `callback` handler that fails its first call. */
@Injectable()
class FailsFirst {
  calls = 0;

  @OnExotelCall('callback')
  onCallback(): void {
    if (++this.calls === 1) throw new Error('scripted failure');
  }
}

/** Two different classes that share one name, as two feature modules' `CallHandlers` would. */
function namesake(): Type<{ seen: ExotelCallEvent[] }> {
  @Injectable()
  class CallHandlers {
    readonly seen: ExotelCallEvent[] = [];

    @OnExotelCall('popup')
    onPopup(event: ExotelCallEvent): void {
      this.seen.push(event);
    }
  }
  return CallHandlers;
}

/** Boots an app against a fresh fake, runs `body`, and closes everything whatever happened. */
async function withApp(
  options: { handlerTimeoutMs?: number; maxBackgroundDeliveries?: number; providers?: Type[] },
  body: (hooks: WebhookApp) => Promise<void>,
): Promise<void> {
  const secret = newSecret();
  logGuard.watch(secret);
  const world = await startFakeWorld();
  const hooks = await startWebhookApp(
    worldOptions(world),
    {
      secret,
      handlerTimeoutMs: options.handlerTimeoutMs,
      maxBackgroundDeliveries: options.maxBackgroundDeliveries,
    },
    options.providers,
  );
  try {
    await body(hooks);
  } finally {
    await hooks.app.close();
    await world.fake.stop();
  }
}

const statusOf = (answer: { body: string }) => (JSON.parse(answer.body) as { status?: string }).status;

describe('webhook delivery edge cases', () => {
  it('a failing handler answers 500 at once, without waiting for a slower handler of the same notification', async () => {
    let open!: () => void;
    await withApp({ handlerTimeoutMs: 60_000, providers: [FailsFirst] }, async (hooks) => {
      const failing = hooks.app.get(FailsFirst);
      hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
      const body = JSON.stringify(notification({ Direction: 'outbound' }));
      // The slow handler's gate is still closed, so this answer did not wait for it.
      expect((await post(hooks.url('callback'), body)).status).toBe(500);
      // The redelivery reruns the failed handler only; the slow one still holds its mark.
      const again = await post(hooks.url('callback'), body);
      expect([again.status, statusOf(again)]).toEqual([200, 'handled']);
      expect(failing.calls).toBe(2);
      expect(hooks.log.callbackCalls).toBe(1);
      open();
    });
  });

  it('app.close() stops waiting for a background handler that never settles', async () => {
    let open!: () => void;
    await withApp({ handlerTimeoutMs: 1 }, async (hooks) => {
      hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
      const body = JSON.stringify(notification({ Direction: 'outbound' }));
      expect(statusOf(await post(hooks.url('callback'), body))).toBe('accepted');
      // The gate is still closed: close() gave up on the handler instead of waiting for it.
      await hooks.app.close();
      expect(hooks.logger.at('warn').some((line) => line.includes('still running at shutdown'))).toBe(true);
      expect(hooks.log.callbacks).toHaveLength(0);
    });
    open();
  });

  it('past maxBackgroundDeliveries a new notification gets 503 and runs nothing; later, its retry is handled', async () => {
    let open!: () => void;
    await withApp({ handlerTimeoutMs: 1, maxBackgroundDeliveries: 2 }, async (hooks) => {
      hooks.log.gate = new Promise<void>((resolve) => (open = resolve));
      const send = (body: string) => post(hooks.url('callback'), body);
      const bodies = [1, 2, 3].map(() => JSON.stringify(notification({ Direction: 'outbound' })));
      // The gate holds the first two in the background; the third finds no room.
      expect(statusOf(await send(bodies[0]!))).toBe('accepted');
      expect(statusOf(await send(bodies[1]!))).toBe('accepted');
      const refused = await send(bodies[2]!);
      expect(refused.status).toBe(503);
      expect(hooks.log.callbackCalls).toBe(2);
      open();
      await hooks.log.gate;
      hooks.log.gate = undefined;
      // Room again once the background drains (each background delivery settles before the next send).
      for (let turn = 0; turn < 100 && hooks.log.callbacks.length < 2; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const retried = await send(bodies[2]!);
      expect([retried.status, statusOf(retried)]).toEqual([200, 'handled']);
      expect(hooks.log.callbacks).toHaveLength(3);
    });
  });

  it('an events$ subscriber that throws is logged and skipped: the handlers still run and the answer is 200', async () => {
    await withApp({}, async (hooks) => {
      const seen: string[] = [];
      hooks.app.get(ExotelCallEvents).events$.subscribe(() => {
        throw new Error('a subscriber bug');
      });
      hooks.app.get(ExotelCallEvents).events$.subscribe((event) => seen.push(event.callSid));
      const answer = await post(
        hooks.url('callback'),
        JSON.stringify(notification({ Direction: 'outbound' })),
      );
      expect([answer.status, statusOf(answer)]).toEqual([200, 'handled']);
      expect(hooks.log.callbacks).toHaveLength(1);
      expect(seen).toEqual([hooks.log.callbacks[0]!.callSid]);
      expect(
        hooks.logger.lines.some((l) => l.level === 'warn' && l.text.includes('ExotelCallEvents.events$')),
      ).toBe(true);
    });
  });

  it('handlers of two classes with one name both run, each once', async () => {
    const [First, Second] = [namesake(), namesake()];
    await withApp({ providers: [First, Second] }, async (hooks) => {
      const body = JSON.stringify(notification());
      expect(statusOf(await post(hooks.url('popup'), body))).toBe('handled');
      expect(statusOf(await post(hooks.url('popup'), body))).toBe('duplicate');
      expect(hooks.app.get(First).seen).toHaveLength(1);
      expect(hooks.app.get(Second).seen).toHaveLength(1);
    });
  });

  it('a deeply nested body within the size cap gets 400, not a 500; a chunked body over the cap 413', async () => {
    await withApp({}, async (hooks) => {
      const depth = 20_000;
      const deep = `{"CallSid":"deep-1","CallDetail":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const json: Record<string, string> = { 'content-type': 'application/json' };
      const chunked = { ...json, 'transfer-encoding': 'chunked' };
      for (const headers of [json, chunked]) {
        const answer = await post(hooks.url('callback'), deep, headers);
        expect(answer.status).toBe(400);
        expect((JSON.parse(answer.body) as { problems: string[] }).problems).toEqual([
          expect.stringMatching(/^body: nested deeper than \d+ levels$/),
        ]);
      }
      const big = JSON.stringify(notification({ CallDetail: 'x'.repeat(70 * 1024) }));
      expect((await post(hooks.url('callback'), big, chunked)).status).toBe(413);
      expect(hooks.log.callbackCalls).toBe(0);
      expect(hooks.logger.at('error')).toEqual([]);
    });
  });
});
