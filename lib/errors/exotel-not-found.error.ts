import { ExotelError } from './exotel.error.js';

/**
 * A downstream resource does not exist (HTTP 404), e.g. a user mapping or an app setting.
 * @publicApi
 */
export class ExotelNotFoundError extends ExotelError {}
