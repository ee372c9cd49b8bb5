import type {
  ExotelCredentials,
  ExotelWebrtcModuleOptions,
} from '../interfaces/exotel-webrtc-options.interface.js';
import { exotelCredentials } from './exotel-credentials.js';

/** Environment variables read by `fromEnv`. */
export interface ExotelWebrtcEnv {
  EXOTEL_WEBRTC_BASE_URL?: string | undefined;
  EXOTEL_CUSTOMER_ID?: string | undefined;
  EXOTEL_CUSTOMER_SECRET?: string | undefined;
  EXOTEL_APP_ID?: string | undefined;
  EXOTEL_APP_SECRET?: string | undefined;
  EXOTEL_AUTH_SCHEME?: string | undefined;
  [name: string]: string | undefined;
}

function pair(id: string | undefined, secret: string | undefined): ExotelCredentials | undefined {
  // Half a pair is kept so that validation can name the missing half instead of ignoring it.
  if (!id && !secret) return undefined;
  return exotelCredentials(id ?? '', secret ?? '');
}

/**
 * Builds module options from environment variables (`EXOTEL_WEBRTC_BASE_URL`, `EXOTEL_CUSTOMER_ID`,
 * `EXOTEL_CUSTOMER_SECRET`, `EXOTEL_APP_ID`, `EXOTEL_APP_SECRET`, `EXOTEL_AUTH_SCHEME`). Pass
 * `ConfigService`-backed values or `process.env`. `EXOTEL_REDIS_URL` is read by the caller, since the
 * Redis store lives in the optional `nestjs-exotel-webrtc/redis` entry. Unset variables are left out so
 * the defaults apply; `overrides` are merged last.
 * @publicApi
 */
export function fromEnv(
  env: ExotelWebrtcEnv = process.env,
  overrides: Partial<ExotelWebrtcModuleOptions> = {},
): ExotelWebrtcModuleOptions {
  const options: ExotelWebrtcModuleOptions = {};
  if (env.EXOTEL_WEBRTC_BASE_URL) options.baseUrl = env.EXOTEL_WEBRTC_BASE_URL;
  const customer = pair(env.EXOTEL_CUSTOMER_ID, env.EXOTEL_CUSTOMER_SECRET);
  if (customer) options.customer = customer;
  const app = pair(env.EXOTEL_APP_ID, env.EXOTEL_APP_SECRET);
  if (app) options.app = app;
  if (env.EXOTEL_AUTH_SCHEME) options.authScheme = env.EXOTEL_AUTH_SCHEME as 'raw' | 'Bearer';
  return { ...options, ...overrides };
}
