import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cross-origin access for browsers, e.g. a page running Exotel's browser SDK against the fake. Off unless
 * given: the real integrations API's CORS policy is not documented, so the fake sends no CORS headers.
 */
export interface FakeCorsOptions {
  /**
   * Origins allowed to call the fake from a browser: a string matches one origin exactly
   * (`'http://127.0.0.1:3000'`), a RegExp is tested against the request's `Origin` header. Requests from
   * other origins get no CORS headers, so the browser blocks them.
   */
  origins: ReadonlyArray<string | RegExp>;
  /** Seconds a browser may cache a preflight answer (`Access-Control-Max-Age`). Default 600. */
  maxAgeSeconds?: number;
}

const DEFAULT_MAX_AGE_SECONDS = 600;
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/** The `Origin` of `req` when `cors` allows it. */
function allowedOrigin(req: IncomingMessage, cors: FakeCorsOptions): string | undefined {
  const origin = req.headers.origin;
  if (!origin) return undefined;
  // search(), not test(): it ignores a /g or /y rule's lastIndex, so every request gets the same answer.
  const allowed = cors.origins.some((rule) =>
    typeof rule === 'string' ? rule === origin : origin.search(rule) !== -1,
  );
  return allowed ? origin : undefined;
}

/**
 * Adds CORS headers for an allowed origin and answers its preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) with 204 itself. Returns true when the request was answered here: a
 * preflight is browser plumbing, not a call to the API, so it is neither routed nor recorded.
 */
export function handleCors(
  req: IncomingMessage,
  res: ServerResponse,
  cors: FakeCorsOptions | undefined,
): boolean {
  const origin = cors && allowedOrigin(req, cors);
  if (!cors || !origin) return false;
  // The answer depends on Origin: caches must not hand one origin's answer to another.
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Origin', origin);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    // Whatever the browser asks for (Authorization, Content-Type): the fake checks the values, not the names.
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '',
    'Access-Control-Max-Age': String(cors.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS),
    'Content-Length': '0',
  });
  res.end();
  return true;
}
