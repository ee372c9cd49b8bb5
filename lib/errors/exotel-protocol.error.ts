import { ExotelError } from './exotel.error.js';

/**
 * Exotel answered, but not in the documented shape: a non-JSON or HTML body, a missing or empty
 * `Data`, `Status: "Failed"` with HTTP 200, or an envelope `Code` that disagrees with the HTTP status.
 * @publicApi
 */
export class ExotelProtocolError extends ExotelError {}
