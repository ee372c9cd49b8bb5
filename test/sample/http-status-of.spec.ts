import { describe, expect, it } from '@jest/globals';
import {
  ExotelAuthError,
  ExotelConfigError,
  type ExotelError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
} from 'nestjs-exotel-webrtc';
import {
  clientMessageOf,
  httpStatusOf,
  isRefusedServerCredential,
  UNKNOWN_APP_HINT,
} from '../../sample/errors/http-status-of.js';

const tokenRefused = new ExotelAuthError(
  'POST /token (customer) was rejected with HTTP 401; check the Id and Secret of this credential',
  { httpStatus: 401, credential: 'customer', operation: 'POST /token', phase: 'mint' },
);
const tokenBadRequest = new ExotelAuthError('Exotel refused the customer credentials', {
  httpStatus: 400,
  credential: 'customer',
  operation: 'POST /token',
  phase: 'mint',
});
const downstreamRefused = new ExotelAuthError(
  "GET /usermapping (app 'default') was rejected with HTTP 403; the token was refused",
  { httpStatus: 403, credential: "app 'default'", operation: 'GET /usermapping', phase: 'call' },
);

describe('httpStatusOf (sample)', () => {
  it.each<[ExotelError, number]>([
    [tokenRefused, 502],
    [downstreamRefused, 502],
    [new ExotelUnavailableError('x'), 503],
    [new ExotelProtocolError('x'), 502],
    [new ExotelRequestError('x'), 400],
    [new ExotelNotFoundError('x'), 404],
    [new ExotelUnknownCredentialError('x'), 404],
    [new ExotelConfigError(['x']), 500],
  ])('maps %s to %i', (error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });

  it('never answers 401: the caller sent no Exotel credentials', () => {
    for (const error of [tokenRefused, tokenBadRequest, downstreamRefused]) {
      expect(httpStatusOf(error)).not.toBe(401);
    }
  });

  it('tells a refused server credential (POST /token, or a 400 there) from a refused token', () => {
    expect(isRefusedServerCredential(tokenRefused)).toBe(true);
    expect(isRefusedServerCredential(tokenBadRequest)).toBe(true);
    expect(isRefusedServerCredential(downstreamRefused)).toBe(false);
    expect(
      isRefusedServerCredential(new ExotelUnavailableError('POST /token (customer) failed with HTTP 500')),
    ).toBe(false);
  });

  it('explains whose credentials were refused, keeping the library message', () => {
    expect(clientMessageOf(tokenRefused)).toMatch(
      /^Exotel refused this server's own customer credentials .*not a problem with your request.*POST \/token/,
    );
    expect(clientMessageOf(downstreamRefused)).toMatch(
      /^Exotel refused the token this server minted with its app 'default' credentials.*GET \/usermapping/,
    );
    const other = new ExotelNotFoundError('GET /usermapping found nothing (HTTP 404)');
    expect(clientMessageOf(other)).toBe(other.message);
  });

  it('tells the caller of an unknown app how this server learns apps, keeping the library message', () => {
    const unknown = new ExotelUnknownCredentialError("No app 'support' credential is configured");
    expect(clientMessageOf(unknown)).toBe(`${unknown.message} ${UNKNOWN_APP_HINT}`);
    expect(UNKNOWN_APP_HINT).toContain('POST /apps');
  });
});
