import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/**
 * Per-request control of the auth interceptor: `http.get('/app', { exotel: { app: 'support' } })`.
 * @publicApi
 */
export interface ExotelRequestOptions {
  /** Which token to send; by default it follows the endpoint (customer token for `/customer`, `POST /app`, `GET /app?entity=customer`). */
  entity?: ExotelEntity;
  /** Named app whose token to send when the request carries an app token (default `default`). */
  app?: string;
  /** Send no token at all. */
  skipAuth?: boolean;
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** nestjs-exotel-webrtc: which token this request carries. */
    exotel?: ExotelRequestOptions;
  }
}
