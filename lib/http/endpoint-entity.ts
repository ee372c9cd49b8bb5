import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/**
 * Which token an endpoint needs (exotel-api.md §2.2), from its method, its path relative to the base
 * path and its query. `undefined` means "send no token": the token endpoint must never see one, and
 * `POST /customer` is documented without one.
 */
export function endpointEntity(
  method: string,
  path: string,
  query: URLSearchParams,
): ExotelEntity | undefined {
  const verb = method.toUpperCase();
  const route = normalise(path);
  if (route === '/token') return undefined;
  if (route === '/customer') return verb === 'POST' ? undefined : 'customer';
  if (route === '/app') {
    if (verb === 'POST') return 'customer';
    if (verb === 'GET' && query.get('entity') === 'customer') return 'customer';
  }
  return 'app';
}

/**
 * The token a request gets: the caller's `entity` override if any, else the endpoint's own rule. The
 * token endpoint gets none whatever the override says: a token is never sent to mint another.
 */
export function requestEntity(
  method: string,
  path: string,
  query: URLSearchParams,
  override?: ExotelEntity,
): ExotelEntity | undefined {
  if (normalise(path) === '/token') return undefined;
  return override ?? endpointEntity(method, path, query);
}

function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
