import type { ExotelError } from '../errors/exotel.error.js';
import type { CredentialConfig } from '../options/resolved-options.js';
import { fingerprint } from '../redaction/fingerprint.js';
import { maskId } from '../redaction/mask-id.js';
import { Redacted } from '../redaction/redacted.js';
import type { RefreshPolicy } from '../scheduling/refresh-policy.js';
import type { StoredToken } from '../store/token-store.js';
import type { MintTrace } from '../telemetry/mint-trace.js';
import type { TokenEventType } from './token-event.interface.js';
import type { TokenState, TokenStatus } from './token-status.interface.js';

/** A token held by the service. */
export interface TokenRecord {
  readonly token: Redacted;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly refreshAt: number;
  readonly generation: number;
  readonly fingerprint: string;
}

/** A token obtained for a slot, either minted here or adopted from the store. */
export interface ObtainedToken extends StoredToken {
  adopted: boolean;
  /** Exotel answered with the token already held, which was still valid when the reply arrived. */
  sameToken?: boolean;
  requestId?: string;
}

/** What accepting a token did, for the event log. */
export interface Accepted {
  record: TokenRecord;
  event: Extract<TokenEventType, 'minted' | 'refreshed' | 'adopted' | 'same_token'>;
}

/**
 * Everything the service knows about one credential, and the only code that changes it: each
 * transition (a token accepted, a failure recorded, a generation invalidated, an expiry noticed) is a
 * method, so the rules that keep the fields consistent live in one place.
 */
export class CredentialSlot {
  private current?: TokenRecord;
  private generationCount = 0;
  private failureCount = 0;
  private error?: ExotelError;
  private retryAt?: number;
  private expiryReported = false;
  /**
   * The last token refused downstream (after a 401): never adopted from the store again. Kept as a
   * Redacted, not a string: a raw value here would print with `util.inspect(slot, { showHidden: true })`.
   */
  private refused?: Redacted;
  private mint?: Promise<TokenRecord>;
  /** Who waits on the mint in flight, for its spans (undefined without OpenTelemetry). */
  private mintTrace?: MintTrace;
  private retired = false;
  /** Set on every use, cleared by the idle sweep: an app not used between two sweeps leaves memory. */
  used = true;

  constructor(
    private credential: CredentialConfig,
    /** Key in the token store: a hash of baseUrl, entity and Id (never the secret). */
    private key: string,
    private readonly policy: RefreshPolicy,
    /** True when the credentials came from the credential source (asked again after a refusal). */
    readonly learned = false,
  ) {}

  get config(): CredentialConfig {
    return this.credential;
  }

  get storeKey(): string {
    return this.key;
  }

  /** True once the app was removed: nothing may plan for it again. */
  get removed(): boolean {
    return this.retired;
  }

  /** New credentials for the same credential name: the held token stays, the next mint uses them. */
  rotate(credential: CredentialConfig, storeKey: string): void {
    this.credential = credential;
    this.key = storeKey;
  }

  /** The app is no longer managed. */
  retire(): void {
    this.retired = true;
  }

  /**
   * Drops the cached token to free memory, without counting it as refused: the next use adopts it
   * from the store or mints. Returns false while a mint is in flight (the slot is in use).
   */
  evict(): boolean {
    if (this.mint || !this.current) return false;
    this.current = undefined;
    return true;
  }

  /** The token held, valid or not. */
  get held(): TokenRecord | undefined {
    return this.current;
  }

  /** Increases with every new token. */
  get generation(): number {
    return this.generationCount;
  }

  get failures(): number {
    return this.failureCount;
  }

  get lastError(): ExotelError | undefined {
    return this.error;
  }

  /** When the next attempt after a failure is planned. */
  get nextAttemptAt(): number | undefined {
    return this.retryAt;
  }

  /** True when `token` is the one last refused downstream (and not replaced since). */
  isRefused(token: string): boolean {
    return this.refused !== undefined && this.refused.reveal() === token;
  }

  /** The mint in flight, if any: concurrent callers join it. */
  get inflight(): Promise<TokenRecord> | undefined {
    return this.mint;
  }

  /** Records the mint in flight (and who waits on it) until it settles. */
  track(mint: Promise<TokenRecord>, trace?: MintTrace): Promise<TokenRecord> {
    const tracked = mint.finally(() => {
      if (this.mint !== tracked) return;
      this.mint = undefined;
      this.mintTrace = undefined;
    });
    tracked.catch(() => undefined);
    this.mint = tracked;
    this.mintTrace = trace;
    return tracked;
  }

  /** The mint in flight, joined by the calling context (its spans link the caller); undefined when none is. */
  join(): Promise<TokenRecord> | undefined {
    this.mintTrace?.waitedOn();
    return this.mint;
  }

  /** The current token if it has not expired at `now`. */
  valid(now: number): TokenRecord | undefined {
    return this.current && now < this.current.expiresAt ? this.current : undefined;
  }

  /** True while callers should share the last failure instead of calling Exotel again. */
  inBackoff(now: number): boolean {
    return this.error !== undefined && this.retryAt !== undefined && now < this.retryAt;
  }

  /**
   * Installs an obtained token. A same-token reply (decided at reply time by the coordinator) is not a
   * new lifetime: the expiry stays and only the next attempt moves. Once the held token has expired,
   * the same string counts as re-issued: a new lifetime from the time the request was sent.
   */
  accept(obtained: ObtainedToken, now: number): Accepted {
    this.failureCount = 0;
    this.error = undefined;
    this.retryAt = undefined;
    this.refused = undefined;
    const held = this.current;
    if (held && obtained.sameToken) {
      this.current = { ...held, refreshAt: this.policy.sameTokenRetryAt(held.expiresAt, now) };
      return { record: this.current, event: 'same_token' };
    }
    this.generationCount++;
    this.current = {
      token: new Redacted(obtained.token),
      issuedAt: obtained.issuedAt,
      expiresAt: obtained.expiresAt,
      refreshAt: this.policy.refreshAt(obtained),
      generation: this.generationCount,
      fingerprint: fingerprint(obtained.token),
    };
    this.expiryReported = false;
    const event = obtained.adopted ? 'adopted' : this.generationCount === 1 ? 'minted' : 'refreshed';
    return { record: this.current, event };
  }

  /** Counts a failed attempt and plans the next one; returns when it is. */
  recordFailure(error: ExotelError, now: number): number {
    this.failureCount++;
    this.error = error;
    this.retryAt = now + this.policy.retryDelay(this.failureCount, error, this.valid(now) !== undefined);
    return this.retryAt;
  }

  /**
   * Drops the held token (only if it is of `generation`, when given: a 401 for an older token must
   * not throw away a newer one) and remembers it as refused. Returns the dropped record.
   */
  invalidate(generation?: number): TokenRecord | undefined {
    const dropped = this.current;
    if (!dropped || (generation !== undefined && dropped.generation !== generation)) return undefined;
    this.current = undefined;
    this.refused = dropped.token;
    return dropped;
  }

  /** The expired token, the first time its expiry is noticed; undefined otherwise. */
  noticeExpiry(now: number): TokenRecord | undefined {
    if (!this.current || this.expiryReported || now < this.current.expiresAt) return undefined;
    this.expiryReported = true;
    return this.current;
  }

  state(now: number): TokenState {
    if (this.mint) return 'refreshing';
    const valid = this.valid(now);
    if (valid) return this.failureCount > 0 ? 'retrying' : 'fresh';
    if (this.failureCount > 0) return 'failed';
    return this.current ? 'expired' : 'pending';
  }

  /** The public view at `now`: no token, no secret, the Id masked, the error reduced to name and message. */
  status(now: number): TokenStatus {
    const held = this.current;
    return {
      credential: this.config.key,
      entity: this.config.entity,
      app: this.config.app,
      id: maskId(this.config.id),
      state: this.state(now),
      fingerprint: held?.fingerprint,
      generation: this.generationCount,
      issuedAt: held?.issuedAt,
      expiresAt: held?.expiresAt,
      refreshAt: held?.refreshAt,
      nextAttemptAt: this.failureCount > 0 ? this.retryAt : undefined,
      consecutiveFailures: this.failureCount,
      lastError: this.error && { name: this.error.name, message: this.error.message },
    };
  }
}
