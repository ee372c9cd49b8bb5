import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { ExotelError, ExotelUnavailableError, type ExotelPhase } from '../errors/exotel.error.js';
import type { ExotelAuthScheme } from '../interfaces/exotel-webrtc-options.interface.js';
import { checkReply, requestIdOf } from './reply.js';

/** The `Authorization` value for a token: the token itself, or `Bearer <token>`. */
export function authorizationValue(scheme: ExotelAuthScheme, token: string): string {
  return scheme === 'Bearer' ? `Bearer ${token}` : token;
}

/** One exchange with the integrations API. */
export interface WireRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute, or relative to the instance's `baseURL`. */
  url: string;
  /** How errors name the exchange, e.g. `POST /token`. */
  operation: string;
  phase: ExotelPhase;
  /** Label of the credential involved, for messages. */
  credential?: string;
  params?: Record<string, string | number>;
  /** JSON text, sent exactly as given. */
  body?: string;
  /** Values that must never be quoted from the reply (the secret sent to `/token`). */
  secrets?: readonly string[];
  signal?: AbortSignal;
  /** Further axios settings, e.g. the interceptor's per-request options. */
  config?: AxiosRequestConfig;
}

/** A reply that passed every check. */
export interface WireReply {
  envelope: Record<string, unknown>;
  status: number;
  requestId?: string;
}

/**
 * Sends one request and judges the raw reply. The body is read as text and every status is accepted
 * by axios, so that the reply checks (not axios) tell a malformed body from a refused request; every
 * failure leaves as a typed `ExotelError`. Axios errors never escape: they hold the request config,
 * and with it secrets or tokens.
 */
export async function send(http: AxiosInstance, request: WireRequest): Promise<WireReply> {
  const { operation, phase, credential } = request;
  let response: AxiosResponse<unknown>;
  try {
    response = await http.request({
      ...request.config,
      method: request.method,
      url: request.url,
      params: request.params,
      data: request.body,
      headers:
        request.body === undefined
          ? { Accept: 'application/json' }
          : { Accept: 'application/json', 'Content-Type': 'application/json' },
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      signal: request.signal,
    });
  } catch (error) {
    // The interceptor's own refusals (an open 401 breaker, an unknown credential) are already typed.
    if (error instanceof ExotelError) throw error;
    throw transportError(error, operation, phase, credential);
  }
  const secrets = [...(request.secrets ?? []), ...sentTokens(response.config?.headers?.Authorization)];
  const envelope = checkReply(
    {
      status: response.status,
      contentType: String(response.headers['content-type'] ?? ''),
      retryAfter: response.headers['retry-after'] as string | undefined,
      body: response.data,
    },
    { phase, operation, credential, secrets },
  );
  return { envelope, status: response.status, requestId: requestIdOf(envelope, secrets) };
}

/** The Authorization value sent, and its bare token: Exotel's error text must not echo either into a message. */
function sentTokens(header: unknown): string[] {
  if (typeof header !== 'string' || header === '') return [];
  return [header, header.replace(/^Bearer\s+/i, '')];
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/**
 * Maps an error thrown before any reply arrived (timeout, reset, refused, DNS) to
 * ExotelUnavailableError. Only its code is kept: the original error holds the request config.
 */
function transportError(
  error: unknown,
  operation: string,
  phase: ExotelPhase,
  credential?: string,
): ExotelUnavailableError {
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
  return new ExotelUnavailableError(`${operation}${who} ${why}; Exotel could not be reached`, {
    code,
    credential,
    operation,
    phase,
  });
}
