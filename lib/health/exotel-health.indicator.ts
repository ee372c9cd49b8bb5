import { Injectable } from '@nestjs/common';
import { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { TokenService } from '../token/token.service.js';
import type { TokenState } from '../token/token-status.interface.js';
import {
  assessCredential,
  type ExotelCredentialHealth,
  type ExotelHealthStatus,
  isRetrying,
  worstOf,
} from './credential-health.js';

/** What the indicator reports under its key. */
export interface ExotelHealthDetails {
  /** `up`: every token fresh; `degraded`: a refresh is failing but tokens are valid; `down`: a token is expired, failed or nearly expired. */
  status: ExotelHealthStatus;
  /** True while any credential's refreshes are failing (also when `status` is `down` for another reason). */
  degraded: boolean;
  /** How many credentials are managed, and how many are in each state. */
  total: number;
  states: Partial<Record<TokenState, number>>;
  /**
   * At most {@link MAX_LISTED} rows, so the answer stays small at 100,000 apps: every credential when
   * there are that few, otherwise only those that are not `up`.
   */
  credentials: ExotelCredentialHealth[];
}

/** Largest number of credential rows in one health answer. */
export const MAX_LISTED = 50;

/**
 * A terminus-compatible `HealthIndicatorResult`: `{ [key]: { status, ... } }`. Declared here so that the
 * library's main entry does not need `@nestjs/terminus`, which stays an optional peer.
 * @publicApi
 */
export type ExotelHealthResult<Key extends string = string> = Record<Key, ExotelHealthDetails>;

/**
 * Health of the Exotel tokens for `@nestjs/terminus`. Provide it in the module that owns the health
 * controller (`providers: [ExotelHealthIndicator]`, with `ExotelWebrtcModule` imported or global) and
 * call it from `HealthCheckService.check([() => this.exotel.isHealthy()])`.
 *
 * The status follows terminus 12's three levels: `up` when every credential is fresh, `degraded`
 * while a refresh is being retried (the current tokens still work; the check answers 200 with overall
 * status `degraded`), `down` when a token is expired, failed, or within the critical window (half of `minRefreshLeadMs`)
 * of expiry (the check answers 503). It never throws and never contains a token or a secret.
 * @publicApi
 */
@Injectable()
export class ExotelHealthIndicator {
  constructor(
    private readonly tokens: TokenService,
    private readonly policy: RefreshPolicy,
  ) {}

  isHealthy<const Key extends string = 'exotel'>(key: Key = 'exotel' as Key): ExotelHealthResult<Key> {
    const now = Date.now();
    const rows = this.tokens.status();
    const all = rows.map((row) => assessCredential(row, now, this.policy.criticalWindowMs));
    const states: Partial<Record<TokenState, number>> = {};
    for (const row of rows) states[row.state] = (states[row.state] ?? 0) + 1;
    const listed = all.length <= MAX_LISTED ? all : all.filter((c) => c.status !== 'up').slice(0, MAX_LISTED);
    const details: ExotelHealthDetails = {
      status: worstOf(all.map((c) => c.status)),
      degraded: rows.some(isRetrying),
      total: rows.length,
      states,
      credentials: listed,
    };
    return { [key]: details } as ExotelHealthResult<Key>;
  }
}
