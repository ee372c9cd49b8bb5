import type { ExotelError } from '../errors/exotel.error.js';
import type { CredentialConfig } from '../options/resolved-options.js';
import type { Redacted } from '../redaction/redacted.js';
import type { TokenState } from './token-status.interface.js';

/** A token held by the service. */
export interface TokenRecord {
  readonly token: Redacted;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Mutable: a same-token reply moves the next attempt without touching the expiry. */
  refreshAt: number;
  readonly generation: number;
  readonly fingerprint: string;
}

/** Everything the service knows about one credential. */
export class CredentialSlot {
  current?: TokenRecord;
  generation = 0;
  inflight?: Promise<TokenRecord>;
  failures = 0;
  lastError?: ExotelError;
  nextAttemptAt?: number;
  expiredReported = false;

  constructor(
    readonly config: CredentialConfig,
    /** Key in the token store: a hash of baseUrl, entity and Id (never the secret). */
    readonly storeKey: string,
  ) {}

  /** The current token if it has not expired at `now`. */
  valid(now: number): TokenRecord | undefined {
    return this.current && now < this.current.expiresAt ? this.current : undefined;
  }

  /** True while callers should share the last failure instead of calling Exotel again. */
  inBackoff(now: number): boolean {
    return this.lastError !== undefined && this.nextAttemptAt !== undefined && now < this.nextAttemptAt;
  }

  state(now: number): TokenState {
    if (this.inflight) return 'refreshing';
    const valid = this.valid(now);
    if (valid) return this.failures > 0 ? 'retrying' : 'fresh';
    if (this.failures > 0) return 'failed';
    return this.current ? 'expired' : 'pending';
  }
}
