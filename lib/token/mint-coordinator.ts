import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { StoredToken } from '../store/token-store.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { ExotelUnavailableError } from '../errors/exotel.error.js';
import type { CredentialSlot, ObtainedToken } from './credential-slot.js';
import { TokenMinter } from './token-minter.js';

export interface ObtainRequest {
  signal?: AbortSignal;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Decides between adopting a token from the store and minting one. With a shared store only the
 * lease holder mints; the others wait for its write and adopt it. Any store failure degrades to a
 * local mint, logged once per outage, so Redis trouble never becomes an Exotel outage.
 */
@Injectable()
export class MintCoordinator {
  private storeDown = false;
  private readonly limit: MintLimit;

  constructor(
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
    private readonly minter: TokenMinter,
    private readonly policy: RefreshPolicy,
  ) {
    this.limit = new MintLimit(options.maxConcurrentMints);
  }

  /** Credentials holding a minting permit now: never more than `maxConcurrentMints`. */
  get mintsInFlight(): number {
    return this.limit.active;
  }

  /**
   * A token for the slot. Adopting a stored token needs nothing more; anything that may mint first
   * takes one of `maxConcurrentMints` permits, shared by all credentials, and keeps it through the
   * lease and the mint. Taken before the lease, a permit's queueing time never eats the lease.
   */
  async obtain(slot: CredentialSlot, request: ObtainRequest): Promise<ObtainedToken> {
    const first = await this.safe(() => this.options.store.read(slot.storeKey));
    if (first.ok && this.adoptable(slot, first.value)) return { ...first.value!, adopted: true };
    await this.limit.acquire(request.signal, slot.config.label);
    try {
      return first.ok ? await this.mintOrAdopt(slot, request, first.value) : await this.mint(slot, request);
    } finally {
      this.limit.release();
    }
  }

  private async mintOrAdopt(
    slot: CredentialSlot,
    request: ObtainRequest,
    first: StoredToken | undefined,
  ): Promise<ObtainedToken> {
    try {
      return await this.coordinate(slot, request, first);
    } catch (error) {
      // Minting failed, but the store holds a token that is due for refresh yet still valid and newer
      // than ours (a replica booting during an Exotel outage): serve it rather than nothing. The next
      // refresh attempt is planned right away and its failures are reported as usual.
      const fallback = first;
      if (fallback && this.usable(slot, fallback) && Date.now() < fallback.expiresAt) {
        return { ...fallback, adopted: true };
      }
      throw error;
    }
  }

  private async coordinate(
    slot: CredentialSlot,
    request: ObtainRequest,
    first: StoredToken | undefined,
  ): Promise<ObtainedToken> {
    const store = this.options.store;
    const key = slot.storeKey;

    // Wait only for records newer than any we have seen: waiting for one newer than our own token
    // returns a stored record we just declined (refused or due) at once, and the loop would spin.
    let seen = Math.max(slot.held?.expiresAt ?? 0, first?.expiresAt ?? 0);
    const owner = randomUUID();
    const leaseTtl = this.options.leaseTtlMs;
    const deadline = Date.now() + 2 * leaseTtl;
    for (;;) {
      const lease = await this.safe(() => store.acquireLease(key, owner, leaseTtl));
      if (!lease.ok) return this.mint(slot, request);
      if (lease.value) {
        try {
          // Double check: the previous holder may have written just before we took the lease.
          const again = await this.safe(() => store.read(key));
          if (again.ok && this.adoptable(slot, again.value)) return { ...again.value!, adopted: true };
          return await this.mint(slot, request);
        } finally {
          await this.safe(() => store.releaseLease(key, owner));
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.mint(slot, request);
      const waited = await this.safe(() => store.waitForNewer(key, seen, Math.min(remaining, leaseTtl)));
      if (!waited.ok) return this.mint(slot, request);
      if (this.adoptable(slot, waited.value)) return { ...waited.value!, adopted: true };
      seen = Math.max(seen, waited.value?.expiresAt ?? 0);
      // The holder gave up or died: its lease expires and the next loop can take it.
    }
  }

  private async mint(slot: CredentialSlot, request: ObtainRequest): Promise<ObtainedToken> {
    const issuedAt = Date.now();
    const { token, requestId } = await this.minter.mint(slot.config, request.signal);
    const held = slot.held;
    // Judged at reply time, once, here: Exotel re-sent the token we hold and it is still valid, so this
    // is not a new lifetime and there is nothing new to share.
    if (held && held.token.reveal() === token && Date.now() < held.expiresAt) {
      return {
        token,
        issuedAt: held.issuedAt,
        expiresAt: held.expiresAt,
        adopted: false,
        sameToken: true,
        requestId,
      };
    }
    const record: StoredToken = { token, issuedAt, expiresAt: issuedAt + this.options.tokenTtlMs };
    await this.safe(() => this.options.store.writeIfNewer(slot.storeKey, record));
    return { ...record, adopted: false, requestId };
  }

  /** A stored record is worth adopting when it is usable and not yet due for refresh. */
  private adoptable(slot: CredentialSlot, record: StoredToken | undefined): boolean {
    return record !== undefined && this.usable(slot, record) && !this.policy.isDue(record, Date.now());
  }

  /** Newer than the token held, not the one held, and not refused downstream (read at each decision). */
  private usable(slot: CredentialSlot, record: StoredToken): boolean {
    if (typeof record.token !== 'string' || record.token === slot.refusedToken) return false;
    if (slot.held && record.token === slot.held.token.reveal()) return false;
    return record.expiresAt > (slot.held?.expiresAt ?? 0);
  }

  private async safe<T>(op: () => Promise<T>): Promise<Outcome<T>> {
    try {
      const value = await op();
      if (this.storeDown) {
        this.storeDown = false;
        this.options.logger.log('Token store reachable again; sharing tokens across replicas resumes');
      }
      return { ok: true, value };
    } catch (error) {
      if (!this.storeDown) {
        this.storeDown = true;
        const why = error instanceof Error ? error.name : 'error';
        this.options.logger.warn(
          `Token store unavailable (${why}); serving cached tokens and minting locally until it is back`,
        );
      }
      return { ok: false };
    }
  }
}

/**
 * A counting semaphore. A released place passes straight to the next waiter, so a caller arriving
 * between a release and the waiter's wake-up cannot take it and push the count over the limit.
 */
class MintLimit {
  active = 0;
  private readonly waiters: Array<{ grant: () => void; fail: () => void; signal?: AbortSignal }> = [];
  /** One abort listener per signal, not per waiter: 10,000 queued mints share the module's signal. */
  private readonly watched = new WeakSet<AbortSignal>();

  constructor(private readonly max: number) {}

  acquire(signal: AbortSignal | undefined, label: string): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled(label));
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    if (signal && !this.watched.has(signal)) {
      this.watched.add(signal);
      signal.addEventListener('abort', () => this.abandon(signal), { once: true });
    }
    return new Promise<void>((grant, reject) => {
      this.waiters.push({ grant, fail: () => reject(cancelled(label)), signal });
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.active--;
  }

  private abandon(signal: AbortSignal): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].signal !== signal) continue;
      this.waiters.splice(i, 1)[0].fail();
    }
  }
}

function cancelled(label: string): ExotelUnavailableError {
  return new ExotelUnavailableError(`POST /token (${label}) was cancelled; the module is shutting down`, {
    code: 'ERR_CANCELED',
    credential: label,
    operation: 'POST /token',
    phase: 'mint',
  });
}
