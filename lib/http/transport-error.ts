import { ExotelUnavailableError } from '../errors/exotel-unavailable.error.js';

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/**
 * Maps an error thrown before any reply arrived (timeout, reset, refused, DNS) to
 * ExotelUnavailableError. The original error holds the request config (and so secrets or tokens),
 * so only its code is kept.
 */
export function transportError(error: unknown, what: string, credential?: string): ExotelUnavailableError {
  const code =
    typeof (error as { code?: unknown })?.code === 'string'
      ? (error as { code: string }).code
      : 'ERR_NETWORK';
  const why = TIMEOUT_CODES.has(code)
    ? 'timed out'
    : code === 'ERR_CANCELED'
      ? 'was cancelled'
      : `failed (${code})`;
  const who = credential ? ` (${credential})` : '';
  return new ExotelUnavailableError(`${what}${who} ${why}; Exotel could not be reached`, {
    code,
    credential,
  });
}
