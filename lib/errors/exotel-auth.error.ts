import { ExotelError } from './exotel.error.js';

/**
 * Exotel refused the credentials or the token (HTTP 400/401 from `/token`, or a downstream 401 that
 * survived one re-mint). Retrying quickly does not help: check the Id/Secret pair.
 * @publicApi
 */
export class ExotelAuthError extends ExotelError {}
