import { inspect } from 'node:util';
import { type StoredToken, TokenStore } from '../store/token-store.js';
import { bounded } from './bounded.js';
import { RECORD_FIELDS, RecordCodec } from './record-codec.js';
import { connectUrl, duplicateForSubscribe } from './redis-connect.js';
import { RedisKeys } from './redis-keys.js';
import { RedisLink } from './redis-link.js';
import { RedisNotifier } from './redis-notifier.js';
import { RELEASE_LEASE, RELEASED_MESSAGE, WRITE_IF_NEWER } from './redis-scripts.js';
import { resolveRedisStoreConfig } from './redis-store-config.js';
import type { RedisTokenStoreConnection, RedisTokenStoreOptions } from './redis-token-store-options.js';
import { Wakeup } from './wakeup.js';

/** Longest poll interval while pub/sub is unavailable. */
const UNSUBSCRIBED_POLL_MS = 250;

/**
 * Shares tokens between replicas through Redis (ioredis 5 or 6), so a fleet mints once per
 * credential per refresh cycle: a `SET NX PX` lease with an owner value decides who mints, a Lua
 * compare-and-delete releases it, a Lua write keeps only the record that expires last, and waiting
 * replicas are woken by pub/sub when the holder writes or gives the lease up (with polling, which
 * also notices a lease left to expire by a holder that died, as a fallback). Every operation is bounded by
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
  /** Lease releases on the wire: close() lets them finish before quitting the connection. */
  readonly #releasing = new Set<Promise<unknown>>();
  /** While subscribed: pub/sub drops messages across reconnects and a dead holder sends none. */
  readonly #pollMs: number;
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
    this.#pollMs = config.pollIntervalMs;
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

  /**
   * Deletes the lease if `owner` still holds it and tells waiting replicas so. On a closed store it
   * does nothing (the lease expires by its TTL) rather than fail: a mint finishing during shutdown
   * is not a store outage. A release already on the wire when close() is called is let finish.
   */
  async releaseLease(key: string, owner: string): Promise<void> {
    if (this.#closed) return;
    const release = this.#link.run('release lease', (c) =>
      c.eval(RELEASE_LEASE, 1, this.#keys.lease(key), owner, this.#keys.channel(key)),
    );
    this.#releasing.add(release);
    try {
      await release;
    } finally {
      this.#releasing.delete(release);
    }
  }

  /**
   * Waits for the lease holder's write. Subscribes to the key's channel, then looks (a write or a
   * release may have landed before the subscription), then waits for a message or the next poll.
   * Resolves with the record once one newer than `after` is stored; with undefined, so the caller
   * tries the lease itself, once nobody holds the lease any more (the holder released it without
   * writing, or died and let it expire), after `timeoutMs`, or when the store is closed. Read
   * errors propagate: the caller falls back to minting.
   */
  override async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
  ): Promise<StoredToken | undefined> {
    const deadline = Date.now() + timeoutMs;
    const channel = this.#keys.channel(key);
    const wakeup = new Wakeup();
    let released = false;
    const listener = (message: string): void => {
      if (message === RELEASED_MESSAGE) released = true;
      wakeup.wake();
    };
    this.#waiting.add(wakeup);
    try {
      const listening = this.#notifier.listen(channel, listener);
      const subscribed = await bounded(listening, timeoutMs, () => new Error('subscribe timed out')).catch(
        () => false,
      );
      const pollMs = subscribed ? this.#pollMs : Math.min(UNSUBSCRIBED_POLL_MS, this.#pollMs);
      for (;;) {
        if (this.#closed) return undefined;
        // A release heard during the look below is acted on after the next look, which then also
        // sees any write the holder made before releasing.
        const releasedBefore = released;
        const { record, leased } = await this.#look(key);
        if (record && record.expiresAt > after) return record;
        if (releasedBefore || !leased) return undefined;
        const left = deadline - Date.now();
        if (left <= 0) return undefined;
        await wakeup.wait(Math.min(left, pollMs));
      }
    } catch (error) {
      // close() cut a look short: that is the end of the wait, not a store outage.
      if (this.#closed) return undefined;
      throw error;
    } finally {
      this.#waiting.delete(wakeup);
      this.#notifier.unlisten(channel, listener);
    }
  }

  /**
   * Lets lease releases already sent finish, then quits the connections the store opened (never a
   * client passed in) and releases every waiter.
   */
  override async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const wakeup of this.#waiting) wakeup.wake();
    // Each release is bounded by commandTimeoutMs; none starts once closed.
    await Promise.allSettled([...this.#releasing]);
    await Promise.all([this.#notifier.close(), this.#link.close()]);
  }

  /**
   * Whether the lease is held, then the stored record. In this order, so a holder that wrote and
   * then released is never mistaken for one that released without writing.
   */
  async #look(key: string): Promise<{ record: StoredToken | undefined; leased: boolean }> {
    const held = await this.#link.run('read lease', (c) => c.exists(this.#keys.lease(key)));
    return { leased: Number(held) > 0, record: await this.read(key) };
  }

  override toJSON(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#summary).map(([k, v]) => [k, String(v)]));
  }

  override [inspect.custom](): string {
    const { redis, keyPrefix, encrypted } = this.#summary;
    return `RedisTokenStore { redis: '${redis}', keyPrefix: '${keyPrefix}', encrypted: ${encrypted} }`;
  }
}
