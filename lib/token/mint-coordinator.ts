import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { fingerprint } from '../redaction/fingerprint.js';
import type { StoredToken, TokenStore, WriteBasis } from '../store/token-store.js';
import type { MintTrace } from '../telemetry/mint-trace.js';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { ExotelUnavailableError } from '../errors/exotel.error.js';
import { tokenProblem } from '../wire/reply.js';
import type { CredentialSlot, ObtainedToken } from './credential-slot.js';
import { TokenMinter } from './token-minter.js';

export interface ObtainRequest {
  signal?: AbortSignal;
  /** The callers waiting on this mint, for its span. */
  trace?: MintTrace;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

/**
 * How far replicas' clocks may disagree before a stored record looks wrong: a record issued more
 * than this in the future, or living more than this beyond `tokenTtlMs`, is not served.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a record read from the store must not be served, or undefined when it may be. The one rule
 * for every store (a store is shared, and anyone with access to it can write anything there): a
 * header-safe token of at most 4096 characters, finite times, issued no later than `now` plus the
 * clock skew allowed, a lifetime within `tokenTtlMs` (plus that skew), and no problem the store
 * itself reported (a value it cannot decode). Reasons never quote the record.
 */
export function storedRecordProblem(record: unknown, tokenTtlMs: number, now: number): string | undefined {
  if (record === null || typeof record !== 'object') return 'not a record';
  const { token, issuedAt, expiresAt, version, problem } = record as Partial<
    Record<keyof StoredToken, unknown>
  >;
  if (problem) {
    // The store's own words: kept short, and reduced to plain text, for the log line.
    const text = typeof problem === 'string' ? problem.replace(/[^\x20-\x7e]/g, '?').slice(0, 120) : '';
    return text ? `the store could not decode it: ${text}` : 'the store could not decode it';
  }
  if (typeof token !== 'string' || token.trim() === '') return 'no token';
  if (tokenProblem(token)) return 'a token that is not a header-safe string of at most 4096 characters';
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return 'issuedAt is not a finite number';
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return 'expiresAt is not a finite number';
  if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 0)) {
    return 'version is not a non-negative integer';
  }
  if (issuedAt > now + CLOCK_SKEW_MS) return 'issued in the future, beyond the clock skew allowed';
  if (expiresAt <= issuedAt) return 'expires before it was issued';
  if (expiresAt - issuedAt > tokenTtlMs + CLOCK_SKEW_MS) return 'a lifetime longer than tokenTtlMs';
  return undefined;
}

/** A record read from the store, judged once: `record` only when it may be served. */
interface Look {
  record?: StoredToken;
  /** What a write after this read is based on. */
  basis: WriteBasis;
  /** The version waited past (undefined for a store without versions). */
  version?: number;
  /** The latest usable expiry seen in the read, for stores without versions; 0 when none. */
  expiresAt: number;
}

/**
 * Decides between adopting a token from the store and minting one. With a shared store only the
 * lease holder mints; the others wait for its write and adopt it. Any store failure degrades to a
 * local mint, logged once per outage, so Redis trouble never becomes an Exotel outage. Every
 * record read is validated first ({@link storedRecordProblem}): an invalid one is reported once,
 * never served, and replaced by the next write. "Newer" is the store's order of writes (a version
 * the store keeps; a write is a compare-and-set on the version it was based on), so no replica's
 * clock decides which token the fleet shares.
 */
@Injectable()
export class MintCoordinator {
  private storeDown = false;
  private readonly limit: MintLimit;
  /** Per store key, the invalid record last reported: each one is reported once. */
  private readonly reported = new Map<string, string>();
  /** Store keys whose stuck lease was reported, until a lease is taken there again. */
  private readonly stuck = new Set<string>();
  /** Refusals on their way to the store, per key: the next read of that key waits for them. */
  private readonly rejecting = new Map<string, Promise<void>>();
  /** The store version of the token a slot obtained here, by the token's fingerprint. */
  private readonly versions = new WeakMap<CredentialSlot, { fingerprint: string; version: number }>();

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
    const pending = this.rejecting.get(slot.storeKey);
    if (pending) await pending;
    const first = await this.read(slot);
    if (first.ok && this.adoptable(slot, first.value.record)) return this.adopt(slot, first.value.record!);
    await this.limit.acquire(request.signal, slot.config.label);
    try {
      return first.ok ? await this.mintOrAdopt(slot, request, first.value) : await this.mint(slot, request);
    } finally {
      this.limit.release();
    }
  }

  /**
   * The token of `slot` was refused downstream: marks it so in the store, so that no replica adopts
   * it again, after a restart either. In the background; this replica's next read of the key waits
   * for it, and a store failure is handled like any other (the slot itself still remembers the refusal).
   */
  reject(slot: CredentialSlot, token: string): void {
    const key = slot.storeKey;
    const store = this.options.store;
    // A duck-typed store (one not extending TokenStore) may not have reject().
    if (typeof store.reject !== 'function') return;
    const previous = this.rejecting.get(key) ?? Promise.resolve();
    const done: Promise<void> = previous
      .then(() => this.safe(() => store.reject(key, token)))
      .then(() => {
        if (this.rejecting.get(key) === done) this.rejecting.delete(key);
      });
    this.rejecting.set(key, done);
  }

  /** The replica's clock; a test may override it to play a replica whose clock is off. */
  protected now(): number {
    return Date.now();
  }

  private async mintOrAdopt(
    slot: CredentialSlot,
    request: ObtainRequest,
    first: Look,
  ): Promise<ObtainedToken> {
    try {
      return await this.coordinate(slot, request, first);
    } catch (error) {
      // Minting failed, but the store holds a token that is due for refresh yet still valid and newer
      // than ours (a replica booting during an Exotel outage): serve it rather than nothing. The next
      // refresh attempt is planned right away and its failures are reported as usual.
      const fallback = first.record;
      if (fallback && this.usable(slot, fallback) && this.now() < fallback.expiresAt) {
        return this.adopt(slot, fallback);
      }
      throw error;
    }
  }

  private async coordinate(
    slot: CredentialSlot,
    request: ObtainRequest,
    first: Look,
  ): Promise<ObtainedToken> {
    const store = this.options.store;
    const key = slot.storeKey;

    // Wait only for records newer than any we have seen: waiting for one newer than our own token
    // returns a stored record we just declined (refused, due or invalid) at once, and the loop would
    // spin. Newer by the store's version where it keeps one, else by expiresAt.
    let seenExpiry = Math.max(slot.held?.expiresAt ?? 0, first.expiresAt);
    let seenVersion = first.version;
    let basis = first.basis;
    const owner = randomUUID();
    const leaseTtl = this.options.leaseTtlMs;
    const deadline = this.now() + 2 * leaseTtl;
    for (;;) {
      const lease = await this.safe(() => store.acquireLease(key, owner, leaseTtl));
      if (!lease.ok) return this.mint(slot, request, basis);
      if (lease.value) {
        this.stuck.delete(key);
        try {
          // Double check: the previous holder may have written just before we took the lease.
          const again = await this.read(slot);
          if (again.ok && this.adoptable(slot, again.value.record))
            return this.adopt(slot, again.value.record!);
          return await this.mint(slot, request, again.ok ? again.value.basis : basis);
        } finally {
          await this.safe(() => store.releaseLease(key, owner));
        }
      }
      const remaining = deadline - this.now();
      if (remaining <= 0) {
        this.reportStuckLease(slot);
        return this.mint(slot, request, basis);
      }
      const waited = await this.safe(() =>
        store.waitForNewer(key, seenExpiry, Math.min(remaining, leaseTtl), seenVersion),
      );
      if (!waited.ok) return this.mint(slot, request, basis);
      if (waited.value === undefined) continue; // The holder gave up or died: its lease expires and the next loop can take it.
      const look = this.judge(slot, waited.value);
      if (this.adoptable(slot, look.record)) return this.adopt(slot, look.record!);
      basis = look.basis;
      seenVersion = look.version ?? seenVersion;
      seenExpiry = Math.max(seenExpiry, look.expiresAt);
    }
  }

  private async mint(
    slot: CredentialSlot,
    request: ObtainRequest,
    basis?: WriteBasis,
  ): Promise<ObtainedToken> {
    const issuedAt = this.now();
    const { token, requestId } = await this.minter.mint(slot.config, request.signal, request.trace);
    const held = slot.held;
    // Judged at reply time, once, here: Exotel re-sent the token we hold and it is still valid, so this
    // is not a new lifetime and there is nothing new to share.
    if (held && held.token.reveal() === token && this.now() < held.expiresAt) {
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
    const written = await this.safe(() => this.write(slot.storeKey, record, basis));
    if (written.ok && basis) {
      // Written: the store's version is now one more than the basis. Refused: the store holds a
      // later write than the basis, which a later read may adopt.
      this.versions.set(slot, {
        fingerprint: fingerprint(token),
        version: basis.version + (written.value ? 1 : 0),
      });
    } else {
      this.versions.delete(slot);
    }
    return { ...record, adopted: false, requestId };
  }

  /**
   * A compare-and-set on the version the decision to mint was based on; without a basis (the store
   * could not be read) or on a store that predates versions, the older newer-only write.
   */
  private write(key: string, record: StoredToken, basis: WriteBasis | undefined): Promise<boolean> {
    const store: TokenStore = this.options.store;
    if (basis && typeof store.writeIfUnchanged === 'function')
      return store.writeIfUnchanged(key, record, basis);
    return store.writeIfNewer(key, record);
  }

  /** Reads the record of the slot and judges it. */
  private async read(slot: CredentialSlot): Promise<Outcome<Look>> {
    const read = await this.safe(() => this.options.store.read(slot.storeKey));
    return read.ok ? { ok: true, value: this.judge(slot, read.value) } : read;
  }

  /**
   * Validates a stored record. An invalid one is reported (once per key and record), never served,
   * and marked in the basis, so the next write replaces it.
   */
  private judge(slot: CredentialSlot, stored: StoredToken | undefined): Look {
    const key = slot.storeKey;
    if (stored === undefined || stored === null) {
      this.reported.delete(key);
      return { basis: { version: 0 }, version: 0, expiresAt: 0 };
    }
    const raw = stored as Partial<StoredToken>;
    const version = Number.isSafeInteger(raw.version) && raw.version! >= 0 ? raw.version : undefined;
    const basis: WriteBasis = { version: version ?? 0 };
    const problem = storedRecordProblem(stored, this.options.tokenTtlMs, this.now());
    if (problem === undefined) {
      this.reported.delete(key);
      return { record: stored, basis, version, expiresAt: stored.expiresAt };
    }
    this.reportInvalid(slot, stored, problem);
    // Its expiry still counts as seen (when it is a number), so waiting on a store without versions
    // does not return this record again at once.
    const expiresAt = typeof raw.expiresAt === 'number' && Number.isFinite(raw.expiresAt) ? raw.expiresAt : 0;
    return { basis: { ...basis, invalid: true }, version, expiresAt };
  }

  private reportInvalid(slot: CredentialSlot, stored: StoredToken, problem: string): void {
    const key = slot.storeKey;
    const raw = stored as unknown as Record<string, unknown>;
    // Names the record without holding or printing its token.
    const identity = [raw.version, problem, raw.issuedAt, raw.expiresAt, fingerprint(String(raw.token))].join(
      '|',
    );
    if (this.reported.get(key) === identity) return;
    this.reported.set(key, identity);
    this.options.logger.warn(
      `Token store holds an invalid record for ${slot.config.label} (key ${fingerprint(key)}): ${problem}; ` +
        'it is not served, and the next token minted replaces it',
    );
  }

  /** The wait for a lease holder ran out (twice leaseTtlMs) without a write or a release. */
  private reportStuckLease(slot: CredentialSlot): void {
    const key = slot.storeKey;
    if (this.stuck.has(key)) return;
    this.stuck.add(key);
    this.options.logger.warn(
      `Token store minting lease for ${slot.config.label} (key ${fingerprint(key)}) stayed taken for ` +
        `${2 * this.options.leaseTtlMs} ms without a token being written; minting without it. A lease ` +
        'with no or a very long expiry, or a value of another type at the lease key, keeps it taken',
    );
  }

  private adopt(slot: CredentialSlot, record: StoredToken): ObtainedToken {
    const { token, issuedAt, expiresAt, version } = record;
    if (version !== undefined) this.versions.set(slot, { fingerprint: fingerprint(token), version });
    else this.versions.delete(slot);
    return { token, issuedAt, expiresAt, adopted: true };
  }

  /** A stored record is worth adopting when it is valid, usable and not yet due for refresh. */
  private adoptable(slot: CredentialSlot, record: StoredToken | undefined): boolean {
    return record !== undefined && this.usable(slot, record) && !this.policy.isDue(record, this.now());
  }

  /**
   * Not refused downstream (here, or by any replica: the store's mark), not the token held, and
   * newer than it: by the store's version when both are known, else by expiresAt.
   */
  private usable(slot: CredentialSlot, record: StoredToken): boolean {
    if (record.rejected === true || slot.isRefused(record.token)) return false;
    const held = slot.held;
    if (!held) return true;
    if (record.token === held.token.reveal()) return false;
    const known = this.versions.get(slot);
    if (known && known.fingerprint === held.fingerprint && record.version !== undefined) {
      return record.version > known.version;
    }
    return record.expiresAt > held.expiresAt;
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
