import { HttpStatus } from '@nestjs/common';
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

// Most specific first: the first class an error is an instance of decides its status.
const STATUS_BY_CLASS: ReadonlyArray<[abstract new (...args: any[]) => ExotelError, HttpStatus]> = [
  [ExotelAuthError, HttpStatus.UNAUTHORIZED],
  [ExotelUnavailableError, HttpStatus.SERVICE_UNAVAILABLE],
  [ExotelProtocolError, HttpStatus.BAD_GATEWAY],
  [ExotelRequestError, HttpStatus.BAD_REQUEST],
  [ExotelNotFoundError, HttpStatus.NOT_FOUND],
  [ExotelUnknownCredentialError, HttpStatus.NOT_FOUND],
  [ExotelConfigError, HttpStatus.INTERNAL_SERVER_ERROR],
];

/** The status the sample answers for an error from the library; anything else from Exotel is a bad gateway. */
export function httpStatusOf(error: ExotelError): HttpStatus {
  return STATUS_BY_CLASS.find(([type]) => error instanceof type)?.[1] ?? HttpStatus.BAD_GATEWAY;
}
