import type { LoggerService } from '@nestjs/common';
import type { Redacted } from '../redaction/redacted.js';
import type { TokenStore } from '../store/token-store.js';
import type {
  ExotelAuthScheme,
  ExotelCredentialSource,
  ExotelTelemetryOptions,
} from '../interfaces/exotel-webrtc-options.interface.js';
import type { CredentialIdentity } from './credential-identity.js';

/** One configured credential, as the token service sees it. */
export interface CredentialConfig extends CredentialIdentity {
  readonly id: string;
  readonly secret: Redacted;
}

/** The `telemetry` option, validated: providers as given (undefined: the global ones), app names on or off. */
export interface ResolvedTelemetryOptions {
  readonly meterProvider?: ExotelTelemetryOptions['meterProvider'];
  readonly tracerProvider?: ExotelTelemetryOptions['tracerProvider'];
  readonly appNameAttribute: boolean;
}

/** Validated options with every default applied. Secrets are held in `Redacted`, so this object is safe to print. */
export interface ResolvedExotelOptions {
  readonly baseUrl: string;
  /** `scheme://host:port` of baseUrl: the only origin that receives tokens. */
  readonly origin: string;
  /** Path of baseUrl without a trailing slash, e.g. `/v2/integrations`. */
  readonly basePath: string;
  readonly credentials: readonly CredentialConfig[];
  readonly tokenTtlMs: number;
  readonly refreshAtRatio: number;
  readonly minRefreshLeadMs: number;
  readonly refreshJitterMs: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly authScheme: ExotelAuthScheme;
  readonly requestTimeoutMs: number;
  /** Largest downstream reply body, in bytes after decompression. */
  readonly maxResponseBytes: number;
  readonly eager: boolean;
  readonly store: TokenStore;
  readonly leaseTtlMs: number;
  readonly unauthorizedBreakerThreshold: number;
  readonly unauthorizedBreakerCooldownMs: number;
  readonly credentialSource?: ExotelCredentialSource;
  readonly maxConcurrentMints: number;
  /** 0: apps never leave memory. */
  readonly idleAppEvictionMs: number;
  readonly telemetry: ResolvedTelemetryOptions;
  readonly logger: LoggerService;
}
