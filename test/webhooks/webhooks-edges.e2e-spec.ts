import { describe, expect, it } from '@jest/globals';
import { Injectable, type Type } from '@nestjs/common';
import { type ExotelCallEvent, OnExotelCall } from 'nestjs-exotel-webrtc/webhooks';
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
  options: { handlerTimeoutMs?: number; providers?: Type[] },
  body: (hooks: WebhookApp) => Promise<void>,
): Promise<void> {
  const secret = newSecret();
  logGuard.watch(secret);
  const world = await startFakeWorld();
  const hooks = await startWebhookApp(
    worldOptions(world),
    { secret, handlerTimeoutMs: options.handlerTimeoutMs },
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
