import { Injectable, type INestApplication, type Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { ExotelWebrtcClient, ExotelWebrtcModule, type ExotelWebrtcModuleOptions } from 'nestjs-exotel-webrtc';
import {
  type ExotelCallDedupe,
  type ExotelCallEvent,
  type ExotelCallMark,
  ExotelWebhooksModule,
  type ExotelWebhooksModuleOptions,
  MemoryCallDedupe,
  OnExotelCall,
} from 'nestjs-exotel-webrtc/webhooks';
import { CaptureLogger } from '../support/capture-logger.js';

/** Records what its `@OnExotelCall` handlers receive; `failures` makes the next callback calls throw. */
@Injectable()
export class CallLog {
  readonly callbacks: ExotelCallEvent[] = [];
  readonly popups: ExotelCallEvent[] = [];
  readonly ends: ExotelCallEvent[] = [];
  /** Every call of `onCallback`, failed ones included. */
  callbackCalls = 0;
  failures = 0;
  /** When set, `onCallback` waits for it before recording. */
  gate?: Promise<void>;

  @OnExotelCall('callback')
  async onCallback(event: ExotelCallEvent): Promise<void> {
    this.callbackCalls++;
    if (this.gate) await this.gate;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('scripted handler failure');
    }
    this.callbacks.push(event);
  }

  @OnExotelCall('popup')
  onPopup(event: ExotelCallEvent): void {
    this.popups.push(event);
  }

  @OnExotelCall(['incomingCallHangup', 'missedCall'])
  onEnd(event: ExotelCallEvent): void {
    this.ends.push(event);
  }
}

/** Resolves waiters once a count reaches their number: tests wait for events, never for time. */
class Counter {
  value = 0;
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  increment(): void {
    this.value++;
    for (const waiter of this.waiters.filter((w) => w.n <= this.value)) waiter.resolve();
  }

  reached(n: number): Promise<void> {
    if (this.value >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

/** A dedupe that counts claims and releases, so a test can wait for the n-th one. */
export class CountingDedupe implements ExotelCallDedupe {
  readonly claims = new Counter();
  readonly releases = new Counter();
  constructor(private readonly inner: ExotelCallDedupe = new MemoryCallDedupe()) {}

  async claim(key: string, ttlMs: number): Promise<ExotelCallMark | undefined> {
    const mark = await this.inner.claim(key, ttlMs);
    this.claims.increment();
    return (
      mark && {
        release: async () => {
          await mark.release();
          this.releases.increment();
        },
      }
    );
  }
}

export interface WebhookApp {
  app: INestApplication;
  client: ExotelWebrtcClient;
  log: CallLog;
  logger: CaptureLogger;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** `<origin>/<path>/<secret>/<kind>`. */
  url(kind: string, secret?: string): string;
}

export const WEBHOOK_PATH = 'hooks/exotel';

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A listening Nest app with the core module, the webhooks module, {@link CallLog} and `providers`. */
export async function startWebhookApp(
  core: ExotelWebrtcModuleOptions,
  webhooks: ExotelWebhooksModuleOptions,
  providers: Provider[] = [],
): Promise<WebhookApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ExotelWebrtcModule.forRoot(core),
      ExotelWebhooksModule.forRoot({ path: WEBHOOK_PATH, ...webhooks }),
    ],
    providers: [CallLog, ...providers],
  }).compile();
  const logger = new CaptureLogger();
  const app = moduleRef.createNestApplication({ logger });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    app,
    client: app.get(ExotelWebrtcClient),
    log: app.get(CallLog),
    logger,
    origin,
    url: (kind, secret = webhooks.secret) => `${origin}/${WEBHOOK_PATH}/${secret}/${kind}`,
  };
}

/** One POST over loopback without keep-alive (no socket outlives it). */
export function post(
  url: string,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(body);
  });
}

/** A notification body as Exotel documents it. */
export function notification(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CustomerId: 'cust-1',
    AppId: 'app-1',
    CallSid: randomBytes(16).toString('hex'),
    ExotelAccountSid: 'acct',
    DialWhomNumber: '+919800000001',
    AppUserID: 'agent@example.test',
    VirtualNumber: '+918000000002',
    Direction: 'incoming',
    CallStatus: 'busy',
    CallState: 'active',
    ToNumber: '+918000000002',
    FromNumber: '+919800000003',
    TotalDuration: '',
    CallRecordings: '',
    AccountDomain: 'mumbai',
    TicketId: '',
    CallDetail: null,
    StartTime: '2026-01-05T10:00:00.000+05:30',
    EndTime: '',
    CreatedAt: '2026-01-05T10:00:00.000+05:30',
    UpdatedAt: '2026-01-05T10:00:00.000+05:30',
    ...overrides,
  };
}
