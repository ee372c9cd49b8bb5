import type { StoredToken } from 'nestjs-exotel-webrtc';
import { RedisTokenStore } from 'nestjs-exotel-webrtc/redis';

/** Counts the coordinator's lease attempts and waits, to tell waiting from spinning without timing. */
export class CountingStore extends RedisTokenStore {
  waits = 0;
  leases = 0;

  override async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.leases++;
    return super.acquireLease(key, owner, ttlMs);
  }

  override async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
    afterVersion?: number,
  ): Promise<StoredToken | undefined> {
    this.waits++;
    return super.waitForNewer(key, after, timeoutMs, afterVersion);
  }
}
