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
export {
  ExotelHealthIndicator,
  type ExotelHealthDetails,
  type ExotelHealthResult,
} from './health/exotel-health.indicator.js';
export type { ExotelCredentialHealth, ExotelHealthStatus } from './health/credential-health.js';
export { ExotelAppScope } from './client/exotel-app-scope.js';
export { ExotelCustomerApi } from './client/customer.api.js';
export { ExotelAppsApi } from './client/apps.api.js';
export { ExotelSettingsApi } from './client/settings.api.js';
export { ExotelUsersApi } from './client/users.api.js';
export { ExotelDeviceApi } from './client/device.api.js';
export { ExotelCallsApi } from './client/calls.api.js';
export type { ExotelCall, ExotelReply } from './client/exotel-caller.js';
export * from './client/dto/index.js';
export * from './client/interfaces/index.js';
