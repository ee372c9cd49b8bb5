import { ExotelError } from './exotel.error.js';

/**
 * A token was asked for a credential the module was not configured with.
 * @publicApi
 */
export class ExotelUnknownCredentialError extends ExotelError {}
