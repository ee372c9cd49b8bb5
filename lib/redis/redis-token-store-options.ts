import type { Redis } from 'ioredis';

/**
 * Where a {@link RedisTokenStore} finds Redis: a `redis://` / `rediss://` URL (the store opens and
 * closes its connections), or an ioredis client you own (the store never closes it).
 * @publicApi
 */
export type RedisTokenStoreConnection = { url: string } | { client: Redis };

/** @publicApi */
export interface RedisTokenStoreOptions {
  /** Namespace of every key and channel. Default `'exotel-webrtc'`. */
  keyPrefix?: string;
  /**
   * Seals stored tokens with AES-256-GCM. 32 bytes: a Buffer, 64 hex characters or base64. Every
   * replica that shares the store needs the same key; a record sealed under another key is ignored
   * and overwritten by the next mint.
   */
  encryptionKey?: Buffer | string;
  /**
   * Upper bound for each Redis operation (and for the wait for the first connection), in ms.
   * A slower or unreachable Redis counts as an outage: the replica mints on its own. Default 1000.
   */
  commandTimeoutMs?: number;
  /**
   * How often a replica waiting for the lease holder's token looks at Redis itself, in ms, besides
   * being woken by pub/sub (which announces both the holder's write and the release of its lease).
   * The look notices what pub/sub cannot tell: a message lost across a reconnect, or a holder that
   * died and let its lease expire. While pub/sub is unavailable the waiter looks every 250 ms (or
   * this interval, if shorter). Default 1000.
   */
  pollIntervalMs?: number;
}
