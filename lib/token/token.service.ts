import { isolatedEvents } from '../events/isolated-events.js';
import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { type Observable, Subject } from 'rxjs';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import { ExotelAuthError, ExotelError, ExotelUnavailableError } from '../errors/exotel.error.js';
import type { ExotelCredentials, ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import { credentialLabel, printableName, requestedApp } from '../options/credential-identity.js';
import { resolveAppCredential } from '../options/resolve-options.js';
import type { CredentialConfig, ResolvedExotelOptions } from '../options/resolved-options.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { RefreshScheduler } from '../scheduling/refresh-scheduler.js';
import { ExotelTelemetry } from '../telemetry/exotel-telemetry.js';
import type { MintTrace } from '../telemetry/mint-trace.js';
import { authorizationValue } from '../wire/send.js';
import type { CredentialSlot, TokenRecord } from './credential-slot.js';
import { MintCoordinator } from './mint-coordinator.js';
import { SlotRegistry } from './slot-registry.js';
import { TokenEventLog } from './token-event-log.js';
import type { TokenEvent } from './token-event.interface.js';
import { TOKEN_STATES, type TokenStatus } from './token-status.interface.js';

/**
 * A token together with the generation it belongs to (used by the 401 handling).
 * @internal
 */
export interface TokenWithGeneration {
  token: string;
  generation: number;
}

/** Scheduler key of the idle sweep; credential keys are `customer` and `app:<name>`, so it cannot clash. */
const IDLE_SWEEP = 'sweep:idle-apps';

/**
 * Owns every managed credential's token: single-flight minting, refresh ahead of expiry, retry
 * with backoff while the current token keeps being served, apps added and removed at runtime or
 * learned from a credential source, and redacted status and events.
 * @publicApi
 */
@Injectable()
export class TokenService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly slots: SlotRegistry;
  private readonly subject = new Subject<TokenEvent>();
  private readonly log: TokenEventLog;
  private readonly abort = new AbortController();
  /** Credential-source lookups in flight, per app name: concurrent callers share one. */
  private readonly lookups = new Map<string, Promise<CredentialSlot>>();
  /** Stops the token gauges' reports (set while the module runs). */
  /** Stops the telemetry gauges reading this service's credentials; set once the module starts. */
  private unobserve: () => void = () => undefined;
  private destroyed = false;
  private storeClosed = false;

  /**
   * Token life-cycle events (minted, refreshed, adopted, refresh_failed, same_token, expired,
   * invalidated, app_added, app_removed, credentials_rotated). A subscriber that throws changes
   * nothing: its error is logged and ignored (also in anything piped from `events$`).
   */
  // A property initialiser runs after the constructor's parameter properties: `options` is set.
  readonly events$: Observable<TokenEvent> = isolatedEvents(
    this.subject,
    this.options.logger,
    'TokenService.events$',
  );

  constructor(
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
    private readonly coordinator: MintCoordinator,
    private readonly scheduler: RefreshScheduler,
    policy: RefreshPolicy,
    private readonly telemetry: ExotelTelemetry,
  ) {
    this.slots = new SlotRegistry(options, policy);
    this.log = new TokenEventLog(options, policy, this.subject, telemetry);
    // Every mint in flight listens on this signal (at most maxConcurrentMints, plus the queue's one).
    setMaxListeners(options.maxConcurrentMints + 10, this.abort.signal);
  }

  /**
   * A valid token for the credential: the default app if configured, else the customer. Served from
   * cache; mints (once, for all concurrent callers) only when no valid token is held.
   */
  getToken(entity?: ExotelEntity, app?: string): Promise<string> {
    // Not async: a cached token resolves without the extra ticks of an async function and an await.
    try {
      const held = this.recordFor(entity, app);
      return held instanceof Promise ? held.then(reveal) : Promise.resolve(held.token.reveal());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The `Authorization` header value: the raw token, or `Bearer <token>` with `authScheme: 'Bearer'`. */
  async getAuthorizationHeader(entity?: ExotelEntity, app?: string): Promise<string> {
    return authorizationValue(this.options.authScheme, await this.getToken(entity, app));
  }

  /**
   * Like `getToken`, with the generation of the token (for the interceptor's 401 handling).
   * @internal
   */
  getTokenWithGeneration(entity?: ExotelEntity, app?: string): Promise<TokenWithGeneration> {
    try {
      const held = this.recordFor(entity, app);
      return held instanceof Promise ? held.then(withGeneration) : Promise.resolve(withGeneration(held));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Mints a new token now (ignoring any backoff window), joining a mint already in flight. */
  async refresh(entity?: ExotelEntity, app?: string): Promise<string> {
    const slot = await this.slotFor(entity, app);
    this.assertAlive(slot);
    return (await (slot.join() ?? this.startMint(slot))).token.reveal();
  }

  /**
   * Drops the held token so the next call mints a new one. With `generation`, only that generation
   * is dropped: a 401 for an older token must not throw away a newer one.
   */
  invalidate(entity?: ExotelEntity, app?: string, generation?: number): void {
    const slot = this.slots.resolve(entity, app);
    const dropped = slot.invalidate(generation);
    if (!dropped) return;
    // Marked in the store too, so no replica (nor this one after a restart) adopts it again.
    this.coordinator.reject(slot, dropped.token.reveal());
    // The planned refresh or retry stays armed: it mints if nobody asks for a token before then.
    this.log.event(slot, 'invalidated', {
      generation: dropped.generation,
      fingerprint: dropped.fingerprint,
    });
  }

  /**
   * After a downstream 401 with the token of `generation`: returns a newer token if one exists
   * (no mint), otherwise drops that generation and mints once for all waiters.
   * @internal
   */
  async renewAfterUnauthorized(
    entity: ExotelEntity | undefined,
    app: string | undefined,
    generation: number,
  ): Promise<TokenWithGeneration> {
    const slot = this.slots.resolve(entity, app);
    const held = slot.valid(Date.now());
    if (!(held && held.generation > generation)) this.invalidate(entity, app, generation);
    return this.getTokenWithGeneration(entity, app);
  }

  /**
   * Generation of the valid token held for the credential, if any; never mints.
   * @internal
   */
  currentGeneration(entity?: ExotelEntity, app?: string): number | undefined {
    return this.slots.find(entity, app)?.valid(Date.now())?.generation;
  }

  /** One row per managed credential; never a token or a secret. */
  status(): TokenStatus[] {
    const now = Date.now();
    return this.slots.all().map((slot) => slot.status(now));
  }

  /** The row of one credential, or undefined when it is not managed (a credential source is not asked). */
  statusOf(entity?: ExotelEntity, app?: string): TokenStatus | undefined {
    return this.slots.find(entity, app)?.status(Date.now());
  }

  /** True when app `name` is managed now (configured, added, or already learned from the source). */
  hasApp(name: string): boolean {
    return this.slots.app(name) !== undefined;
  }

  /**
   * Manages app `name` from now on: with `eager` (the default) its first token is minted right away,
   * in the background. For a name already managed, the credentials are rotated instead: the held
   * token keeps being served and the next mint uses the new secret. Throws `ExotelConfigError`
   * (listing the problems, never the secret) for a bad name or bad credentials, and changes nothing.
   */
  addApp(name: string, credentials: ExotelCredentials): void {
    const credential = resolveAppCredential(name, credentials);
    if (this.destroyed) throw this.shutDownError(credential.label);
    const known = this.slots.app(name);
    if (known) {
      this.slots.rotate(known, credential);
      this.log.event(known, 'credentials_rotated');
      return;
    }
    this.adopt(credential, false);
  }

  /**
   * Stops managing app `name`: its refresh is cancelled, its token dropped from memory and deleted
   * from the store (for all replicas, with a shared store). Afterwards the name is unknown again
   * (unless a credential source still answers for it). Resolves without effect for an unknown name.
   */
  async removeApp(name: string): Promise<void> {
    this.lookups.delete(name);
    const slot = this.slots.app(name);
    if (!slot) return;
    slot.retire();
    this.slots.delete(slot);
    this.scheduler.cancel(slot.config.key);
    // A mint in flight would write its token to the store after the delete: let it settle first.
    await slot.inflight?.catch(() => undefined);
    this.log.event(slot, 'app_removed');
    try {
      await this.options.store.delete(slot.storeKey);
    } catch (error) {
      this.options.logger.warn(
        `Token store could not delete the record of ${slot.config.label} (${errorName(error)}); ` +
          'it is no longer served here and expires in the store',
      );
    }
  }

  /** With `eager`, mints every credential before the app starts; bad credentials fail start-up. */
  async onModuleInit(): Promise<void> {
    // Here, not in the constructor: a bootstrap that fails before this hook runs no destroy hook either,
    // and a gauge callback left on a global meter would keep this service alive.
    this.unobserve = this.telemetry.observe({ states: TOKEN_STATES, credentials: () => this.slots.all() });
    this.planIdleSweep();
    if (!this.options.eager) return;
    const slots = this.slots.all();
    const results = await Promise.allSettled(slots.map((slot) => this.startMint(slot)));
    const refused = results
      .map((r, i) => ({ r, slot: slots[i] }))
      .filter(({ r }) => r.status === 'rejected' && r.reason instanceof ExotelAuthError);
    if (refused.length) {
      // Nest does not run the destroy and shutdown hooks when init fails: release timers and the store here.
      await this.onModuleDestroy();
      await this.onApplicationShutdown();
      const names = refused.map(({ slot }) => slot.config.label).join(', ');
      const first = (refused[0].r as PromiseRejectedResult).reason as ExotelAuthError;
      throw new ExotelAuthError(`Exotel refused the ${names} credentials at start-up: ${first.message}`, {
        httpStatus: first.httpStatus,
        requestId: first.requestId,
        credential: refused[0].slot.config.label,
        operation: first.operation,
        phase: 'mint',
      });
    }
  }

  /** Stops timers and in-flight mints. The store stays open until `onApplicationShutdown`. */
  async onModuleDestroy(): Promise<void> {
    this.shutdown();
    // Aborted mints settle quickly; letting them finish first lets a fleet lease be released, not left to expire.
    await Promise.allSettled(this.slots.all().map((slot) => slot.inflight));
  }

  /**
   * Closes the store (a store never quits a client it was given). Nest runs this after every module's
   * `onModuleDestroy`: other modules may still write to the store while they shut down, e.g. the webhooks
   * module releasing the dedupe mark of a handler that failed in the background.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.storeClosed) return;
    this.storeClosed = true;
    try {
      await this.options.store.close();
    } catch {
      this.options.logger.warn('Token store did not close cleanly');
    }
  }

  private shutdown(): void {
    this.destroyed = true;
    this.abort.abort();
    this.scheduler.onModuleDestroy();
    this.unobserve();
    this.subject.complete();
  }

  private assertAlive(slot: CredentialSlot): void {
    if (this.destroyed) throw this.shutDownError(slot.config.label);
  }

  private shutDownError(label: string): ExotelUnavailableError {
    return new ExotelUnavailableError(`ExotelWebrtcModule has shut down; no token for ${label}`, {
      credential: label,
      phase: 'mint',
    });
  }

  /** The slot `(entity, app)` asks for, learning an unknown app from the credential source. */
  private slotFor(entity?: ExotelEntity, app?: string): CredentialSlot | Promise<CredentialSlot> {
    const slot = this.slots.find(entity, app);
    if (slot) return slot;
    const name = requestedApp(entity, app, this.slots.app('default') !== undefined);
    if (name === undefined || !this.options.credentialSource) throw this.slots.unknown(entity, app);
    return this.learn(name);
  }

  private recordFor(entity?: ExotelEntity, app?: string): Promise<TokenRecord> | TokenRecord {
    const slot = this.slotFor(entity, app);
    return slot instanceof Promise ? slot.then((s) => this.record(s)) : this.record(slot);
  }

  private record(slot: CredentialSlot): Promise<TokenRecord> | TokenRecord {
    this.assertAlive(slot);
    slot.used = true;
    const now = Date.now();
    const valid = slot.valid(now);
    if (valid) {
      // Timer missed (clock jump, suspended host): refresh in the background, keep serving.
      if (now >= valid.refreshAt && !slot.inflight && !slot.inBackoff(now)) this.background(slot);
      return valid;
    }
    const expired = slot.noticeExpiry(now);
    if (expired)
      this.log.event(slot, 'expired', { generation: expired.generation, expiresAt: expired.expiresAt });
    const joined = slot.join();
    if (joined) return joined;
    if (slot.inBackoff(now)) throw slot.lastError;
    return this.startMint(slot);
  }

  /** Asks the credential source for app `name`, once for all concurrent callers. */
  private learn(name: string): Promise<CredentialSlot> {
    const pending = this.lookups.get(name);
    if (pending) return pending;
    const lookup: Promise<CredentialSlot> = this.askSource(name)
      .then((credential) => {
        // Removed while the source was asked: the answer is stale.
        if (!credential || this.lookups.get(name) !== lookup) throw this.slots.unknown('app', name);
        // Another caller may have added the app while the source was asked.
        return this.slots.app(name) ?? this.adopt(credential, true);
      })
      .finally(() => {
        if (this.lookups.get(name) === lookup) this.lookups.delete(name);
      });
    this.lookups.set(name, lookup);
    return lookup;
  }

  /** The source's answer for `name`, validated; a throwing source becomes ExotelUnavailableError. */
  private async askSource(name: string): Promise<CredentialConfig | undefined> {
    const label = credentialLabel('app', printableName(name));
    let answer: ExotelCredentials | undefined;
    try {
      answer = await this.options.credentialSource!.appCredentials(name);
    } catch (error) {
      throw new ExotelUnavailableError(
        `The credential source failed to look up ${label} (${errorName(error)}); nothing was cached`,
        { credential: label, phase: 'mint' },
      );
    }
    if (answer === undefined || answer === null) return undefined;
    return resolveAppCredential(name, answer, 'credentialSource');
  }

  /** Starts managing a new app slot; with `eager`, its first token is minted in the background. */
  private adopt(credential: CredentialConfig, learned: boolean): CredentialSlot {
    const slot = this.slots.add(credential, learned);
    this.log.event(slot, 'app_added');
    // A learned app is minted by the caller that asked for it; an added one, now.
    if (!learned && this.options.eager) this.background(slot);
    return slot;
  }

  private background(slot: CredentialSlot): void {
    if (this.destroyed || slot.inflight || slot.removed) return;
    // The failure is already recorded, logged and re-planned by runMint.
    this.startMint(slot, false).catch(() => undefined);
  }

  /**
   * `waited`: the calling context waits for this mint, and its span is linked. Not so in the
   * background: a timer's context is that of whoever armed it, maybe a request long finished.
   */
  private startMint(slot: CredentialSlot, waited = true): Promise<TokenRecord> {
    const trace = this.telemetry.mintTrace();
    if (waited) trace?.waitedOn();
    return slot.track(this.runMint(slot, trace), trace);
  }

  private async runMint(slot: CredentialSlot, trace: MintTrace | undefined): Promise<TokenRecord> {
    try {
      return await this.attempt(slot, trace);
    } catch (caught) {
      let error = asExotelError(caught, slot);
      if (slot.learned && error instanceof ExotelAuthError && error.phase === 'mint') {
        // The secret may have been rotated elsewhere: ask the source once more, retry once with a new
        // answer. A source that fails now leaves the refusal as the error to report.
        if (await this.relearn(slot).catch(() => false)) {
          try {
            return await this.attempt(slot, trace);
          } catch (retried) {
            error = asExotelError(retried, slot);
          }
        }
      }
      const now = Date.now();
      const nextAttemptAt = slot.recordFailure(error, now);
      this.log.failure(slot, error, now);
      this.plan(slot, nextAttemptAt);
      throw error;
    }
  }

  private async attempt(slot: CredentialSlot, trace: MintTrace | undefined): Promise<TokenRecord> {
    const obtained = await this.coordinator.obtain(slot, { signal: this.abort.signal, trace });
    const { record, event } = slot.accept(obtained, Date.now());
    this.log.event(
      slot,
      event,
      event === 'same_token'
        ? { generation: record.generation, expiresAt: record.expiresAt, refreshAt: record.refreshAt }
        : {
            generation: record.generation,
            fingerprint: record.fingerprint,
            issuedAt: record.issuedAt,
            expiresAt: record.expiresAt,
            refreshAt: record.refreshAt,
          },
    );
    this.plan(slot, record.refreshAt);
    return record;
  }

  /** Asks the source again for a learned app; true when it answered different credentials. */
  private async relearn(slot: CredentialSlot): Promise<boolean> {
    const fresh = await this.askSource(slot.config.app!);
    const current = slot.config;
    if (!fresh || (fresh.id === current.id && fresh.secret.reveal() === current.secret.reveal()))
      return false;
    this.slots.rotate(slot, fresh);
    this.log.event(slot, 'credentials_rotated');
    return true;
  }

  private plan(slot: CredentialSlot, dueAt: number): void {
    // A mint that finishes after shutdown or after removal must not re-arm a timer.
    if (this.destroyed || slot.removed) return;
    this.scheduler.schedule(slot.config.key, dueAt, () => this.background(slot));
  }

  /**
   * With `idleAppEvictionMs`, every half of it: an app not used since the previous sweep leaves
   * memory (its timer and token; its credentials stay). Its next use adopts from the store or mints.
   */
  private planIdleSweep(): void {
    const every = this.options.idleAppEvictionMs / 2;
    if (every <= 0 || this.destroyed) return;
    this.scheduler.schedule(IDLE_SWEEP, Date.now() + every, () => {
      for (const slot of this.slots.appSlots()) {
        if (slot.used) slot.used = false;
        else if (slot.evict()) this.scheduler.cancel(slot.config.key);
      }
      this.planIdleSweep();
    });
  }
}

const reveal = (record: TokenRecord): string => record.token.reveal();
const withGeneration = (record: TokenRecord): TokenWithGeneration => ({
  token: record.token.reveal(),
  generation: record.generation,
});

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}

function asExotelError(caught: unknown, slot: CredentialSlot): ExotelError {
  if (caught instanceof ExotelError) return caught;
  return new ExotelUnavailableError(
    `Minting a token for ${slot.config.label} failed unexpectedly (${errorName(caught)})`,
    { credential: slot.config.label, phase: 'mint', operation: 'POST /token' },
  );
}
