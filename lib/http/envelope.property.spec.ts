import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import axios from 'axios';
import fc from 'fast-check';
import { validateHeaderValue } from 'node:http';
import { inspect } from 'node:util';
import { ExotelError } from '../errors/exotel.error.js';
import { resolveOptions } from '../options/resolve-options.js';
import { FakeExotelServer } from '../testing/fake-exotel-server.js';
import { TokenMinter } from '../token/token-minter.js';
import { prototypesUntouched, snapshotPrototypes } from '../../test/support/prototype-snapshot.js';
import { checkReply, type ReplyContext } from './reply-error.js';

// Hostile replies from "Exotel" (or whatever sits at baseUrl): the judge must only ever answer with an
// envelope or a typed ExotelError, quickly, without touching any prototype or quoting a secret.
const RUNS = Number(process.env.FC_RUNS ?? 300); // FC_RUNS=5000 for a deeper soak
const SECRET = 'S3cr3t-do-not-print-7f1c2a'; // distinctive, so a hit is a real leak, not a coincidence
const pristine = snapshotPrototypes();

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
const pollutingText = fc
  .array(fc.tuple(hostileKey, hostileValue), { maxLength: 6 })
  .map(
    (pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
  );
const envelopeText = fc
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
const body = fc.oneof(
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
const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504),
  fc.integer({ min: -5, max: 1000 }),
  fc.constantFrom(Number.NaN, Infinity, 200.5),
);
const contentType = fc.option(
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
const retryAfter = fc.option(
  fc.oneof(
    fc.nat().map(String),
    fc.string({ maxLength: 40 }),
    fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
    fc.constant('-1'),
  ),
  { nil: undefined },
);
const context = fc.record({
  kind: fc.constantFrom<ReplyContext['kind']>('token', 'api'),
  what: fc.constantFrom('POST /token', 'GET /usermapping', 'PUT /app/settings'),
  credential: fc.option(fc.constantFrom('customer', "app 'default'"), { nil: undefined }),
});

/** Every way a caller could print an error; none may contain the secret. */
function printed(error: ExotelError): string {
  return `${error.message}\n${JSON.stringify(error)}\n${inspect(error)}\n${String(error)}`;
}

describe('checkReply under hostile replies (property)', () => {
  it('returns an envelope only for a 2xx JSON object with Data, else throws a typed ExotelError without the secret', () => {
    fc.assert(
      fc.property(status, contentType, retryAfter, body, context, (st, ct, ra, b, ctx) => {
        let result: Record<string, unknown> | undefined;
        try {
          result = checkReply(
            { status: st, contentType: ct, retryAfter: ra, body: b },
            { ...ctx, secrets: [SECRET] },
          );
        } catch (error) {
          expect(error).toBeInstanceOf(ExotelError);
          expect(Object.getPrototypeOf(error)).not.toBe(ExotelError.prototype); // a subclass says which failure
          expect(printed(error as ExotelError)).not.toContain(SECRET);
          const retry = (error as ExotelError).retryAfterSeconds;
          if (retry !== undefined) expect(retry >= 0 && retry <= 86_400).toBe(true);
        }
        if (result) {
          expect(st >= 200 && st < 300).toBe(true);
          expect(Object.prototype.hasOwnProperty.call(result, 'Data')).toBe(true);
          expect(result.Status).not.toBe('Failed');
        }
        expect(prototypesUntouched(pristine)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

/** A TokenMinter over a stub axios: the whole parse path of `POST /token`, no network. */
function minterAnswering(reply: () => unknown): TokenMinter {
  const options = resolveOptions({
    baseUrl: 'http://127.0.0.1:9/v2/integrations',
    customer: { id: 'cust-1', secret: SECRET },
    logger: false,
  });
  const http = { axiosRef: { request: async () => reply() } };
  return new TokenMinter(http as never, options);
}

describe('TokenMinter parsing under hostile replies (property)', () => {
  const reply = fc.record({
    status,
    headers: fc.record(
      {
        'content-type': contentType,
        'retry-after': fc.oneof(retryAfter, fc.array(fc.nat().map(String), { maxLength: 2 })),
      },
      { requiredKeys: [] },
    ),
    data: body,
  });
  const thrown = fc.oneof(
    fc.anything({ maxDepth: 1 }),
    fc.constant(Object.assign(new Error(`connect ${SECRET}`), { code: 'ECONNRESET' })),
  );

  it('yields a header-safe token or a typed ExotelError, never another error and never the secret', async () => {
    const credential = resolveOptions({ customer: { id: 'cust-1', secret: SECRET }, logger: false })
      .credentials[0];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 9, arbitrary: reply.map((r) => ({ r })) },
          { weight: 1, arbitrary: thrown.map((t) => ({ t })) },
        ),
        async (outcome) => {
          const minter = minterAnswering(() => {
            if ('t' in outcome) throw outcome.t;
            return outcome.r;
          });
          try {
            const { token } = await minter.mint(credential);
            // Whatever gets through must be sendable as an Authorization header as-is.
            expect(() => validateHeaderValue('authorization', token)).not.toThrow();
            expect(token.trim()).toBe(token);
            expect(token).not.toBe('');
          } catch (error) {
            expect(error).toBeInstanceOf(ExotelError);
            expect(printed(error as ExotelError)).not.toContain(SECRET);
          }
          expect(prototypesUntouched(pristine)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('TokenMinter against a real FakeExotelServer body fault (property sample)', () => {
  const fake = new FakeExotelServer();
  let minter: TokenMinter;
  let credential: ReturnType<typeof resolveOptions>['credentials'][number];
  beforeAll(async () => {
    await fake.start();
    const customer = fake.addCustomer({ secret: SECRET });
    const options = resolveOptions({
      baseUrl: fake.baseUrl,
      customer,
      logger: false,
      requestTimeoutMs: 5000,
    });
    credential = options.credentials[0];
    minter = new TokenMinter({ axiosRef: axios.create() } as never, options);
  });
  afterAll(() => fake.stop());

  // The same bodies over real HTTP: headers, charset decoding and axios's text handling included.
  it('turns every raw body into a header-safe token or a typed ExotelError', async () => {
    const wireBody = fc.oneof(
      envelopeText,
      pollutingText,
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 200 }),
    );
    const wireStatus = fc.constantFrom(200, 201, 400, 401, 404, 429, 500, 503);
    const wireType = fc.constantFrom(
      'application/json',
      'text/html; charset=utf-8',
      'text/plain',
      'application/octet-stream',
    );
    await fc.assert(
      fc.asyncProperty(wireStatus, wireType, wireBody, async (st, ct, b) => {
        fake.clearFaults().fault('POST /token', { status: st, body: b, contentType: ct });
        try {
          const { token } = await minter.mint(credential);
          expect(() => validateHeaderValue('authorization', token)).not.toThrow();
        } catch (error) {
          expect(error).toBeInstanceOf(ExotelError);
          expect(printed(error as ExotelError)).not.toContain(SECRET);
        }
        expect(prototypesUntouched(pristine)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
