import { describe, expect, it } from '@jest/globals';
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
});
