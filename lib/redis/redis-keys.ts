/** Default namespace of every key and channel the store uses. */
export const DEFAULT_KEY_PREFIX = 'exotel-webrtc';

/**
 * Names in Redis for one store key (the library's hash of baseUrl, entity and Id). The record,
 * its lease and its notification channel share one prefix so an operator can find or flush them
 * together.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Hash holding the token record. */
  record(key: string): string {
    return `${this.prefix}:${key}`;
  }

  /** String holding the owner of the minting lease. */
  lease(key: string): string {
    return `${this.prefix}:${key}:lease`;
  }

  /**
   * Pub/sub channel announcing a successful write (the message is the new expiresAt, never the
   * token) and a released lease (the message is `'released'`). The name predates the second use and
   * stays, so replicas of different versions still hear each other during a rolling deploy.
   */
  channel(key: string): string {
    return `${this.prefix}:${key}:written`;
  }
}
