export * from './errors/index.js';
export * from './exotel-webrtc.module.js';
export type {
  ExotelWebrtcModuleExtras,
  ExotelWebrtcOptionsFactory,
} from './exotel-webrtc.module-definition.js';
export { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from './exotel-webrtc.constants.js';
export * from './interfaces/exotel-webrtc-options.interface.js';
export { fromEnv, type ExotelWebrtcEnv } from './options/from-env.js';
export { exotelCredentials } from './options/exotel-credentials.js';
export type { ResolvedExotelOptions, CredentialConfig } from './options/resolved-options.js';
export { TokenService } from './token/token.service.js';
export * from './token/token-status.interface.js';
export * from './token/token-event.interface.js';
export { TokenStore, type StoredToken } from './store/token-store.js';
export { MemoryTokenStore } from './store/memory-token-store.js';
export { ExotelHttpService } from './http/exotel-http.service.js';
export { ExotelAuthInterceptor } from './http/exotel-auth.interceptor.js';
export type { ExotelRequestOptions } from './http/exotel-request-options.js';
export type { ExotelEnvelope } from './wire/reply.js';
export { ExotelWebrtcClient } from './client/exotel-webrtc.client.js';
export { fingerprint } from './redaction/fingerprint.js';
export {
  ExotelHealthIndicator,
  type ExotelHealthDetails,
  type ExotelHealthResult,
} from './health/exotel-health.indicator.js';
export type { ExotelCredentialHealth, ExotelHealthStatus } from './health/credential-health.js';
export type { ExotelAppScope } from './client/exotel-app-scope.js';
export type { ExotelCustomerApi } from './client/customer.api.js';
export type { ExotelAppsApi } from './client/apps.api.js';
export type { ExotelSettingsApi } from './client/settings.api.js';
export type { ExotelUsersApi } from './client/users.api.js';
export type { ExotelDeviceApi } from './client/device.api.js';
export type { ExotelCallsApi } from './client/calls.api.js';
export type { ExotelCall, ExotelReply } from './client/exotel-caller.js';
export * from './client/dto.js';
export * from './client/replies.js';
