import { randomUUID } from 'node:crypto';
import type { TokenStore } from '../index.js';
import type { ExotelCallDedupe, ExotelCallMark } from './call-dedupe.js';

/**
 * Marks kept as leases of a `TokenStore` (`acquireLease` with the TTL; released only by their owner).
 * With `RedisTokenStore` that is one `SET NX PX` key per mark, shared by every replica using that Redis,
 * with no Redis code here: ioredis stays an optional peer loaded only by `nestjs-exotel-webrtc/redis`.
 * Keys live beside the token keys under `webhook:` plus a hash, so they never meet a credential's key.
 * @publicApi
 */
export class StoreCallDedupe implements ExotelCallDedupe {
  constructor(private readonly store: TokenStore) {}

  async claim(key: string, ttlMs: number): Promise<ExotelCallMark | undefined> {
    const lease = `webhook:${key}`;
    const owner = randomUUID();
    if (!(await this.store.acquireLease(lease, owner, ttlMs))) return undefined;
    return { release: () => this.store.releaseLease(lease, owner) };
  }
}
