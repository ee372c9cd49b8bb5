import type { ConfigService } from '@nestjs/config';
import { type ExotelWebrtcModuleOptions, fromEnv } from 'nestjs-exotel-webrtc';
import type { EmbeddedExotel } from '../embedded-exotel/embedded-exotel.js';
import type { InMemoryAppCredentials } from './in-memory-app-credentials.js';
import { tokenStoreOf } from './token-store.js';

/** The variables `fromEnv` reads. */
export const EXOTEL_VARIABLES = [
  'EXOTEL_WEBRTC_BASE_URL',
  'EXOTEL_CUSTOMER_ID',
  'EXOTEL_CUSTOMER_SECRET',
  'EXOTEL_APP_ID',
  'EXOTEL_APP_SECRET',
  'EXOTEL_AUTH_SCHEME',
] as const;

/**
 * Options for `ExotelWebrtcModule.forRootAsync`: the configured host and credentials, or the embedded
 * fake with its demo credentials (configured credentials are then ignored: they would not work there).
 * Empty variables count as unset. With `EXOTEL_REDIS_URL`, tokens are shared through Redis.
 * Apps registered with `POST /apps` are looked up in `appCredentials`, which keeps them in memory only
 * (a restart forgets them; a real app answers from its database or secret manager).
 */
export function exotelOptionsFactory(
  config: ConfigService,
  embedded: EmbeddedExotel,
  appCredentials: InMemoryAppCredentials,
): ExotelWebrtcModuleOptions {
  const env = Object.fromEntries(EXOTEL_VARIABLES.map((name) => [name, config.get<string>(name)]));
  const store = tokenStoreOf(config);
  return fromEnv(
    { ...env, ...embedded.demoEnv() },
    { ...(store ? { store } : {}), credentialSource: appCredentials },
  );
}
