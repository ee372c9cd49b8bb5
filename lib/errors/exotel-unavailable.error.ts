import { ExotelError } from './exotel.error.js';

/**
 * Exotel could not be reached or answered with 5xx/429, a timeout or a broken connection. Transient:
 * the library retries in the background with backoff.
 * @publicApi
 */
export class ExotelUnavailableError extends ExotelError {}
