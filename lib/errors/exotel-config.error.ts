import { ExotelError } from './exotel.error.js';

/**
 * The module options are invalid. Thrown once at bootstrap and lists every bad field by path,
 * never its value.
 * @publicApi
 */
export class ExotelConfigError extends ExotelError {
  constructor(readonly problems: string[]) {
    super(`Invalid ExotelWebrtcModule options:\n  - ${problems.join('\n  - ')}`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}
