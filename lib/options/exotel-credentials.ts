import type { ExotelCredentials } from '../interfaces/exotel-webrtc-options.interface.js';

/**
 * Makes an `{ id, secret }` pair whose secret is non-enumerable, so `JSON.stringify`, `util.inspect`
 * and loggers that walk the options object do not print it. Reading `.secret` still works.
 * @publicApi
 */
export function exotelCredentials(id: string, secret: string): ExotelCredentials {
  const pair = { id } as ExotelCredentials;
  // A getter, not a value: even `inspect(..., { showHidden: true })` prints `[Getter]`, not the secret.
  Object.defineProperty(pair, 'secret', { get: () => secret, enumerable: false });
  return pair;
}
