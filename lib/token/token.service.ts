import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { EXOTEL_WEBRTC_RANDOM, EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import { ExotelAuthError } from '../errors/exotel-auth.error.js';
import { ExotelUnavailableError } from '../errors/exotel-unavailable.error.js';
import { ExotelError } from '../errors/exotel.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { RefreshScheduler } from '../scheduling/refresh-scheduler.js';
import { retryDelay } from '../scheduling/retry-delay.js';
import type { CredentialSlot, TokenRecord } from './credential-slot.js';
import { MintCoordinator, type ObtainRequest } from './mint-coordinator.js';
import { SlotRegistry } from './slot-registry.js';
import { statusRow } from './status-row.js';
import { TokenEventLog } from './token-event-log.js';
import type { TokenEvent } from './token-event.interface.js';
import type { TokenStatus } from './token-status.interface.js';
import { acceptToken } from './accept-token.js';

/** A token together with the generation it belongs to (used by the 401 handling). */
export interface TokenWithGeneration {
  token: string;
  generation: number;
}

/**
 * Owns every configured credential's token: single-flight minting, refresh ahead of expiry, retry
 * with backoff while the current token keeps being served, and redacted status and events.
 * @publicApi
 */
@Injectable()
export class TokenService implements OnModuleInit, OnModuleDestroy {
  private readonly slots: SlotRegistry;
  private readonly subject = new Subject<TokenEvent>();
  private readonly log: TokenEventLog;
  private readonly abort = new AbortController();
  /** Last token refused downstream, per slot: never adopted from the store again. */
  private readonly rejected = new WeakMap<CredentialSlot, string>();
  private destroyed = false;

  /** Token life-cycle events (minted, refreshed, adopted, refresh_failed, same_token, expired, invalidated). */
  readonly events$: Observable<TokenEvent> = this.subject.asObservable();

  constructor(
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
    private readonly coordinator: MintCoordinator,
    private readonly scheduler: RefreshScheduler,
    @Inject(EXOTEL_WEBRTC_RANDOM) private readonly random: () => number,
  ) {
    this.slots = new SlotRegistry(options);
    this.log = new TokenEventLog(options, this.subject);
  }

  /**
   * A valid token for the credential: the default app if configured, else the customer. Served from
   * cache; mints (once, for all concurrent callers) only when no valid token is held.
   */
  getToken(entity?: ExotelEntity, app?: string): Promise<string> {
    // Not async: a cached token resolves without the extra ticks of an async function and an await.
    try {
      const held = this.record(this.slots.resolve(entity, app));
      return held instanceof Promise ? held.then(reveal) : Promise.resolve(held.token.reveal());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The `Authorization` header value: the raw token, or `Bearer <token>` with `authScheme: 'Bearer'`. */
  async getAuthorizationHeader(entity?: ExotelEntity, app?: string): Promise<string> {
    const token = await this.getToken(entity, app);
    return this.options.authScheme === 'Bearer' ? `Bearer ${token}` : token;
  }

  /** Like `getToken`, with the generation of the token (for callers that handle 401s). */
  getTokenWithGeneration(entity?: ExotelEntity, app?: string): Promise<TokenWithGeneration> {
    try {
      const held = this.record(this.slots.resolve(entity, app));
      return held instanceof Promise ? held.then(withGeneration) : Promise.resolve(withGeneration(held));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Mints a new token now (ignoring any backoff window), joining a mint already in flight. */
  async refresh(entity?: ExotelEntity, app?: string): Promise<string> {
    const slot = this.slots.resolve(entity, app);
    this.assertAlive(slot);
    return (await (slot.inflight ?? this.startMint(slot, {}))).token.reveal();
  }

  /**
   * Drops the held token so the next call mints a new one. With `generation`, only that generation
   * is dropped: a 401 for an older token must not throw away a newer one.
   */
  invalidate(entity?: ExotelEntity, app?: string, generation?: number): void {
    const slot = this.slots.resolve(entity, app);
    if (!slot.current || (generation !== undefined && slot.current.generation !== generation)) return;
    const dropped = slot.current;
    slot.current = undefined;
    this.rejected.set(slot, dropped.token.reveal());
    // The planned refresh or retry stays armed: it mints if nobody asks for a token before then.
    this.log.event(slot, 'invalidated', { generation: dropped.generation, fingerprint: dropped.fingerprint });
  }

  /**
   * After a downstream 401 with the token of `generation`: returns a newer token if one exists
   * (no mint), otherwise drops that generation and mints once for all waiters.
   */
  async renewAfterUnauthorized(
    entity: ExotelEntity | undefined,
    app: string | undefined,
    generation: number,
  ): Promise<TokenWithGeneration> {
    const slot = this.slots.resolve(entity, app);
    const now = Date.now();
    const held = slot.valid(now);
    if (!(held && held.generation > generation)) this.invalidate(entity, app, generation);
    return this.getTokenWithGeneration(entity, app);
  }

  /** Generation of the valid token held for the credential, if any; never mints. */
  currentGeneration(entity?: ExotelEntity, app?: string): number | undefined {
    return this.slots.resolve(entity, app).valid(Date.now())?.generation;
  }

  /** One row per credential; never a token or a secret. */
  status(): TokenStatus[] {
    const now = Date.now();
    return this.slots.all().map((slot) => statusRow(slot, now));
  }

  /** With `eager`, mints every credential before the app starts; bad credentials fail start-up. */
  async onModuleInit(): Promise<void> {
    if (!this.options.eager) return;
    const results = await Promise.allSettled(this.slots.all().map((slot) => this.startMint(slot, {})));
    const refused = results
      .map((r, i) => ({ r, slot: this.slots.all()[i] }))
      .filter(({ r }) => r.status === 'rejected' && r.reason instanceof ExotelAuthError);
    if (refused.length) {
      // Nest does not run onModuleDestroy when init fails: release timers and store connections here.
      await this.onModuleDestroy();
      const names = refused.map(({ slot }) => slot.config.label).join(', ');
      const first = (refused[0].r as PromiseRejectedResult).reason as ExotelAuthError;
      throw new ExotelAuthError(`Exotel refused the ${names} credentials at start-up: ${first.message}`, {
        httpStatus: first.httpStatus,
        requestId: first.requestId,
        credential: refused[0].slot.config.label,
      });
    }
  }

  /** Stops timers and in-flight mints, then closes the store (a store never quits a client it was given). */
  async onModuleDestroy(): Promise<void> {
    this.shutdown();
    // Aborted mints settle quickly; letting them finish first lets a fleet lease be released, not left to expire.
    await Promise.allSettled(this.slots.all().map((slot) => slot.inflight));
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
    this.subject.complete();
  }

  private assertAlive(slot: CredentialSlot): void {
    if (!this.destroyed) return;
    throw new ExotelUnavailableError(`ExotelWebrtcModule has shut down; no token for ${slot.config.label}`, {
      credential: slot.config.label,
    });
  }

  private record(slot: CredentialSlot): Promise<TokenRecord> | TokenRecord {
    this.assertAlive(slot);
    const now = Date.now();
    const valid = slot.valid(now);
    if (valid) {
      // Timer missed (clock jump, suspended host): refresh in the background, keep serving.
      if (now >= valid.refreshAt && !slot.inflight && !slot.inBackoff(now)) this.background(slot);
      return valid;
    }
    if (slot.current && !slot.expiredReported) {
      slot.expiredReported = true;
      this.log.event(slot, 'expired', {
        generation: slot.current.generation,
        expiresAt: slot.current.expiresAt,
      });
    }
    if (slot.inflight) return slot.inflight;
    if (slot.inBackoff(now)) throw slot.lastError;
    return this.startMint(slot, {});
  }

  private background(slot: CredentialSlot): void {
    if (this.destroyed || slot.inflight) return;
    // The failure is already recorded, logged and re-planned by runMint.
    this.startMint(slot, {}).catch(() => undefined);
  }

  private startMint(slot: CredentialSlot, request: ObtainRequest): Promise<TokenRecord> {
    const run = this.runMint(slot, {
      ...request,
      rejectToken: () => this.rejected.get(slot),
      signal: this.abort.signal,
    });
    const inflight = run.finally(() => {
      if (slot.inflight === inflight) slot.inflight = undefined;
    });
    inflight.catch(() => undefined);
    slot.inflight = inflight;
    return inflight;
  }

  private async runMint(slot: CredentialSlot, request: ObtainRequest): Promise<TokenRecord> {
    try {
      const obtained = await this.coordinator.obtain(slot, request);
      const record = acceptToken(slot, obtained, this.options, this.random, this.log);
      this.rejected.delete(slot);
      this.plan(slot, record.refreshAt);
      return record;
    } catch (caught) {
      const error =
        caught instanceof ExotelError
          ? caught
          : new ExotelUnavailableError(
              `Minting a token for ${slot.config.label} failed unexpectedly (${(caught as Error)?.name ?? 'error'})`,
              { credential: slot.config.label },
            );
      this.recordFailure(slot, error);
      throw error;
    }
  }

  private recordFailure(slot: CredentialSlot, error: ExotelError): void {
    const now = Date.now();
    slot.failures++;
    slot.lastError = error;
    slot.nextAttemptAt = now + retryDelay(slot.failures, error, this.options, this.random);
    this.log.failure(slot, error, now);
    this.plan(slot, slot.nextAttemptAt);
  }

  private plan(slot: CredentialSlot, dueAt: number): void {
    // A mint that finishes after shutdown must not re-arm a timer.
    if (this.destroyed) return;
    this.scheduler.schedule(slot.config.key, dueAt, () => this.background(slot));
  }
}

const reveal = (record: TokenRecord): string => record.token.reveal();
const withGeneration = (record: TokenRecord): TokenWithGeneration => ({
  token: record.token.reveal(),
  generation: record.generation,
});
