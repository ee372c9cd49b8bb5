import type { ConfigService } from '@nestjs/config';
import type { TokenStore } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';

/** `EXOTEL_REDIS_URL`, or undefined when unset or empty. */
export function redisUrlOf(config: ConfigService): string | undefined {
  return config.get<string>('EXOTEL_REDIS_URL') || undefined;
}

/**
 * The token store for the module: tokens shared through Redis when `EXOTEL_REDIS_URL` is set (so a
 * fleet of replicas mints once per credential), otherwise undefined (the library's in-memory store).
 * The token service closes the store's connections at shutdown.
 */
export function tokenStoreOf(config: ConfigService): TokenStore | undefined {
  const url = redisUrlOf(config);
  return url ? new RedisTokenStore({ url }) : undefined;
}

/** `host:port` of a Redis URL, for people: never its user name or password. */
export function redisAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(EXOTEL_REDIS_URL is not a valid URL)';
  }
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}
