import { randomUUID } from 'node:crypto';

/** Which credential a token was minted from. */
export type FakeEntity = 'customer' | 'app';

/** What the fake remembers about one issued token. */
export interface FakeTokenRecord {
  token: string;
  id: string;
  entity: FakeEntity;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** Every token ever issued, by token and by Id. */
export class FakeTokenRegistry {
  private readonly byToken = new Map<string, FakeTokenRecord>();
  private readonly byId = new Map<string, FakeTokenRecord[]>();

  /** Issues a new opaque token: base64 of a UUID, the form of every token in Exotel's published samples. */
  mint(id: string, entity: FakeEntity, ttlMs: number, revokePrevious: boolean): FakeTokenRecord {
    if (revokePrevious) this.revoke(id);
    const issuedAt = Date.now();
    const record: FakeTokenRecord = {
      token: Buffer.from(randomUUID()).toString('base64'),
      id,
      entity,
      issuedAt,
      expiresAt: issuedAt + ttlMs,
      revoked: false,
    };
    this.byToken.set(record.token, record);
    const list = this.byId.get(id) ?? [];
    list.push(record);
    this.byId.set(id, list);
    return record;
  }

  /** The token issued last to an Id, whatever its state. */
  latest(id: string): FakeTokenRecord | undefined {
    const list = this.byId.get(id);
    return list?.[list.length - 1];
  }

  lookup(token: string): FakeTokenRecord | undefined {
    return this.byToken.get(token);
  }

  /** Issued, not revoked and not expired at `Date.now()` (so faked clocks apply). */
  isValid(token: string): boolean {
    const record = this.byToken.get(token);
    return record !== undefined && !record.revoked && Date.now() < record.expiresAt;
  }

  /** Every token ever issued, revoked and expired ones included. */
  allTokens(): string[] {
    return [...this.byToken.keys()];
  }

  tokensOf(id: string): string[] {
    return (this.byId.get(id) ?? []).map((record) => record.token);
  }

  /** Revokes every token of an Id, or every token when no Id is given. */
  revoke(id?: string): void {
    const records = id === undefined ? [...this.byToken.values()] : (this.byId.get(id) ?? []);
    for (const record of records) record.revoked = true;
  }
}
