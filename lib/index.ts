// The public API of the main entry. Everything else in lib/ is internal; the subpaths
// `nestjs-exotel-webrtc/testing`, `/redis` and `/webhooks` have entries of their own. Types that are a
// field of an exported type are not exported again: `TokenStatus['state']`, `TokenEvent['type']`,
// `ExotelError['phase']`, `ExotelWebrtcModuleOptions['authScheme']`, `ExotelWebrtcClient['users']`.

// Module and options
export { ExotelWebrtcModule } from './exotel-webrtc.module.js';
export type { ExotelWebrtcOptionsFactory } from './exotel-webrtc.module-definition.js';
export { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from './exotel-webrtc.constants.js';
export type {
  ExotelCredentials,
  ExotelCredentialSource,
  ExotelWebrtcModuleOptions,
} from './interfaces/exotel-webrtc-options.interface.js';
export type { ResolvedExotelOptions } from './options/resolved-options.js';
export { fromEnv, type ExotelWebrtcEnv } from './options/from-env.js';
export { exotelCredentials } from './options/exotel-credentials.js';

// Tokens
export { TokenService } from './token/token.service.js';
export type { TokenStatus } from './token/token-status.interface.js';
export type { TokenEvent } from './token/token-event.interface.js';
export { TokenStore, type StoredToken } from './store/token-store.js';
export { MemoryTokenStore } from './store/memory-token-store.js';
export { fingerprint } from './redaction/fingerprint.js';

// Calling Exotel
export { ExotelHttpService } from './http/exotel-http.service.js';
export { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
export { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
export type { ExotelCall } from './client/exotel-caller.js';
export * from './client/dto.js';
export * from './client/replies.js';

// Health
export { ExotelHealthIndicator, type ExotelHealthResult } from './health/exotel-health.indicator.js';

// Errors
export {
  ExotelAuthError,
  ExotelConfigError,
  ExotelError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
} from './errors/exotel.error.js';
export { ExotelExceptionFilter, type ExotelErrorBody } from './errors/exotel-exception.filter.js';
