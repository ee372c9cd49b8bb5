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
//
// ExotelAuthError is a 502, never a 401: the sample's caller sends no Exotel credentials. What Exotel
// refused is this server's own credential (POST /token) or the token minted from it (a downstream
// 401/403 that survived a re-mint), so the fault is upstream of the caller, and a 401 would wrongly
// read as "your login failed" (and would need a WWW-Authenticate challenge the caller cannot answer).
const STATUS_BY_CLASS: ReadonlyArray<[abstract new (...args: any[]) => ExotelError, HttpStatus]> = [
  [ExotelAuthError, HttpStatus.BAD_GATEWAY],
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

/**
 * True when Exotel refused one of this server's own credentials while minting (`phase: 'mint'`: a
 * wrong Id or Secret), as opposed to a token refused by a later call.
 */
export function isRefusedServerCredential(error: ExotelError): boolean {
  return error instanceof ExotelAuthError && error.phase === 'mint';
}

/** Appended to an unknown credential's message: the library speaks of options and addApp(); the sample's caller uses POST /apps. */
export const UNKNOWN_APP_HINT =
  'This server manages the apps of its configuration and those added with POST /apps ' +
  '(kept in memory: a restart forgets them).';

/** The message for the sample's caller: the library's (secret-free), prefixed when a refusal needs explaining. */
export function clientMessageOf(error: ExotelError): string {
  if (error instanceof ExotelUnknownCredentialError) return `${error.message} ${UNKNOWN_APP_HINT}`;
  if (!(error instanceof ExotelAuthError)) return error.message;
  const credential = error.credential ?? 'configured';
  const who = isRefusedServerCredential(error)
    ? `Exotel refused this server's own ${credential} credentials (Id/Secret in its configuration)`
    : `Exotel refused the token this server minted with its ${credential} credentials`;
  return `${who}; not a problem with your request, the server's operator must fix it. ${error.message}`;
}
