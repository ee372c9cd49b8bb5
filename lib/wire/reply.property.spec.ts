import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { validateHeaderValue } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { ExotelError, ExotelProtocolError } from '../errors/exotel.error.js';
import { resolveOptions } from '../options/resolve-options.js';
import { FakeExotelServer } from '../testing/index.js';
import { TOKEN_REPLY_MAX_BYTES, TokenMinter } from '../token/token-minter.js';
import {
  body,
  contentType,
  context,
  envelopeText,
  location,
  pollutingText,
  printed,
  requestUrl,
  retryAfter,
  SECRET,
  status,
} from '../../test/support/hostile-replies.js';
import { HostileServer } from '../../test/support/hostile-server.js';
import { prototypesUntouched, snapshotPrototypes } from '../../test/support/prototype-snapshot.js';
import { checkReply } from './reply.js';

// Hostile replies from "Exotel" (or whatever sits at baseUrl): the judge must only ever answer with an
// envelope or a typed ExotelError, quickly, without touching any prototype or quoting a secret.
const RUNS = Number(process.env.FC_RUNS ?? 300); // FC_RUNS=5000 for a deeper soak
const pristine = snapshotPrototypes();

describe('checkReply under hostile replies (property)', () => {
  it('returns an envelope only for a 2xx JSON object with Data, else throws a typed ExotelError without the secret', () => {
    fc.assert(
      fc.property(
        status,
        contentType,
        retryAfter,
        location,
        requestUrl,
        body,
        context,
        (st, ct, ra, loc, url, b, ctx) => {
          let result: Record<string, unknown> | undefined;
          try {
            result = checkReply(
              { status: st, contentType: ct, retryAfter: ra, location: loc, url, body: b },
              { ...ctx, secrets: [SECRET] },
            );
          } catch (error) {
            expect(error).toBeInstanceOf(ExotelError);
            // A 3xx is never followed: it is a protocol error that names at most the target's origin.
            if (st >= 300 && st < 400) {
              expect(error).toBeInstanceOf(ExotelProtocolError);
              expect((error as Error).message).toMatch(/was redirected \(HTTP \d+\) (to|without)/);
            }
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
        },
      ),
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
  const http = { request: async () => reply() };
  return new TokenMinter(options, http as never);
}

describe('TokenMinter parsing under hostile replies (property)', () => {
  const reply = fc.record({
    status,
    headers: fc.record(
      {
        'content-type': contentType,
        'retry-after': fc.oneof(retryAfter, fc.array(fc.nat().map(String), { maxLength: 2 })),
        location,
      },
      { requiredKeys: [] },
    ),
    data: body,
  });
  // What axios throws, with the request config (and so the secret) attached: a reset, its timeout,
  // the reply size limit. Only the code and the limit may come out.
  const withConfig = (message: string, code: string) =>
    Object.assign(new Error(`${message} ${SECRET}`), {
      code,
      config: { data: `{"Secret":"${SECRET}"}`, maxContentLength: 65_536 },
    });
  const thrown = fc.oneof(
    fc.anything({ maxDepth: 1 }),
    fc.constant(Object.assign(new Error(`connect ${SECRET}`), { code: 'ECONNRESET' })),
    fc.constant(withConfig('timeout of 10000ms exceeded', 'ECONNABORTED')),
    fc.constant(withConfig('maxContentLength size of 65536 exceeded', 'ERR_BAD_RESPONSE')),
    fc.constant(withConfig('stream has been aborted', 'ERR_BAD_RESPONSE')),
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
    minter = new TokenMinter(options);
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

describe('TokenMinter reply size limit over real HTTP (property)', () => {
  const server = new HostileServer();
  let minter: TokenMinter;
  let credential: ReturnType<typeof resolveOptions>['credentials'][number];
  beforeAll(async () => {
    await server.start();
    const options = resolveOptions({
      baseUrl: server.baseUrl,
      customer: { id: 'cust-1', secret: SECRET },
      logger: false,
      requestTimeoutMs: 5000,
    });
    credential = options.credentials[0];
    minter = new TokenMinter(options);
  });
  afterAll(() => server.stop());

  const encode: Record<string, (text: string) => Buffer> = {
    identity: (text) => Buffer.from(text),
    gzip: (text) => gzipSync(text),
    deflate: (text) => deflateSync(text),
    br: (text) => brotliCompressSync(text),
  };

  // The limit is exact and counted on the inflated body, whatever the encoding: a valid envelope of
  // n bytes is a token when n <= 64 KiB and a protocol error naming the limit when it is longer.
  it('accepts a /token reply of up to 65536 inflated bytes and refuses every longer one', async () => {
    const head = '{"Data":"tok-sized","Pad":"';
    const tail = '"}';
    const size = fc.oneof(
      fc.integer({ min: TOKEN_REPLY_MAX_BYTES - 64, max: TOKEN_REPLY_MAX_BYTES + 64 }),
      fc.integer({ min: head.length + tail.length, max: 4096 }),
      fc.integer({ min: TOKEN_REPLY_MAX_BYTES + 1, max: 1 << 20 }),
    );
    await fc.assert(
      fc.asyncProperty(size, fc.constantFrom('identity', 'gzip', 'deflate', 'br'), async (n, encoding) => {
        const text = head + 'x'.repeat(n - head.length - tail.length) + tail;
        const wire = encode[encoding](text);
        server.clear().on('POST /token', (_req, res) => {
          res.writeHead(200, {
            'Content-Type': 'application/json',
            ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
          });
          res.end(wire);
        });
        const outcome = await minter.mint(credential).then(
          (minted) => ({ token: minted.token }),
          (error: unknown) => ({ error }),
        );
        if (n <= TOKEN_REPLY_MAX_BYTES) {
          expect(outcome).toEqual({ token: 'tok-sized' });
        } else {
          const { error } = outcome as { error: Error };
          expect(error).toBeInstanceOf(ExotelProtocolError);
          expect(error.message).toContain('more than 65536 bytes (the limit for a token reply)');
        }
      }),
      { numRuns: 40 },
    );
  });
});
