import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { ExotelExceptionFilter } from './exotel-exception.filter.js';
import {
  ExotelAuthError,
  ExotelConfigError,
  type ExotelError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
} from './exotel.error.js';

const tokenRefused = new ExotelAuthError('POST /token (customer) was rejected with HTTP 401', {
  httpStatus: 401,
  credential: 'customer',
  operation: 'POST /token',
  phase: 'mint',
});
const downstreamRefused = new ExotelAuthError("GET /usermapping (app 'default') was rejected with HTTP 403", {
  httpStatus: 403,
  credential: "app 'default'",
  operation: 'GET /usermapping',
  phase: 'call',
});

// The protected wording, reached the way a subclass would.
class Probe extends ExotelExceptionFilter {
  constructor() {
    super(undefined as never);
  }
  body(error: ExotelError) {
    return this.bodyOf(error);
  }
}

describe('ExotelExceptionFilter', () => {
  it.each<[ExotelError, number]>([
    [tokenRefused, 502],
    [downstreamRefused, 502],
    [new ExotelUnavailableError('x'), 503],
    [new ExotelProtocolError('x'), 502],
    [new ExotelRequestError('x'), 400],
    [new ExotelNotFoundError('x'), 404],
    [new ExotelUnknownCredentialError('x'), 404],
    [new ExotelConfigError(['x']), 500],
  ])('maps %s to %i, never 401: the caller sent no Exotel credentials', (error, status) => {
    expect(ExotelExceptionFilter.statusOf(error)).toBe(status);
  });

  it("says whose credential was refused: the server's own, or the token minted from it", () => {
    const probe = new Probe();
    expect(probe.body(tokenRefused).message).toMatch(
      /^Exotel refused this server's own customer credentials; not a problem with your request.*POST \/token/,
    );
    expect(probe.body(downstreamRefused).message).toMatch(
      /^Exotel refused the token this server minted with its app 'default' credentials.*GET \/usermapping/,
    );
    const other = new ExotelNotFoundError('GET /usermapping found nothing (HTTP 404)', { requestId: 'r-1' });
    expect(probe.body(other)).toEqual({
      statusCode: 404,
      error: 'ExotelNotFoundError',
      message: other.message,
      requestId: 'r-1',
      exotelStatus: null,
      credential: null,
    });
  });

  it('returns problems of a refused input only, never those of a configuration error', () => {
    const refused = new ExotelRequestError('bad input');
    refused.problems = ['AppUserId: must not be empty'];
    expect(new Probe().body(refused).problems).toEqual(['AppUserId: must not be empty']);
    expect(new Probe().body(new ExotelConfigError(['customer.secret: missing']))).not.toHaveProperty(
      'problems',
    );
  });

  describe('catch', () => {
    // The adapter's calls, recorded: Express and Fastify differ only behind HttpAdapterHost.
    const answer = (error: ExotelError, headersSent: boolean, type = 'http') => {
      const calls: unknown[][] = [];
      const httpAdapter = {
        isHeadersSent: () => headersSent,
        setHeader: (...args: unknown[]) => calls.push(['setHeader', ...args.slice(1)]),
        reply: (...args: unknown[]) => calls.push(['reply', ...args.slice(1)]),
        end: () => calls.push(['end']),
      };
      const host = {
        getType: () => type,
        switchToHttp: () => ({ getResponse: () => ({}) }),
      } as unknown as ArgumentsHost;
      const filter = new ExotelExceptionFilter({ httpAdapter } as unknown as HttpAdapterHost);
      filter.catch(error, host);
      return calls;
    };
    const unavailable = new ExotelUnavailableError('Exotel is down', {
      retryAfterSeconds: 30,
      requestId: 'r-2',
    });

    it('answers the status, Retry-After and the body', () => {
      const calls = answer(unavailable, false);
      expect(calls.map(([name]) => name)).toEqual(['setHeader', 'reply']);
      expect(calls[0]).toEqual(['setHeader', 'Retry-After', '30']);
      expect(calls[1]).toMatchObject(['reply', { statusCode: 503, requestId: 'r-2' }, 503]);
    });

    it('ends a response whose headers already left instead of writing a second answer', () => {
      expect(answer(unavailable, true)).toEqual([['end']]);
    });

    it('rethrows outside HTTP, for the RPC or WebSocket layer to answer', () => {
      expect(() => answer(unavailable, false, 'rpc')).toThrow(unavailable);
    });
  });
});
