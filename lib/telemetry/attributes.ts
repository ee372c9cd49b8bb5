import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/*
 * The attribute names of the library's metrics and spans. A fixed, small set: none of them holds an
 * Id, a secret or a token, and only APP_NAME (opt-in) grows with the number of apps.
 */

/** `customer` or `app`. */
export const KIND = 'exotel.credential.kind';
/** How a mint ended: `success`, `auth_error`, `unavailable`, `protocol_error`. */
export const OUTCOME = 'exotel.outcome';
/** A token state, as `TokenService.status()` names it. */
export const STATE = 'exotel.token.state';
/** The app's name, with `telemetry.appNameAttribute` only. */
export const APP_NAME = 'exotel.app.name';

/** Every credential kind, for series reported (as 0) even when no credential of that kind exists. */
export const KINDS: readonly ExotelEntity[] = ['customer', 'app'];
