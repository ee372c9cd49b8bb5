import { type StoredToken, TokenStore, type WriteBasis } from './token-store.js';

/**
 * In-process store: the default. Shares tokens only between module instances given the same store
 * object. Leases expire by wall clock like the Redis ones, and records are versioned and marked as
 * refused like the Redis ones, so behaviour is the same in tests.
 * @publicApi
 */
export class MemoryTokenStore extends TokenStore {
  private readonly records = new Map<string, StoredToken & { version: number }>();
  private readonly leases = new Map<string, { owner: string; until: number }>();

  async read(key: string): Promise<StoredToken | undefined> {
    const record = this.records.get(key);
    return record && { ...record };
  }

  async writeIfNewer(key: string, record: StoredToken): Promise<boolean> {
    const current = this.records.get(key);
    if (current && current.expiresAt >= record.expiresAt) return false;
    this.put(key, record);
    return true;
  }

  override async writeIfUnchanged(key: string, record: StoredToken, basis: WriteBasis): Promise<boolean> {
    if ((this.records.get(key)?.version ?? 0) !== basis.version) return false;
    this.put(key, record);
    return true;
  }

  override async reject(key: string, token: string): Promise<void> {
    const current = this.records.get(key);
    if (current?.token === token) current.rejected = true;
  }

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.leases.get(key);
    if (lease && lease.until > Date.now() && lease.owner !== owner) return false;
    this.leases.set(key, { owner, until: Date.now() + ttlMs });
    return true;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
  }

  /** Drops the record and the lease, whoever holds it. */
  override async delete(key: string): Promise<void> {
    this.records.delete(key);
    this.leases.delete(key);
  }

  /** Only the three fields of the record are kept: version and the refusal mark are the store's own. */
  private put(key: string, record: StoredToken): void {
    const { token, issuedAt, expiresAt } = record;
    const version = (this.records.get(key)?.version ?? 0) + 1;
    this.records.set(key, { token, issuedAt, expiresAt, version });
  }
}
