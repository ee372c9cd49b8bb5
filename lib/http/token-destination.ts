import { isLoopbackHost } from '../options/validate-base-url.js';

/** Where tokens may go: the origin of baseUrl and the paths under its base path. */
export interface TokenScope {
  /** `scheme://host:port` of baseUrl. */
  readonly origin: string;
  /** Path of baseUrl without a trailing slash (may be empty). */
  readonly basePath: string;
}

/**
 * The parsed URL when `href` may receive a token, otherwise `undefined`: same scheme, host and port as
 * baseUrl, a path under its base path, and https unless the host is loopback. Anything that does not
 * parse is refused, so a malformed URL fails closed.
 */
export function tokenDestination(href: string, scope: TokenScope): URL | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.origin !== scope.origin) return undefined;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    return undefined;
  // WHATWG URL parsing has already resolved dot segments (also percent-encoded ones).
  const inside =
    scope.basePath === '' || url.pathname === scope.basePath || url.pathname.startsWith(`${scope.basePath}/`);
  return inside ? url : undefined;
}

/** The path of an allowed URL relative to the base path, e.g. `/usermapping`. */
export function relativePath(url: URL, scope: TokenScope): string {
  return url.pathname.slice(scope.basePath.length) || '/';
}
