import { DiscoveryService } from '@nestjs/core';
import { EXOTEL_CALL_KINDS, type ExotelCallKind, isExotelCallKind } from '../options/webhook-routes.js';

/** The discoverable decorator behind {@link OnExotelCall}; its metadata is the list of kinds. */
export const ExotelCallHandler = DiscoveryService.createDecorator<readonly ExotelCallKind[]>();

/**
 * Runs the decorated provider or controller method for every notification of the given kind(s),
 * with an `ExotelCallEvent`. It may return a promise; a handler that throws or rejects makes the
 * delivery fail (non-2xx), so that Exotel's redelivery reaches it again. Each handler sees each
 * notification once. Methods of request-scoped providers are not called (there is no request to
 * scope them to); the module warns about them at bootstrap.
 * Usage: `@OnExotelCall('callback') async onStatus(event: ExotelCallEvent) {}`, or a list of kinds.
 * @publicApi
 */
export function OnExotelCall(kinds: ExotelCallKind | readonly ExotelCallKind[]): MethodDecorator {
  const list: readonly ExotelCallKind[] = typeof kinds === 'string' ? [kinds] : [...kinds];
  if (list.length === 0 || !list.every(isExotelCallKind)) {
    throw new TypeError(`@OnExotelCall() takes one or more of ${EXOTEL_CALL_KINDS.join(', ')}`);
  }
  return ExotelCallHandler([...new Set(list)]) as MethodDecorator;
}
