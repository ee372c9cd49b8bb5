// The public API of the main entry. Everything else in lib/ is internal; the subpaths
// `nestjs-exotel-webrtc/testing` and `nestjs-exotel-webrtc/redis` have entries of their own.

// Module and options
export { ExotelWebrtcModule } from './exotel-webrtc.module.js';
export type { ExotelWebrtcOptionsFactory } from './exotel-webrtc.module-definition.js';
export { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from './exotel-webrtc.constants.js';
export type {
  ExotelAuthScheme,
  ExotelCredentials,
  ExotelCredentialSource,
  ExotelEntity,
  ExotelWebrtcModuleOptions,
} from './interfaces/exotel-webrtc-options.interface.js';
export type { ResolvedExotelOptions } from './options/resolved-options.js';
export { fromEnv, type ExotelWebrtcEnv } from './options/from-env.js';
export { exotelCredentials } from './options/exotel-credentials.js';

// Tokens
export { TokenService } from './token/token.service.js';
export type { TokenState, TokenStatus } from './token/token-status.interface.js';
export type { TokenEvent, TokenEventType } from './token/token-event.interface.js';
export { TokenStore, type StoredToken } from './store/token-store.js';
export { MemoryTokenStore } from './store/memory-token-store.js';
export { fingerprint } from './redaction/fingerprint.js';

// Calling Exotel
export { ExotelHttpService } from './http/exotel-http.service.js';
export { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
export type { ExotelEnvelope } from './wire/reply.js';
export { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
export type { ExotelAppScope } from './client/exotel-app-scope.js';
export type { ExotelCall, ExotelReply } from './client/exotel-caller.js';
export * from './client/dto.js';
export * from './client/replies.js';

// Health
export {
  ExotelHealthIndicator,
  type ExotelHealthDetails,
  type ExotelHealthResult,
} from './health/exotel-health.indicator.js';

// Errors
export {
  ExotelAuthError,
  ExotelConfigError,
  ExotelError,
  ExotelNotFoundError,
  type ExotelPhase,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
} from './errors/exotel.error.js';
