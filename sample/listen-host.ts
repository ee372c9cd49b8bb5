/**
 * Loopback by default: GET /softphone/:id hands out the app token without authentication, so the
 * sample must not be reachable from other machines unless asked (HOST=0.0.0.0, or an address).
 */
export const DEFAULT_HOST = '127.0.0.1';

/** `HOST`, or loopback when it is unset or empty. */
export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST || DEFAULT_HOST;
}
