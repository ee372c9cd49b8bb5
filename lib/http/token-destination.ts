import type { InternalAxiosRequestConfig } from 'axios';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import { isLoopbackHost } from '../options/validate-base-url.js';

// Where a token may go: only to baseUrl's origin and paths, only to endpoints that take one, and
// never along a redirect that leaves that scope.

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

/**
 * Which token an endpoint needs, from its method, its path relative to the base
 * path and its query. `undefined` means "send no token": the token endpoint must never see one, and
 * `POST /customer` is documented without one.
 */
export function endpointEntity(
  method: string,
  path: string,
  query: URLSearchParams,
): ExotelEntity | undefined {
  const verb = method.toUpperCase();
  const route = normaliseRoute(path);
  if (isTokenRoute(route)) return undefined;
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
  if (isTokenRoute(normaliseRoute(path))) return undefined;
  return override ?? endpointEntity(method, path, query);
}

/**
 * The route a server may read `path` as, for the token rules: percent-escapes decoded (repeatedly, so
 * `%252f` is no hiding place), lower case, `;params` and empty or `.` segments dropped, `..` resolved,
 * no trailing slash. Servers differ on each of these; reading every spelling the way the most lenient
 * one would means `/TOKEN`, `/token%2f` or `//token;x` never get a token.
 */
export function normaliseRoute(path: string): string {
  let decoded = path;
  for (let round = 0; round < 4; round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      break; // a malformed escape: the text as decoded so far
    }
    if (next === decoded) break;
    decoded = next;
  }
  const segments: string[] = [];
  for (const raw of decoded.toLowerCase().split(/[/\\]/)) {
    const segment = raw.split(';')[0].trim();
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** The token endpoint, or anything below it (no Exotel endpoint lives there that takes a token). */
function isTokenRoute(route: string): boolean {
  return route === '/token' || route.startsWith('/token/');
}

type BeforeRedirect = NonNullable<InternalAxiosRequestConfig['beforeRedirect']>;

/**
 * Makes sure a followed redirect carries the token only to a URL that may receive it. Axios already
 * drops Authorization on cross-origin hops; this also covers same-origin hops out of the base path and
 * does not depend on that behaviour staying. A caller's own `beforeRedirect` still runs, before the
 * check, so it cannot put the header back. (Applies to the Node http adapter, which is the one that
 * follows redirects itself; fetch drops Authorization on cross-origin redirects by specification.)
 */
export function guardRedirects(
  config: InternalAxiosRequestConfig,
  mayReceiveToken: (href: string) => boolean,
): void {
  const previous = config.beforeRedirect;
  const guarded: BeforeRedirect = (options, responseDetails, requestDetails) => {
    previous?.(options, responseDetails, requestDetails);
    const href = typeof options.href === 'string' ? options.href : '';
    if (mayReceiveToken(href)) return;
    const headers = options.headers as Record<string, unknown> | undefined;
    for (const name of Object.keys(headers ?? {})) {
      if (name.toLowerCase() === 'authorization') delete (headers as Record<string, unknown>)[name];
    }
  };
  config.beforeRedirect = guarded;
}
