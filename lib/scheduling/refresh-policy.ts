import { ExotelAuthError, type ExotelError } from '../errors/exotel.error.js';
import { MAX_TIMER_DELAY_MS } from '../options/defaults.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';

/** The option values the policy reads. */
export type RefreshPolicyOptions = Pick<
  ResolvedExotelOptions,
  'refreshAtRatio' | 'minRefreshLeadMs' | 'refreshJitterMs' | 'retryBaseDelayMs' | 'retryMaxDelayMs'
>;

/** The lifetime of a token, in epoch milliseconds. */
export interface Lifetime {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * Every timing rule of the token life cycle, in one place, built once from the resolved options:
 * when a token is due, when to retry after a failure or after a same-token reply, when the remaining
 * lifetime becomes critical, and what delay a timer may be given.
 */
export class RefreshPolicy {
  /**
   * Less than this left on a held token is critical: failure logs become errors and health reports
   * `down`, because refreshes have been failing for days and the outage is near.
   */
  readonly criticalWindowMs: number;

  constructor(
    private readonly options: RefreshPolicyOptions,
    private readonly random: () => number = Math.random,
  ) {
    this.criticalWindowMs = options.minRefreshLeadMs / 2;
  }

  /**
   * When a token should be refreshed: `issuedAt + refreshAtRatio * lifetime`, never later than
   * `expiresAt - minRefreshLeadMs`. With `jitter`, up to `refreshJitterMs` later, so that a fleet (or
   * thousands of apps minted together) does not refresh in one burst.
   */
  refreshAt(token: Lifetime, jitter = true): number {
    const { refreshAtRatio, refreshJitterMs, minRefreshLeadMs } = this.options;
    const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
    const spread = jitter ? this.random() * refreshJitterMs : 0;
    const planned = token.issuedAt + refreshAtRatio * lifetime + spread;
    return Math.round(Math.min(planned, token.expiresAt - minRefreshLeadMs));
  }

  /** True once a token has reached its refresh time (without jitter): a stored token that is due is not adopted. */
  isDue(token: Lifetime, now: number): boolean {
    return now >= this.refreshAt(token, false);
  }

  /**
   * The next attempt after Exotel answered with the very token already held. That reply is not a new
   * lifetime: the expiry stays, and the next attempt moves halfway towards the critical window (at
   * least `retryMaxDelayMs` away, never past the expiry). A server that keeps re-sending the same
   * token is asked a few times with shrinking gaps, never in a spin.
   */
  sameTokenRetryAt(expiresAt: number, now: number): number {
    const deadline = expiresAt - this.criticalWindowMs;
    return Math.round(
      Math.min(expiresAt, now + Math.max(this.options.retryMaxDelayMs, (deadline - now) / 2)),
    );
  }

  /**
   * Delay before attempt number `failures + 1`: exponential from the base with full jitter, capped,
   * never shorter than a server's `Retry-After`. Bad credentials wait the full cap: a fast retry
   * cannot fix them and only adds load on Exotel. While no valid token is held, a `Retry-After` longer
   * than `retryMaxDelayMs` is cut to it: every caller is failing meanwhile, and one hostile or
   * mistaken header must not leave the credential without a token for a day. With a valid token
   * still served, waiting as asked costs nothing, so it is honoured.
   */
  retryDelay(failures: number, error: ExotelError, holdsValidToken: boolean): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.options;
    const asked = (error.retryAfterSeconds ?? 0) * 1000;
    const retryAfterMs = holdsValidToken ? asked : Math.min(asked, retryMaxDelayMs);
    if (error instanceof ExotelAuthError) return Math.max(retryMaxDelayMs, retryAfterMs);
    const ceiling = Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** Math.min(failures - 1, 40));
    // Full jitter, but never below the base delay, so a run of small random draws cannot hammer the endpoint.
    const jittered = Math.max(retryBaseDelayMs, Math.round(this.random() * ceiling));
    return Math.max(jittered, retryAfterMs);
  }

  /** True when a token expiring at `expiresAt` has less than the critical window left at `now`. */
  isCritical(expiresAt: number | undefined, now: number): boolean {
    return expiresAt === undefined || expiresAt - now <= this.criticalWindowMs;
  }

  /**
   * A delay Node accepts as given. Node turns NaN, negative and over-2^31-1 delays into 1 ms, which
   * is how 30-day tokens caused refresh storms in other libraries.
   */
  static timerDelay(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) return 0;
    return Math.min(Math.ceil(ms), MAX_TIMER_DELAY_MS);
  }
}
