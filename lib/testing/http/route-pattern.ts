import { BASE_PATH } from './exchange.js';

/**
 * A route as `'<METHOD> <path>'` with the path relative to `/v2/integrations`, e.g. `'POST /token'`,
 * `'GET /usermapping'`; or `'*'` for every route. A query may be appended (`'GET /app?entity=customer'`)
 * to match only requests carrying those exact query values.
 */
export type FakeRoute = string;

/** The parts of a request a {@link FakeRoute} is matched against. */
export interface RouteTarget {
  method: string;
  path: string;
  query: Record<string, string>;
}

/**
 * True when `route` ('*', 'GET /app' or 'GET /app?entity=customer') covers the request. A query in the
 * route narrows the match to requests carrying those values; extra request parameters are ignored.
 */
export function routeMatches(route: FakeRoute, target: RouteTarget): boolean {
  const trimmed = route.trim();
  if (trimmed === '*') return true;
  const space = trimmed.indexOf(' ');
  if (space < 0) throw new Error(`FakeExotelServer: route '${route}' must look like 'GET /path' or '*'`);
  const method = trimmed.slice(0, space).toUpperCase();
  const rest = trimmed.slice(space + 1).trim();
  const question = rest.indexOf('?');
  const path = question < 0 ? rest : rest.slice(0, question);
  if (method !== target.method.toUpperCase() || normalise(path) !== normalise(target.path)) return false;
  if (question < 0) return true;
  const wanted = new URLSearchParams(rest.slice(question + 1));
  for (const [name, value] of wanted) {
    if (target.query[name] !== value) return false;
  }
  return true;
}

/** Throws early on a malformed route so a typo in a test fails loudly instead of never matching. */
export function assertRoute(route: FakeRoute): void {
  routeMatches(route, { method: 'GET', path: '/', query: {} });
}

// Tolerate a trailing slash or a route written with the full base path.
function normalise(path: string): string {
  const withoutBase = path.startsWith(`${BASE_PATH}/`) ? path.slice(BASE_PATH.length) : path;
  return withoutBase.length > 1 ? withoutBase.replace(/\/+$/, '') : withoutBase;
}
