import { ExotelProtocolError } from '../errors/exotel.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import type { ExotelHttpService } from '../http/exotel-http.service.js';
import '../http/exotel-request-options.js';
import { credentialLabel, DEFAULT_APP } from '../options/credential-identity.js';
import { send } from '../wire/send.js';

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
  /** Values the body carries that must never be quoted back in an error (Exotel's text is scrubbed of them). */
  secrets?: readonly string[];
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
    const operation = `${call.method} ${call.path}`;
    const app = call.entity === 'app' ? (call.app ?? DEFAULT_APP) : undefined;
    const credential = credentialLabel(call.entity, app);
    const { envelope, status, requestId } = await send(this.http.axiosRef, {
      method: call.method,
      url: call.path,
      operation,
      phase: 'call',
      credential,
      params: call.params,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      config: { exotel: { entity: call.entity, app } },
      secrets: call.secrets,
    });
    const data = envelope.Data;
    if ((data === null || data === undefined || data === '') && !call.allowEmptyData) {
      throw new ExotelProtocolError(`${operation} (${credential}) answered an empty Data`, {
        requestId,
        httpStatus: status,
        credential,
        operation,
        phase: 'call',
      });
    }
    return { data: data as T, requestId };
  }
}
