import fc from 'fast-check';
import { inspect } from 'node:util';

// Arbitraries for hostile replies from "Exotel" (or whatever sits at baseUrl), shared by the property
// specs of the envelope judge and the token minter. Kept out of lib/ so that dist/ never sees fast-check.

/** Distinctive, so a hit is a real leak, not a coincidence. */
export const SECRET = 'S3cr3t-do-not-print-7f1c2a';

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'Data',
  'Status',
  'Code',
  'Error',
  'RequestId',
);
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    SECRET,
    `x${SECRET}x`,
    'Failed',
    'Success',
    '\r\n',
    'tok\u0000en',
    'tök\u0100',
    '\u2028',
  ),
  fc.integer({ min: -1, max: 600 }),
  fc.constant({ polluted: 'yes' }),
);
/** JSON text with own `__proto__` / `constructor` keys, as only JSON.parse can make them. */
export const pollutingText = fc
  .array(fc.tuple(hostileKey, hostileValue), { maxLength: 6 })
  .map(
    (pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
  );
export const envelopeText = fc
  .record(
    {
      RequestId: fc.oneof(fc.uuid(), fc.constant(SECRET), fc.string({ maxLength: 300 }), fc.integer()),
      Status: fc.oneof(fc.constantFrom('Success', 'Failed', 'failed', ''), fc.jsonValue({ maxDepth: 1 })),
      Code: fc.oneof(
        fc.constantFrom(200, 400, 401, 500),
        fc.integer(),
        fc.double(),
        fc.string({ maxLength: 5 }),
      ),
      Error: fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.constant(`refused ${SECRET}`),
        fc.string({ maxLength: 195 }).map((s) => s + SECRET),
      ),
      Data: hostileValue,
    },
    { requiredKeys: [] },
  )
  .map((o) => JSON.stringify(o));
const hugeText = fc
  .constantFrom('"', '{"Data":"', '[', '{')
  .chain((head) => fc.integer({ min: 1 << 16, max: 1 << 21 }).map((n) => head + 'x'.repeat(n)));
const deepText = fc.integer({ min: 1000, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
export const body = fc.oneof(
  { weight: 3, arbitrary: envelopeText },
  { weight: 2, arbitrary: pollutingText },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  { weight: 1, arbitrary: hugeText },
  { weight: 1, arbitrary: deepText },
  // axios may hand over a parsed object, a Buffer or nothing at all
  {
    weight: 1,
    arbitrary: fc.anything({
      maxDepth: 2,
      withBigInt: true,
      withMap: true,
      withNullPrototype: true,
      withTypedArray: true,
    }),
  },
);
export const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: -5, max: 1000 }),
  fc.constantFrom(Number.NaN, Infinity, 200.5),
);
export const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/html',
      'TEXT/HTML; charset=utf-8',
      'text/plain',
      '',
    ),
    fc.string({ maxLength: 40 }),
  ),
  { nil: undefined },
);
export const retryAfter = fc.option(
  fc.oneof(
    fc.nat().map(String),
    fc.string({ maxLength: 40 }),
    fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    fc.constant('-1'),
  ),
  { nil: undefined },
);
export const context = fc.record({
  phase: fc.constantFrom<'mint' | 'call'>('mint', 'call'),
  operation: fc.constantFrom('POST /token', 'GET /usermapping', 'PUT /app/settings'),
  credential: fc.option(fc.constantFrom('customer', "app 'default'"), { nil: undefined }),
});

/** Every way a caller could print an error; none may contain the secret. */
export function printed(error: Error): string {
  return `${error.message}\n${JSON.stringify(error)}\n${inspect(error)}\n${String(error)}`;
}

/**
 * Location headers a hostile 3xx may carry. The secret rides only where a message must never look:
 * path, query, fragment, userinfo (the origin of a redirect target is named in errors, by design).
 */
export const location = fc.option(
  fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }).map((u) => `${u}?s=${SECRET}`),
    fc.webUrl().map((u) => `${u.replace(/\/$/, '')}/${SECRET}/x`),
    fc.constantFrom(
      `/relative/${SECRET}?q=${SECRET}`,
      `?q=${SECRET}`,
      `//other.example/${SECRET}`,
      `http://user:${SECRET}@evil.example/`,
      `data:text/plain,${SECRET}`,
      `javascript:alert('${SECRET}')`,
      '',
      ' ',
      'http://[::1',
    ),
    fc.string({ maxLength: 60 }).map((s) => `${s}?s=${SECRET}`),
    fc.string({ maxLength: 60 }).map((s) => `${s}#${SECRET}`),
    fc.anything({ maxDepth: 1 }),
  ),
  { nil: undefined },
);

/** The request URL a relative Location resolves against (or none, or junk). */
export const requestUrl = fc.option(
  fc.constantFrom(
    'http://127.0.0.1:9/v2/integrations/app',
    'https://integrationscore.mum1.exotel.com/x',
    'not a url',
  ),
  { nil: undefined },
);
