import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import {
  ExotelError,
  ExotelProtocolError,
  ExotelUnavailableError,
  type ExotelPhase,
} from '../errors/exotel.error.js';
import type { ExotelAuthScheme } from '../interfaces/exotel-webrtc-options.interface.js';
import { armDeadline, armsDeadline, endDeadline } from './deadline.js';
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
  /**
   * Deadline for the whole exchange (connect, headers and body), in ms. Armed here unless the
   * instance arms one itself before dispatch (`installDeadline`, as the module's instance does).
   */
  timeoutMs?: number;
  /** Largest reply body accepted, counted after decompression; default: the instance's `maxContentLength`. */
  maxResponseBytes?: number;
  /** How messages name that limit, e.g. `maxResponseBytes`. */
  limitName?: string;
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
  const config: AxiosRequestConfig = {
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
    // The library follows no redirect: a 3xx is judged as a reply (the reply checks name where it
    // pointed), so neither a secret nor a token nor a request body is ever sent to a Location.
    maxRedirects: 0,
    fetchOptions: { ...request.config?.fetchOptions, redirect: 'manual' },
    signal: request.signal,
  };
  if (request.maxResponseBytes !== undefined) config.maxContentLength = request.maxResponseBytes;
  const armed = request.timeoutMs !== undefined && !armsDeadline(http);
  if (armed) armDeadline(config, request.timeoutMs as number);
  let response: AxiosResponse<unknown>;
  try {
    response = await http.request(config);
  } catch (error) {
    // The interceptor's own refusals (an open 401 breaker, an unknown credential) are already typed.
    if (error instanceof ExotelError) throw error;
    const failure = armed ? endDeadline(config, error) : error;
    throw tooLarge(failure, request) ?? transportError(failure, operation, phase, credential);
  } finally {
    if (armed) endDeadline(config);
  }
  const secrets = [...(request.secrets ?? []), ...sentTokens(response.config?.headers?.Authorization)];
  const headers = (response.headers ?? {}) as Record<string, unknown>;
  const envelope = checkReply(
    {
      status: response.status,
      contentType: String(headers['content-type'] ?? ''),
      retryAfter: headers['retry-after'] as string | undefined,
      location: headers.location,
      url: status3xx(response.status) ? requestUrl(http, response.config) : undefined,
      body: response.data,
    },
    { phase, operation, credential, secrets },
  );
  return { envelope, status: response.status, requestId: requestIdOf(envelope, secrets) };
}

function status3xx(status: number): boolean {
  return status >= 300 && status < 400;
}

/** The URL a request went to, for resolving a relative Location; undefined when it cannot be told. */
function requestUrl(http: AxiosInstance, config: AxiosRequestConfig | undefined): string | undefined {
  try {
    return config && typeof http.getUri === 'function' ? http.getUri(config) : undefined;
  } catch {
    return undefined;
  }
}

/** The reply was cut at the size limit (axios counts bytes after decompression): a protocol error naming the limit. */
function tooLarge(error: unknown, request: WireRequest): ExotelProtocolError | undefined {
  const { code, message, config } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    config?: AxiosRequestConfig;
  };
  if (code !== 'ERR_BAD_RESPONSE' || typeof message !== 'string' || !message.includes('maxContentLength'))
    return undefined;
  const cap = request.maxResponseBytes ?? config?.maxContentLength;
  const limit = typeof cap === 'number' ? `${cap} bytes` : 'the size limit';
  const who = request.credential ? ` (${request.credential})` : '';
  return new ExotelProtocolError(
    `${request.operation}${who} answered more than ${limit} (${request.limitName ?? 'maxResponseBytes'}); ` +
      'the reply was cut off there',
    {
      credential: request.credential,
      operation: request.operation,
      phase: request.phase,
      code: 'ERR_RESPONSE_TOO_LARGE',
    },
  );
}

/** The Authorization value sent, and its bare token: Exotel's error text must not echo either into a message. */
export function sentTokens(header: unknown): string[] {
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
