import type { AxiosResponse } from 'axios';
import { ExotelProtocolError } from '../errors/exotel-protocol.error.js';
import { ExotelError } from '../errors/exotel.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import { requestIdOf } from '../http/exotel-envelope.js';
import type { ExotelHttpService } from '../http/exotel-http.service.js';
import '../http/exotel-request-options.js';
import { checkReply } from '../http/reply-error.js';
import { transportError } from '../http/transport-error.js';

/**
 * One call to an Exotel endpoint.
 * @publicApi
 */
export interface ExotelCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to baseUrl, e.g. `/usermapping`. */
  path: string;
  params?: Record<string, string | number>;
  /** JSON body. */
  body?: unknown;
  /** Which token to send. */
  entity: ExotelEntity;
  /** Named app for app tokens (default `default`). */
  app?: string;
  /** Accept a reply whose `Data` is empty (null or `""`). Default false: an empty `Data` is a protocol error. */
  allowEmptyData?: boolean;
}

/**
 * `Data` of a successful reply with Exotel's `RequestId`.
 * @publicApi
 */
export interface ExotelReply<T> {
  data: T;
  requestId?: string;
}

/**
 * Sends a call through ExotelHttpService (so the interceptor adds the token) and judges the raw reply:
 * the envelope is unwrapped into `Data`, and every failure becomes a typed ExotelError with the
 * RequestId kept. Axios errors never escape: they hold the request config.
 */
export class ExotelCaller {
  constructor(private readonly http: ExotelHttpService) {}

  async send<T>(call: ExotelCall): Promise<ExotelReply<T>> {
    const what = `${call.method} ${call.path}`;
    const app = call.entity === 'app' ? (call.app ?? 'default') : undefined;
    const credential = app === undefined ? 'customer' : `app '${app}'`;
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.axiosRef.request({
        method: call.method,
        url: call.path,
        params: call.params,
        data: call.body === undefined ? undefined : JSON.stringify(call.body),
        headers:
          call.body === undefined
            ? { Accept: 'application/json' }
            : { Accept: 'application/json', 'Content-Type': 'application/json' },
        // Raw text, every status: checkReply tells a malformed body from a refused request.
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        exotel: { entity: call.entity, app },
      });
    } catch (error) {
      if (error instanceof ExotelError) throw error;
      throw transportError(error, what, credential);
    }
    const envelope = checkReply(
      {
        status: response.status,
        contentType: String(response.headers['content-type'] ?? ''),
        retryAfter: response.headers['retry-after'] as string | undefined,
        body: response.data,
      },
      { kind: 'api', what, credential, secrets: sentTokens(response.config?.headers?.Authorization) },
    );
    const requestId = requestIdOf(envelope);
    const data = envelope.Data;
    if ((data === null || data === undefined || data === '') && !call.allowEmptyData) {
      throw new ExotelProtocolError(`${what} (${credential}) answered an empty Data`, {
        requestId,
        httpStatus: response.status,
        credential,
      });
    }
    return { data: data as T, requestId };
  }
}

/** The Authorization value sent, and its bare token: Exotel's error text must not echo either into a message. */
function sentTokens(header: unknown): string[] {
  if (typeof header !== 'string' || header === '') return [];
  return [header, header.replace(/^Bearer\s+/i, '')];
}
