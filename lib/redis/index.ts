/**
 * `nestjs-exotel-webrtc/redis`: fleet-wide token sharing on ioredis (an optional peer dependency,
 * loaded only by this entry point), on one Redis server or a Redis Cluster.
 */
export { RedisTokenStore } from './redis-token-store.js';
export type { RedisTokenStoreConnection, RedisTokenStoreOptions } from './redis-token-store-options.js';
export { DEFAULT_KEY_PREFIX } from './redis-token-store-options.js';
export { RedisStoreError } from './redis-connection.js';
