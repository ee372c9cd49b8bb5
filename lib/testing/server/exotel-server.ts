import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FakeCallNotifier,
  type FakeWebhookDelivery,
  type FakeWebhookFault,
} from '../delivery/call-notifier.js';
import { type FakeInboundCallInput, inboundNotifications, newCallSid } from '../delivery/call-payloads.js';
import { applyFault, FaultQueue, type FakeFault } from '../faults/faults.js';
import { sendFailure } from '../http/envelope.js';
import type { FakeCorsOptions } from '../http/cors.js';
import { BASE_PATH, readExchange, type FakeExchange } from '../http/exchange.js';
import { FAKE_HOST, FakeHttpHost } from '../http/host.js';
import type { FakeRoute } from '../http/route-pattern.js';
import { FakeModel, type FakeAppInput, type FakeCustomerInput } from '../model/model.js';
import { seedModel } from '../model/seed.js';
import { FakeTokenRegistry } from '../model/tokens.js';
import { FakeRecorder, type RecordedRequest } from '../records/recorder.js';
import { FakeSecretLog } from '../records/secret-log.js';
import { dispatch, resolveRoute } from '../routes/dispatch.js';
import type { FakeState } from '../routes/state.js';
import { postToken, tokenRequestId } from '../routes/token.js';

/** Options for {@link FakeExotelServer}. Every field is optional; the defaults imitate the real service. */
export interface FakeExotelServerOptions {
  /**
   * Lifetime of a minted token in ms. Default 90 days (the documented lifetime).
   * Expiry is checked against `Date.now()`, so Jest fake timers that fake `Date` move tokens towards expiry.
   */
  tokenTtlMs?: number;
  /**
   * Default `false`: `Authorization: Bearer <token>` is rejected with 401, as all evidence says the real
   * service only takes the raw token. `true` accepts both the raw and the Bearer form.
   */
  acceptBearer?: boolean;
  /** Default `false`. When `true`, a new mint for an Id revokes every earlier token of that Id. */
  revokeOnMint?: boolean;
  /** Port to listen on. Default `0` (an ephemeral port). The host is always 127.0.0.1. */
  port?: number;
  /**
   * Default `false`. When `true`, the server starts with a fixed customer, app and one app setting
   * (see `FAKE_SEED`), so a sample app can run against it with no set-up.
   */
  seed?: boolean;
  /**
   * How many times a call notification is sent again, at once, after an answer that is not a 2xx or no
   * answer at all (default 2; Exotel's own schedule is undocumented). 0 sends each notification once.
   */
  webhookRetries?: number;
  /**
   * Default off (no CORS headers, so a browser page on another origin cannot call the fake). Set it to let
   * a page (e.g. one running Exotel's browser SDK) call the fake from the given origins: preflights are
   * answered with 204 and not recorded; the other requests get `Access-Control-Allow-Origin`.
   */
  cors?: FakeCorsOptions;
}

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * A local imitation of Exotel's integrations API (`/v2/integrations`) on a real loopback HTTP server:
 * token minting, the flat downstream routes, token expiry/revocation and scripted faults.
 */
export class FakeExotelServer {
  private readonly state: FakeState;
  private readonly faults = new FaultQueue();
  private readonly secrets = new FakeSecretLog();
  private readonly host: FakeHttpHost;
  private readonly port: number;

  constructor(options: FakeExotelServerOptions = {}) {
    this.host = new FakeHttpHost((req, res) => void this.handle(req, res), options.cors);
    this.port = options.port ?? 0;
    this.state = {
      model: new FakeModel(),
      tokens: new FakeTokenRegistry(),
      recorder: new FakeRecorder(),
      notifier: new FakeCallNotifier(options.webhookRetries ?? 2),
      config: {
        tokenTtlMs: options.tokenTtlMs ?? NINETY_DAYS_MS,
        acceptBearer: options.acceptBearer ?? false,
        revokeOnMint: options.revokeOnMint ?? false,
      },
    };
    if (options.seed) seedModel(this.state.model);
  }

  /** Listens on 127.0.0.1 (ephemeral port unless `port` was given). Calling it again is a no-op. */
  async start(): Promise<this> {
    await this.host.start(this.port);
    return this;
  }

  /**
   * Closes the server and destroys every open socket and pending delay, and aborts call notifications
   * being sent, leaving no handles. Idempotent; no notification is sent afterwards.
   */
  stop(): Promise<void> {
    this.state.notifier.stop();
    return this.host.stop();
  }

  /** `http://127.0.0.1:<port>/v2/integrations`; throws before `start()`. */
  get baseUrl(): string {
    return `${this.origin}${BASE_PATH}`;
  }

  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  get origin(): string {
    const port = this.host.port;
    if (port === undefined)
      throw new Error('FakeExotelServer: call and await start() before reading baseUrl/origin');
    return `http://${FAKE_HOST}:${port}`;
  }

  /** Adds a customer; id and secret default to random UUIDs. */
  addCustomer(input?: FakeCustomerInput): { id: string; secret: string } {
    const { id, secret } = this.state.model.addCustomer(input);
    this.secrets.add(secret); // kept after a delete, like every value below
    return { id, secret };
  }

  /** Adds an app under an existing customer; id and secret default to random UUIDs, domain to 'mumbai'. */
  addApp(customerId: string, input?: FakeAppInput): { id: string; secret: string } {
    const { id, secret, apiToken } = this.state.model.addApp(customerId, input);
    this.secrets.add(secret);
    this.secrets.add(apiToken);
    return { id, secret };
  }

  /** Applies `fault` to the next `times` (default 1, Infinity allowed) requests matching `route`, in queue order. */
  fault(route: FakeRoute, fault: FakeFault, times = 1): this {
    this.faults.add(route, fault, times);
    return this;
  }

  /** Answers the next `times` matching requests with `302 Location: <location>`. */
  redirectTo(route: FakeRoute, location: string, times = 1): this {
    this.faults.add(route, { redirect: location }, times);
    return this;
  }

  /** Drops every queued fault and redirect, webhook faults included. */
  clearFaults(): this {
    this.faults.clear();
    this.state.notifier.clearFaults();
    return this;
  }

  /**
   * Applies `fault` to the next `times` (default 1) call notifications the fake sends: `duplicate` sends
   * one again after its answer, `resendAfterMs` sends it again when the answer is slower than that.
   */
  webhookFault(fault: FakeWebhookFault, times = 1): this {
    this.state.notifier.fault(fault, times);
    return this;
  }

  /**
   * Plays an inbound call to an app: POSTs `popup`, then `incomingCallHangup` (answered, with a
   * recording URL) or `missedCall`, to the URLs in the app's settings, each after the previous answer.
   * Resolves with the call's CallSid once both were delivered (or given up on).
   */
  async simulateInboundCall(input: FakeInboundCallInput): Promise<{ callSid: string }> {
    const app = this.state.model.apps.get(input.appId);
    if (!app) throw new Error(`FakeExotelServer: unknown app '${input.appId}'`);
    const callSid = newCallSid();
    await this.state.notifier.notify(app, inboundNotifications(app, input, callSid));
    return { callSid };
  }

  /** Every POST of a call notification, in order (URLs are not kept: they carry the receiver's secret). */
  get webhookDeliveries(): FakeWebhookDelivery[] {
    return [...this.state.notifier.deliveries];
  }

  /** Resolves once no call notification is being sent, e.g. after `client.calls.outbound()`. */
  webhooksSettled(): Promise<void> {
    return this.state.notifier.settled();
  }

  /** Every request received, in order, with secrets and tokens masked. */
  get requests(): RecordedRequest[] {
    return this.state.recorder.requests;
  }

  /** Recorded requests matching a route ('POST /token', 'GET /app?entity=customer', '*'). */
  requestsTo(route: FakeRoute): RecordedRequest[] {
    return this.state.recorder.requestsTo(route);
  }

  /** Successful mints (a new token issued) for an Id, or in total. */
  mintCount(id?: string): number {
    return this.state.recorder.mintCount(id);
  }

  /** Every `POST /token` request received for an Id (faulted and refused ones included), or in total. */
  mintAttempts(id?: string): number {
    return this.state.recorder.mintAttempts(id);
  }

  /**
   * `POST /token` requests received whose reply has not finished yet, for any Id: the time a `delayMs` fault
   * holds a reply counts, and a request leaves the count once answered, reset or abandoned by the client.
   */
  get mintAttemptsInFlight(): number {
    return this.state.recorder.mintAttemptsInFlight;
  }

  /**
   * The largest {@link mintAttemptsInFlight} seen since the server was created or since `resetRecords()`;
   * 1 means no two `POST /token` requests ever overlapped.
   */
  get maxMintAttemptsInFlight(): number {
    return this.state.recorder.maxMintAttemptsInFlight;
  }

  /** Tokens issued to an Id, oldest first. */
  tokensOf(id: string): string[] {
    return this.state.tokens.tokensOf(id);
  }

  /** True when the token was issued, is not revoked and has not expired at `Date.now()`. */
  isTokenValid(token: string): boolean {
    return this.state.tokens.isValid(token);
  }

  /** Revokes every token of an Id (or every token) now; later use answers 401. */
  revokeTokens(id?: string): void {
    this.state.tokens.revoke(id);
  }

  /** When on, each new mint for an Id revokes that Id's earlier tokens. */
  setRevokeOnMint(on: boolean): void {
    this.state.config.revokeOnMint = on;
  }

  /** When on, `Authorization: Bearer <token>` is accepted as well as the raw token. */
  setAcceptBearer(on: boolean): void {
    this.state.config.acceptBearer = on;
  }

  /** Lifetime of tokens minted from now on; tokens already issued keep theirs. */
  setTokenTtlMs(ms: number): void {
    this.state.config.tokenTtlMs = ms;
  }

  /**
   * Test aid: every secret and token this fake knows (customer and app secrets, API tokens, SIP secrets,
   * every issued token, and every secret-named value a client sent, wrong ones included), so a suite can
   * assert that none of them ever reached a log line. Never print what it returns.
   */
  knownSecrets(): string[] {
    return this.secrets.list(this.state.model, this.state.tokens);
  }

  /**
   * Clears recorded requests and mint counters; tokens, model and faults stay. Requests still in flight stay
   * counted, and {@link maxMintAttemptsInFlight} restarts from their number.
   */
  resetRecords(): void {
    this.state.recorder.reset();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ex: FakeExchange | undefined;
    try {
      ex = await readExchange(req, res);
      this.state.recorder.record(ex);
      this.secrets.collect(ex.body);
      // Counted before faults so a refused or faulted mint still shows up as an attempt, and a delayed one
      // as in flight while the delay holds it.
      if (resolveRoute(ex) === postToken) this.state.recorder.countAttempt(ex, tokenRequestId(ex));
      const fault = ex.underBase ? this.faults.take(ex) : undefined;
      if (fault && (await applyFault(ex, fault, this.host.sleep))) return;
      dispatch(ex, this.state);
    } catch {
      if (ex) sendFailure(ex, 500, 'FakeExotelServer internal error');
      else res.destroy();
    }
  }
}
