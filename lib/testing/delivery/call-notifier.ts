import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { ExotelCallKind } from '../../options/webhook-routes.js';
import type { FakeApp } from '../model/model.js';
import { isLoopbackHost } from '../../options/validate-base-url.js';

/**
 * A scripted misbehaviour of the fake's notification sender, applied to the next notification(s).
 * @publicApi
 */
export interface FakeWebhookFault {
  /** After the answer, send the same notification once more, whatever the answer was. */
  duplicate?: boolean;
  /**
   * When no answer came within this many ms, send the same notification again without waiting for the
   * first answer, as a sender that gave up on a slow answer does (uses `setTimeout`).
   */
  resendAfterMs?: number;
}

/**
 * One POST of a notification, as the fake recorded it. The URL is not kept: it carries the
 * receiver's secret.
 * @publicApi
 */
export interface FakeWebhookDelivery {
  kind: ExotelCallKind;
  callSid: string;
  callState: string;
  /** The HTTP status of the answer; undefined when none came (see `error`). */
  status?: number;
  /** `no setting` (the app has no URL for the kind), `not loopback`, or a socket error code. */
  error?: string;
  /** `first`, `retry` (after a failed answer), `duplicate` or `resend` (scripted by a fault). */
  reason: 'first' | 'retry' | 'duplicate' | 'resend';
}

/** The notification body: the documented PascalCase call object. */
export type FakeCallPayload = Record<string, unknown> & { CallSid: string; CallState: string };

const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends call notifications to the URLs in an app's settings, like Exotel does: one notification at a
 * time per call, retried at once (up to `retries` times) when the answer is not a 2xx. Only loopback
 * URLs are called: the fake must never reach beyond the machine it runs on.
 */
export class FakeCallNotifier {
  readonly deliveries: FakeWebhookDelivery[] = [];
  private readonly faults: { fault: FakeWebhookFault; remaining: number }[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly requests = new Set<ClientRequest>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(public retries: number) {}

  fault(fault: FakeWebhookFault, times: number): void {
    if (!(times > 0) || (!Number.isInteger(times) && times !== Infinity)) {
      throw new RangeError(`FakeExotelServer: times must be a positive integer or Infinity, got ${times}`);
    }
    this.faults.push({ fault: { ...fault }, remaining: times });
  }

  clearFaults(): void {
    this.faults.splice(0);
  }

  /** Sends the notifications one after the other (each after the previous one's answer); tracked until done. */
  notify(app: FakeApp, notifications: readonly [ExotelCallKind, FakeCallPayload][]): Promise<void> {
    const run = (async () => {
      for (const [kind, payload] of notifications) await this.send(app, kind, payload);
    })();
    const tracked = run.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return tracked;
  }

  /** Resolves once no notification is being sent (including ones started while waiting). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Aborts everything in flight; nothing is sent afterwards. */
  stop(): void {
    this.stopped = true;
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    this.requests.forEach((req) => req.destroy());
    this.requests.clear();
  }

  private async send(app: FakeApp, kind: ExotelCallKind, payload: FakeCallPayload): Promise<void> {
    const record = (reason: FakeWebhookDelivery['reason'], status?: number, error?: string) =>
      this.deliveries.push({
        kind,
        callSid: payload.CallSid,
        callState: payload.CallState,
        status,
        error,
        reason,
      });
    const url = app.settings.get(kind);
    if (!url) return void record('first', undefined, 'no setting');
    const target = loopbackUrl(url);
    if (!target) return void record('first', undefined, 'not loopback');
    const body = JSON.stringify(payload);
    const fault = this.takeFault();
    const attempt = async (reason: FakeWebhookDelivery['reason']): Promise<boolean> => {
      const answer = await this.post(target, body);
      record(reason, answer.status, answer.error);
      return answer.status !== undefined && answer.status >= 200 && answer.status < 300;
    };
    let ok = await (fault?.resendAfterMs !== undefined
      ? this.withResend(
          fault.resendAfterMs,
          () => attempt('first'),
          () => attempt('resend'),
        )
      : attempt('first'));
    for (let retry = 0; !ok && retry < this.retries && !this.stopped; retry++) ok = await attempt('retry');
    if (fault?.duplicate && !this.stopped) await attempt('duplicate');
  }

  /** Runs `first`; if it has not finished after `ms`, runs `again` too. True if either succeeded. */
  private async withResend(
    ms: number,
    first: () => Promise<boolean>,
    again: () => Promise<boolean>,
  ): Promise<boolean> {
    let resent: Promise<boolean> | undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) resent = again();
    }, ms);
    this.timers.add(timer);
    const ok = await first();
    clearTimeout(timer);
    this.timers.delete(timer);
    return (await resent) || ok;
  }

  private takeFault(): FakeWebhookFault | undefined {
    const entry = this.faults[0];
    if (!entry) return undefined;
    if (--entry.remaining <= 0) this.faults.shift();
    return entry.fault;
  }

  private post(url: URL, body: string): Promise<{ status?: number; error?: string }> {
    if (this.stopped) return Promise.resolve({ error: 'stopped' });
    return new Promise((resolve) => {
      const req = request(url, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      this.requests.add(req);
      const done = (answer: { status?: number; error?: string }) => {
        this.requests.delete(req);
        resolve(answer);
      };
      req.setTimeout(ANSWER_TIMEOUT_MS, () =>
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      );
      req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? 'error' }));
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode }));
        res.on('error', () => done({ status: res.statusCode }));
      });
      req.end(body);
    });
  }
}

/** The URL when it is http(s) to a loopback host, else undefined. */
function loopbackUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? url : undefined;
}
