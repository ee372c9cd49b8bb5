import { inspect } from 'node:util';
import { type StoredToken, TokenStore } from '../store/token-store.js';
import { bounded } from './bounded.js';
import { RECORD_FIELDS, RecordCodec } from './record-codec.js';
import { connectUrl, duplicateForSubscribe } from './redis-connect.js';
import { RedisKeys } from './redis-keys.js';
import { RedisLink } from './redis-link.js';
import { RedisNotifier } from './redis-notifier.js';
import { RELEASE_LEASE, WRITE_IF_NEWER } from './redis-scripts.js';
import { resolveRedisStoreConfig } from './redis-store-config.js';
import type { RedisTokenStoreConnection, RedisTokenStoreOptions } from './redis-token-store-options.js';
import { Wakeup } from './wakeup.js';

/** Poll interval while pub/sub is unavailable. */
const POLL_MS = 250;
/** Poll interval while subscribed: pub/sub drops messages across reconnects, so still look now and then. */
const SAFETY_POLL_MS = 1000;

/**
 * Shares tokens between replicas through Redis (ioredis 5 or 6), so a fleet mints once per
 * credential per refresh cycle: a `SET NX PX` lease with an owner value decides who mints, a Lua
 * compare-and-delete releases it, a Lua write keeps only the record that expires last, and waiting
 * replicas are woken by pub/sub (with polling as a fallback). Every operation is bounded by
 * `commandTimeoutMs` and fails at once while Redis is down, so the token service keeps serving and
 * mints locally; ioredis reconnects by itself and sharing resumes.
 *
 * @example
 * ExotelWebrtcModule.forRoot({ ...credentials, store: new RedisTokenStore({ url: process.env.EXOTEL_REDIS_URL! }) })
 * @publicApi
 */
export class RedisTokenStore extends TokenStore {
  // ES private: the client holds the Redis password, and this keeps it out of any dump of the store.
  readonly #link: RedisLink;
  readonly #notifier: RedisNotifier;
  readonly #keys: RedisKeys;
  readonly #codec: RecordCodec;
  readonly #summary: Record<string, string | boolean>;
  readonly #waiting = new Set<Wakeup>();
  #closed = false;

  constructor(connection: RedisTokenStoreConnection, options: RedisTokenStoreOptions = {}) {
    super();
    const config = resolveRedisStoreConfig(connection, options);
    const timeout = config.commandTimeoutMs;
    const main = config.client ?? connectUrl(config.url!, timeout);
    this.#link = new RedisLink(main, config.client === undefined, timeout);
    this.#notifier = new RedisNotifier(
      () => new RedisLink(duplicateForSubscribe(main, timeout), true, timeout),
    );
    this.#keys = new RedisKeys(config.keyPrefix);
    this.#codec = new RecordCodec(config.cipher);
    this.#summary = {
      store: 'RedisTokenStore',
      redis: config.target,
      keyPrefix: config.keyPrefix,
      encrypted: config.cipher !== undefined,
    };
  }

  async read(key: string): Promise<StoredToken | undefined> {
    const fields = await this.#link.run('read', (c) => c.hmget(this.#keys.record(key), ...RECORD_FIELDS));
    return this.#codec.decode(key, fields);
  }

  async writeIfNewer(key: string, record: StoredToken): Promise<boolean> {
    const encoded = this.#codec.encode(key, record);
    const args = [encoded.expiresAt, encoded.issuedAt, encoded.token, encoded.kid, this.#keys.channel(key)];
    const written = await this.#link.run('write', (c) =>
      c.eval(WRITE_IF_NEWER, 1, this.#keys.record(key), ...args),
    );
    return Number(written) === 1;
  }

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const px = Math.max(1, Math.ceil(ttlMs));
    const reply = await this.#link.run('acquire lease', (c) =>
      c.set(this.#keys.lease(key), owner, 'PX', px, 'NX'),
    );
    return reply === 'OK';
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    await this.#link.run('release lease', (c) => c.eval(RELEASE_LEASE, 1, this.#keys.lease(key), owner));
  }

  /**
   * Subscribes to the key's channel, then reads (a write may have landed before the subscription),
   * then waits for a message or the next poll. Read errors propagate: the caller falls back to
   * minting. Resolves undefined after `timeoutMs` or when the store is closed.
   */
  override async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
  ): Promise<StoredToken | undefined> {
    const deadline = Date.now() + timeoutMs;
    const channel = this.#keys.channel(key);
    const wakeup = new Wakeup();
    this.#waiting.add(wakeup);
    try {
      const listening = this.#notifier.listen(channel, wakeup.wake);
      const subscribed = await bounded(listening, timeoutMs, () => new Error('subscribe timed out')).catch(
        () => false,
      );
      for (;;) {
        if (this.#closed) return undefined;
        const record = await this.read(key);
        if (record && record.expiresAt > after) return record;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        await wakeup.wait(Math.min(left, subscribed ? SAFETY_POLL_MS : POLL_MS));
      }
    } finally {
      this.#waiting.delete(wakeup);
      this.#notifier.unlisten(channel, wakeup.wake);
    }
  }

  /** Quits the connections the store opened (never a client passed in) and releases every waiter. */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const wakeup of this.#waiting) wakeup.wake();
    await Promise.all([this.#notifier.close(), this.#link.close()]);
  }

  override toJSON(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#summary).map(([k, v]) => [k, String(v)]));
  }

  override [inspect.custom](): string {
    const { redis, keyPrefix, encrypted } = this.#summary;
    return `RedisTokenStore { redis: '${redis}', keyPrefix: '${keyPrefix}', encrypted: ${encrypted} }`;
  }
}
