export * from './errors/index.js';
export * from './exotel-webrtc.module.js';
export {
  EXOTEL_WEBRTC_MODULE_OPTIONS,
  type ExotelWebrtcModuleExtras,
  type ExotelWebrtcOptionsFactory,
} from './exotel-webrtc.module-definition.js';
export { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from './exotel-webrtc.constants.js';
export * from './interfaces/exotel-webrtc-options.interface.js';
export { fromEnv, type ExotelWebrtcEnv } from './options/from-env.js';
export { exotelCredentials } from './options/exotel-credentials.js';
export type { ResolvedExotelOptions, CredentialConfig } from './options/resolved-options.js';
export { TokenService, type TokenWithGeneration } from './token/token.service.js';
export * from './token/token-status.interface.js';
export * from './token/token-event.interface.js';
export { TokenStore, type StoredToken } from './store/token-store.js';
export { MemoryTokenStore } from './store/memory-token-store.js';
export { ExotelHttpService } from './http/exotel-http.service.js';
export { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
export type { ExotelRequestOptions } from './http/exotel-request-options.js';
export type { ExotelEnvelope } from './http/exotel-envelope.js';
export { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
export { fingerprint } from './redaction/fingerprint.js';
