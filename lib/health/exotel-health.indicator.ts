import { Inject, Injectable } from '@nestjs/common';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { TokenService } from '../token/token.service.js';
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
  credentials: ExotelCredentialHealth[];
}

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
 * status `degraded`), `down` when a token is expired, failed, or within half of `minRefreshLeadMs`
 * of expiry (the check answers 503). It never throws and never contains a token or a secret.
 * @publicApi
 */
@Injectable()
export class ExotelHealthIndicator {
  constructor(
    private readonly tokens: TokenService,
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
  ) {}

  isHealthy<const Key extends string = 'exotel'>(key: Key = 'exotel' as Key): ExotelHealthResult<Key> {
    const now = Date.now();
    const downWithinMs = this.options.minRefreshLeadMs / 2;
    const rows = this.tokens.status();
    const credentials = rows.map((row) => assessCredential(row, now, downWithinMs));
    const details: ExotelHealthDetails = {
      status: worstOf(credentials.map((c) => c.status)),
      degraded: rows.some(isRetrying),
      credentials,
    };
    return { [key]: details } as ExotelHealthResult<Key>;
  }
}
