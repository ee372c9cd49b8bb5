import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { StoredToken } from '../store/token-store.js';
import type { CredentialSlot } from './credential-slot.js';
import { TokenMinter } from './token-minter.js';

/** A token obtained for a slot, either minted here or adopted from the store. */
export interface ObtainedToken extends StoredToken {
  adopted: boolean;
  /** Exotel answered with the token already held, which was still valid when the reply arrived. */
  sameToken?: boolean;
  requestId?: string;
}

export interface ObtainRequest {
  /** The token last refused downstream (after a 401), read at each decision: never adopt it again. */
  rejectToken?: () => string | undefined;
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

  constructor(
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
    private readonly minter: TokenMinter,
  ) {}

  async obtain(slot: CredentialSlot, request: ObtainRequest): Promise<ObtainedToken> {
    const store = this.options.store;
    const key = slot.storeKey;
    const first = await this.safe(() => store.read(key));
    if (!first.ok) return this.mint(slot, request);
    if (this.adoptable(slot, first.value, request)) return { ...first.value!, adopted: true };
    try {
      return await this.coordinate(slot, request, first.value);
    } catch (error) {
      // Minting failed, but the store holds a token that is due for refresh yet still valid and newer
      // than ours (a replica booting during an Exotel outage): serve it rather than nothing. The next
      // refresh attempt is planned right away and its failures are reported as usual.
      const fallback = first.value;
      if (fallback && this.usable(slot, fallback, request) && Date.now() < fallback.expiresAt) {
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
    let seen = Math.max(slot.current?.expiresAt ?? 0, first?.expiresAt ?? 0);
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
          if (again.ok && this.adoptable(slot, again.value, request))
            return { ...again.value!, adopted: true };
          return await this.mint(slot, request);
        } finally {
          await this.safe(() => store.releaseLease(key, owner));
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return this.mint(slot, request);
      const waited = await this.safe(() => store.waitForNewer(key, seen, Math.min(remaining, leaseTtl)));
      if (!waited.ok) return this.mint(slot, request);
      if (this.adoptable(slot, waited.value, request)) return { ...waited.value!, adopted: true };
      seen = Math.max(seen, waited.value?.expiresAt ?? 0);
      // The holder gave up or died: its lease expires and the next loop can take it.
    }
  }

  private async mint(slot: CredentialSlot, request: ObtainRequest): Promise<ObtainedToken> {
    const issuedAt = Date.now();
    const { token, requestId } = await this.minter.mint(slot.config, request.signal);
    const held = slot.current;
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
  private adoptable(slot: CredentialSlot, record: StoredToken | undefined, request: ObtainRequest): boolean {
    if (!record || !this.usable(slot, record, request)) return false;
    const { refreshAtRatio, minRefreshLeadMs } = this.options;
    const due = Math.min(
      record.issuedAt + refreshAtRatio * (record.expiresAt - record.issuedAt),
      record.expiresAt - minRefreshLeadMs,
    );
    return Date.now() < due;
  }

  /** Newer than the token held, not the one held, and not refused downstream. */
  private usable(slot: CredentialSlot, record: StoredToken, request: ObtainRequest): boolean {
    if (typeof record.token !== 'string' || record.token === request.rejectToken?.()) return false;
    if (slot.current && record.token === slot.current.token.reveal()) return false;
    return record.expiresAt > (slot.current?.expiresAt ?? 0);
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
