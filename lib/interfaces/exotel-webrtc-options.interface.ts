import type { LoggerService } from '@nestjs/common';
import type { TokenStore } from '../store/token-store.js';

/**
 * How the token goes into the `Authorization` header: `raw` (the bare token, as Exotel's own SDKs
 * send it) or `Bearer` (`Bearer <token>`).
 * @publicApi
 */
export type ExotelAuthScheme = 'raw' | 'Bearer';

/**
 * An Exotel Id/Secret pair (CustomerID + CustomerSecret, or AppID + AppSecret).
 * @publicApi
 */
export interface ExotelCredentials {
  /** CustomerID or AppID. */
  id: string;
  /** CustomerSecret or AppSecret. Never logged; wrap it with `exotelCredentials()` to hide it from `JSON.stringify`. */
  secret: string;
}

/**
 * Which kind of token a call needs.
 * @publicApi
 */
export type ExotelEntity = 'customer' | 'app';

/**
 * Where the module looks up an app nobody configured or added: typically the host's own repository
 * or secret manager, where it keeps each tenant's AppID and AppSecret. This is how one replica learns
 * about an app another replica registered. Usable from `forRootAsync`, so it can be an injected service.
 * @publicApi
 */
export interface ExotelCredentialSource {
  /**
   * The credentials of app `name`, or `undefined` when there is no such app. Asked once per unknown
   * name (concurrent callers share the lookup), and once more when `POST /token` refuses the kept
   * answer (the secret was rotated elsewhere). A throw surfaces as `ExotelUnavailableError`.
   */
  appCredentials(name: string): ExotelCredentials | undefined | Promise<ExotelCredentials | undefined>;
}

/**
 * Where the library's OpenTelemetry metrics and spans go, and whether they name apps. Needs the
 * optional peer `@opentelemetry/api`; without it, or without an SDK registered, nothing is recorded.
 * The providers are typed by shape only, so this package's types do not need `@opentelemetry/api`.
 * @publicApi
 */
export interface ExotelTelemetryOptions {
  /** A `MeterProvider` for the library's metrics. Default: the global one (`metrics.setGlobalMeterProvider`). */
  meterProvider?: { getMeter(name: string, version?: string, options?: object): unknown };
  /** A `TracerProvider` for the `exotel.token.mint` spans. Default: the global one (`trace.setGlobalTracerProvider`). */
  tracerProvider?: { getTracer(name: string, version?: string, options?: object): unknown };
  /**
   * Adds the app's name (`exotel.app.name`) to every metric, and reports the gauges per credential.
   * Each app then makes series of its own: meant for a few apps, not for thousands. Default false:
   * attributes are the credential kind, the outcome and the token state only.
   */
  appNameAttribute?: boolean;
}

/**
 * Options of `ExotelWebrtcModule.forRoot()` / `forRootAsync()`.
 * @publicApi
 */
export interface ExotelWebrtcModuleOptions {
  /** Integrations API base URL. Default `https://integrationscore.mum1.exotel.com/v2/integrations`. HTTPS is required except for loopback hosts. */
  baseUrl?: string;
  /** Customer credentials: the customer token manages applications. */
  customer?: ExotelCredentials;
  /** Credentials of the app named `default`: its token manages users and settings and places calls. */
  app?: ExotelCredentials;
  /** More named apps, e.g. `{ support: { id, secret } }`; select one with `getToken('app', 'support')`. */
  apps?: Record<string, ExotelCredentials>;
  /** Token lifetime counted from the moment the mint request was sent. Default 90 days (Exotel's documented lifetime). */
  tokenTtlMs?: number;
  /** Share of the lifetime after which a refresh starts. Default 0.6 (day 54 of 90). */
  refreshAtRatio?: number;
  /** Refresh at least this long before expiry. Default 7 days, or a tenth of `tokenTtlMs` when that is shorter. Must be below `tokenTtlMs`. */
  minRefreshLeadMs?: number;
  /** Largest random delay added to each planned refresh so that replicas spread out. Default 1% of the TTL, at most 1 hour. */
  refreshJitterMs?: number;
  /** First retry delay after a failed refresh; later retries grow exponentially (full jitter). Default 2 s. */
  retryBaseDelayMs?: number;
  /** Longest delay between retries; credential failures (400/401) retry at this delay. Default 1 hour. */
  retryMaxDelayMs?: number;
  /** `raw` sends `Authorization: <token>` as Exotel's own SDKs do; `Bearer` sends `Bearer <token>`. Default `raw`. */
  authScheme?: ExotelAuthScheme;
  /**
   * Deadline of each exchange with Exotel (a mint or a downstream call), headers and body together:
   * a reply still arriving when it passes is abandoned with `ExotelUnavailableError` "timed out",
   * however steadily its bytes trickle in. Default 10 s.
   */
  requestTimeoutMs?: number;
  /**
   * Largest downstream reply body accepted, in bytes, counted after decompression (gzip, deflate, br).
   * A longer reply is cut off there and fails with `ExotelProtocolError`, so an endless or decompression
   * bomb body cannot fill memory. Applies to the typed client and to `ExotelHttpService`; `POST /token`
   * replies have a fixed limit of 64 KiB. Default 1 MiB.
   */
  maxResponseBytes?: number;
  /** Mint every configured credential during bootstrap; bad credentials then fail application start. Default true. */
  eager?: boolean;
  /** Where tokens are kept and shared. Default a `MemoryTokenStore` per module instance; use `RedisTokenStore` for fleets. */
  store?: TokenStore;
  /** How long a replica holds the minting lease in a shared store. Default 15 s, or `requestTimeoutMs` + 5 s when that is longer; must exceed `requestTimeoutMs`. */
  leaseTtlMs?: number;
  /** Downstream 401s after fresh mints that open the breaker. Default 3. */
  unauthorizedBreakerThreshold?: number;
  /** How long the 401 breaker stays open (no mints from 401s). Default 60 s. */
  unauthorizedBreakerCooldownMs?: number;
  /** Looks up apps that are neither configured nor added with `TokenService.addApp()`. */
  credentialSource?: ExotelCredentialSource;
  /** Most `POST /token` requests in flight at once, across all credentials. Default 8. */
  maxConcurrentMints?: number;
  /**
   * An app not used for this long leaves memory: its timer and its cached token go (its credentials
   * stay), and its next use adopts the token from the store or mints one. Default: never (0).
   * Saves the most with `RedisTokenStore`; a `MemoryTokenStore` keeps its own copy of each token.
   */
  idleAppEvictionMs?: number;
  /**
   * OpenTelemetry metrics (mints, adoptions, mint duration, token states, time to expiry, 401 retries
   * and breaker openings) and a span per mint. Default: the global providers, no app names.
   */
  telemetry?: ExotelTelemetryOptions;
  /**
   * Logger used by the library; `false` silences it. Default a Nest `Logger` with context `ExotelWebrtc`.
   * Lines are passed without a context argument, so a logger given here should carry its own.
   */
  logger?: LoggerService | false;
}
