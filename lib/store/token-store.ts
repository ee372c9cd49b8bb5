import { inspect } from 'node:util';

/**
 * A token as kept in a store. Times are absolute epoch milliseconds.
 * @publicApi
 */
export interface StoredToken {
  token: string;
  /** When the mint request that produced the token was sent. */
  issuedAt: number;
  /** `issuedAt + tokenTtlMs`, by the clock of the replica that minted it. */
  expiresAt: number;
  /**
   * Set by stores that order writes themselves: increases with every write to the key (0 or absent
   * for a record written before versions existed). Replicas' clocks differ, so "newer" is decided by
   * the store's order of writes, not by `expiresAt`.
   */
  version?: number;
  /** Set by the store when `reject()` named this record's token: the token was refused downstream. */
  rejected?: boolean;
  /**
   * Set by a store that found something under the key it cannot turn into a record (another Redis
   * type, sealed under another key, does not decrypt). Such a record is never served, and the next
   * write replaces it.
   */
  problem?: string;
}

/**
 * What a write is based on: the stored record the writer read before it decided to mint.
 * @publicApi
 */
export interface WriteBasis {
  /** That record's `version`; 0 when the key held nothing (or a record without a version). */
  version: number;
  /** The writer judged that record invalid: it must be replaced, whatever its `expiresAt` says. */
  invalid?: boolean;
}

/**
 * Where tokens are kept and how replicas agree on who mints, in the style of @nestjs/throttler's
 * `ThrottlerStorage`. Keys are opaque strings derived by the library from baseUrl, entity and Id
 * (never the secret). Implementations must make `writeIfNewer` atomic and leases exclusive.
 * @publicApi
 */
export abstract class TokenStore {
  /** The stored record of a credential, or undefined. */
  abstract read(key: string): Promise<StoredToken | undefined>;
  /** Stores `record` only when no record with an equal or later `expiresAt` exists; true when written. */
  abstract writeIfNewer(key: string, record: StoredToken): Promise<boolean>;
  /**
   * Stores `record` only when the stored record is still the one the writer based its decision on
   * (`basis.version`; no record counts as version 0): a compare-and-set, so the store keeps the
   * latest mint whatever the replicas' clocks say, and a record the writer judged invalid is
   * replaced even when its `expiresAt` looks later. True when written. A store that implements it
   * gives every stored record a `version`: the record written here gets `basis.version + 1`.
   *
   * This default serves stores written before versions existed: it deletes a record the writer
   * judged invalid (when the store implements `delete`), then falls back to `writeIfNewer`.
   */
  async writeIfUnchanged(key: string, record: StoredToken, basis: WriteBasis): Promise<boolean> {
    if (basis.invalid) {
      // Without delete the invalid record stays until it expires: never served, but it blocks sharing.
      await this.delete(key).catch(() => undefined);
    }
    return this.writeIfNewer(key, record);
  }
  /**
   * Marks the stored record of `key` as refused downstream if it still holds `token`, so that no
   * replica adopts it again, after a restart too; a later write replaces the mark with its record.
   * The store never keeps the token itself for this, only the mark.
   *
   * This default does nothing: a store without it still never re-serves a refused token in the
   * replica that saw the refusal, but another replica, or this one after a restart, may adopt it.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- named for the signature subclasses override
  async reject(key: string, token: string): Promise<void> {}
  /** Takes the minting lease for `key` for `ttlMs` when nobody holds it; true when taken. */
  abstract acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease only when `owner` still holds it. */
  abstract releaseLease(key: string, owner: string): Promise<void>;
  /**
   * Resolves with the record once one newer than `after` (by expiresAt) is stored, or with undefined
   * after `timeoutMs`. With `afterVersion`, a record whose `version` is greater counts as newer
   * instead (for versioned stores: the clocks of the replicas do not decide). It may also resolve
   * undefined early, when the lease is released or gone without a newer write (the caller then tries
   * to take the lease itself). The default polls `read`; stores with notifications may do better.
   */
  async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
    afterVersion?: number,
  ): Promise<StoredToken | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.read(key);
      if (record && isNewer(record, after, afterVersion)) return record;
      if (Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.min(100, timeoutMs)).unref());
    }
  }
  /**
   * Forgets the stored record of a credential and its minting lease, so no replica adopts that
   * token any more (for a credential that is being removed). Resolves once both are gone; a key
   * with nothing stored is no error. A replica minting for the key at that moment may still write
   * its token afterwards, as a first write.
   *
   * Stores that implement it override it. This default rejects rather than resolve: a store written
   * before `delete` existed keeps compiling, and its caller learns that the token was not removed
   * instead of believing it was.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- named for the signature subclasses override
  async delete(key: string): Promise<void> {
    throw new Error(
      `${this.constructor.name} does not implement delete(key): the token store cannot remove a record`,
    );
  }
  /** Releases connections the store opened itself. Called on module destroy. */
  async close(): Promise<void> {}

  // Stores hold live tokens: printing the options (which include the store) must not show them.
  toJSON(): Record<string, string> {
    return { store: this.constructor.name };
  }

  [inspect.custom](): string {
    return `${this.constructor.name} {}`;
  }
}

/**
 * True when `record` is newer than what a waiter has seen: by the store's version when the waiter
 * knows one and the record has one, else by expiresAt.
 */
export function isNewer(record: StoredToken, after: number, afterVersion?: number): boolean {
  if (afterVersion !== undefined && record.version !== undefined) return record.version > afterVersion;
  return record.expiresAt > after;
}

/** Duck-typed check used by options validation (a subclass from another copy of the package still counts). */
export function isTokenStore(value: unknown): value is TokenStore {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['read', 'writeIfNewer', 'acquireLease', 'releaseLease', 'waitForNewer', 'close'].every(
    (m) => typeof v[m] === 'function',
  );
}
