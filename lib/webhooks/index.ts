/**
 * `nestjs-exotel-webrtc/webhooks`: Exotel's call notifications (popup, incomingCallHangup, missedCall,
 * callback) as typed, deduplicated events for `@OnExotelCall` handlers.
 */
export { ExotelWebhooksModule } from './exotel-webhooks.module.js';
export type { ExotelWebhooksOptionsFactory } from './exotel-webhooks.module-definition.js';
export type { ExotelWebhooksModuleExtras, ExotelWebhooksModuleOptions } from './exotel-webhooks.options.js';
export { OnExotelCall } from './on-exotel-call.decorator.js';
export { ExotelCallEvents } from './exotel-call-events.js';
export type { ExotelCallEvent } from './exotel-call-event.js';
export { parseCallNotification, type ParsedNotification } from './exotel-call-event.js';
export { ExotelCallNotificationDto } from './call-notification.dto.js';
export { MemoryCallDedupe, type ExotelCallDedupe, type ExotelCallMark } from './call-dedupe.js';
export { StoreCallDedupe } from './store-call-dedupe.js';
export {
  EXOTEL_CALL_KINDS,
  EXOTEL_WEBHOOK_ROUTES,
  type ExotelCallKind,
  ExotelWebhookRoutes,
} from '../options/webhook-routes.js';
