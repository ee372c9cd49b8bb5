import { ExotelError } from './exotel.error.js';

/**
 * Exotel rejected a downstream request as invalid (HTTP 400), or the library refused to send an
 * input that fails validation. `problems` lists the bad fields when the library found them.
 * @publicApi
 */
export class ExotelRequestError extends ExotelError {
  problems?: string[];
}
