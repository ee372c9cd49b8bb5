import { inspect } from 'node:util';

/**
 * A token as kept in a store. Times are absolute epoch milliseconds.
 * @publicApi
 */
export interface StoredToken {
  token: string;
  /** When the mint request that produced the token was sent. */
  issuedAt: number;
  /** `issuedAt + tokenTtlMs`; a record with a later `expiresAt` is newer. */
  expiresAt: number;
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
  /** Takes the minting lease for `key` for `ttlMs` when nobody holds it; true when taken. */
  abstract acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease only when `owner` still holds it. */
  abstract releaseLease(key: string, owner: string): Promise<void>;
  /**
   * Resolves with the record once one newer than `after` (by expiresAt) is stored, or with undefined
   * after `timeoutMs`. It may also resolve undefined early, when the lease is released or gone without
   * a newer write (the caller then tries to take the lease itself). The default polls `read`; stores
   * with notifications may do better.
   */
  async waitForNewer(key: string, after: number, timeoutMs: number): Promise<StoredToken | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.read(key);
      if (record && record.expiresAt > after) return record;
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

/** Duck-typed check used by options validation (a subclass from another copy of the package still counts). */
export function isTokenStore(value: unknown): value is TokenStore {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['read', 'writeIfNewer', 'acquireLease', 'releaseLease', 'waitForNewer', 'close'].every(
    (m) => typeof v[m] === 'function',
  );
}
