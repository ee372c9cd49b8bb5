import { inspect } from 'node:util';
import { isNewer, type StoredToken, TokenStore, type WriteBasis } from '../store/token-store.js';
import { RECORD_FIELDS, RecordCodec, rejectionMark } from './record-codec.js';
import {
  bounded,
  connectUrl,
  duplicateForSubscribe,
  RedisLink,
  RedisNotifier,
  RedisStoreError,
} from './redis-connection.js';
import {
  RedisKeys,
  resolveRedisStoreConfig,
  type RedisTokenStoreConnection,
  type RedisTokenStoreOptions,
} from './redis-token-store-options.js';

/** Longest poll interval while pub/sub is unavailable. */
const UNSUBSCRIBED_POLL_MS = 250;

/**
 * Shares tokens between replicas through Redis (ioredis 5 or 6; one server or a Redis Cluster), so
 * a fleet mints once per credential per refresh cycle: a `SET NX PX` lease with an owner value
 * decides who mints, a Lua compare-and-delete releases it, a Lua write stores a record only when
 * the record the writer based its decision on is still there (a version field, incremented by the
 * script, orders writes: no replica's clock does), and waiting replicas are woken by pub/sub when the holder writes or gives the lease
 * up (with polling, which also notices a lease left to expire by a holder that died, as a fallback).
 * Every operation is bounded by `commandTimeoutMs` and fails at once while Redis is down, so the
 * token service keeps serving and mints locally; ioredis reconnects by itself and sharing resumes.
 *
 * @example
 * ExotelWebrtcModule.forRoot({ ...credentials, store: new RedisTokenStore({ url: process.env.EXOTEL_REDIS_URL! }) })
 * @example
 * new RedisTokenStore({ client: new Cluster([{ host: 'redis-0', port: 6379 }]) })
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

  /**
   * The record, with its version and refusal mark. Something under the key that is no record hash
   * (another Redis type) comes back as a record with a `problem`, not as an error: it is garbage to
   * replace, not a Redis outage.
   */
  async read(key: string): Promise<StoredToken | undefined> {
    const reply = (await this.#link.run('read', (c) => c.eval(READ, 1, this.#keys.record(key)))) as
      (string | null)[] | null;
    const [kind, ...fields] = reply ?? ['none'];
    if (kind === 'none') return undefined;
    if (kind !== 'hash') {
      return {
        token: '',
        issuedAt: NaN,
        expiresAt: NaN,
        version: 0,
        problem: `the key holds a Redis ${printableType(kind)}, not a record hash`,
      };
    }
    return this.#codec.decode(
      key,
      RECORD_FIELDS.map((_, i) => fields[i] ?? null),
    );
  }

  /** Keeps the record that expires last (the rule before versions; the token service uses writeIfUnchanged). */
  async writeIfNewer(key: string, record: StoredToken): Promise<boolean> {
    return this.#write('write', key, record, '');
  }

  /**
   * Compare-and-set on the record's version: written only when the stored version is still
   * `basis.version` (0: nothing stored, a record without a version, or something that is not a
   * record hash at all, which is replaced).
   */
  override async writeIfUnchanged(key: string, record: StoredToken, basis: WriteBasis): Promise<boolean> {
    return this.#write('write', key, record, String(Math.max(0, Math.trunc(basis.version))));
  }

  /**
   * Marks the record as refused when it still holds `token`, in a compare-and-set on the version
   * read, so a record written in between is never marked. Only a keyed hash of the token is stored.
   * Does nothing on a closed store (a 401 during shutdown is no outage).
   */
  override async reject(key: string, token: string): Promise<void> {
    if (this.#closed) return;
    const record = await this.read(key);
    if (!record || record.problem || record.token !== token) return;
    const mark = rejectionMark(key, token);
    await this.#link.run('reject', (c) =>
      c.eval(REJECT, 1, this.#keys.record(key), String(record.version ?? 0), mark),
    );
  }

  async #write(operation: string, key: string, record: StoredToken, basedOn: string): Promise<boolean> {
    if (!Number.isFinite(record.issuedAt) || !Number.isFinite(record.expiresAt)) {
      throw new RedisStoreError(operation, 'record times must be finite numbers');
    }
    const encoded = this.#codec.encode(key, record);
    // Relative to Redis' own clock: the writer's clock may be off, the token's lifetime is not.
    const lifetimeMs = String(Math.max(1, Math.ceil(record.expiresAt - record.issuedAt)));
    const args = [
      encoded.expiresAt,
      encoded.issuedAt,
      encoded.token,
      encoded.kid,
      this.#keys.channel(key),
      basedOn,
      lifetimeMs,
    ];
    const written = await this.#link.run(operation, (c) => c.eval(WRITE, 1, this.#keys.record(key), ...args));
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
   * Removes the shared record and the minting lease of `key` for the whole fleet, in one step, and
   * when a lease was removed announces it as released: replicas waiting for that holder's write stop
   * waiting at once instead of at their next poll. A holder minting at that moment may still write
   * its token afterwards; any later write is accepted, however old its expiry. Rejects with a
   * RedisStoreError when Redis fails, or when the store is closed.
   */
  override async delete(key: string): Promise<void> {
    const keys = this.#keys;
    await this.#link.run('delete', (c) =>
      c.eval(DELETE, 2, keys.record(key), keys.lease(key), keys.channel(key)),
    );
  }

  /**
   * Waits for the lease holder's write. Subscribes to the key's channel, then looks (a write or a
   * release may have landed before the subscription), then waits for a message or the next poll.
   * Resolves with the record once one newer than `after` is stored (with `afterVersion`: one of a
   * later version, whatever its expiresAt); with undefined, so the caller
   * tries the lease itself, once nobody holds the lease any more (the holder released it without
   * writing, or died and let it expire), after `timeoutMs`, or when the store is closed. Read
   * errors propagate: the caller falls back to minting.
   */
  override async waitForNewer(
    key: string,
    after: number,
    timeoutMs: number,
    afterVersion?: number,
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
        if (record && isNewer(record, after, afterVersion)) return record;
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

/*
 * Lua scripts, run with EVAL so that each check-and-act is atomic on the server. They are small and
 * run once per refresh cycle, so EVAL (no SCRIPT LOAD bookkeeping) is the simpler choice. Each
 * touches the keys of one credential only, which share a hash tag and so one Cluster slot.
 */

/**
 * Lua: `currentVersion()` is the version of the record hash KEYS[1] (which must be a hash), read as
 * `versionOf` in record-codec.ts reads it: digits only, at most 15, else 0.
 */
const CURRENT_VERSION = `
local function currentVersion()
  local text = redis.call('HGET', KEYS[1], 'version')
  if text and #text <= 15 and string.match(text, '^%d+$') then return tonumber(text) end
  return 0
end
`;

/**
 * KEYS[1] record. Returns the key's Redis type, then, for a hash, the {@link RECORD_FIELDS} in
 * order. One script, so a key of another type is reported rather than failing with WRONGTYPE.
 */
const READ = `
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'hash' then return {kind} end
local reply = redis.call('HMGET', KEYS[1], ${RECORD_FIELDS.map((f) => `'${f}'`).join(', ')})
table.insert(reply, 1, 'hash')
return reply
`;

/**
 * KEYS[1] record hash. ARGV: expiresAt, issuedAt, token field, key id, channel, based-on version
 * (empty: the older newer-only rule), lifetime in ms.
 * A key of another type is never a record and is replaced. With a based-on version, writes only
 * when the stored version is still that one (compare-and-set: the store orders writes, not the
 * writers' clocks). Without, writes only when the stored record expires earlier (or has no usable
 * expiry), or was written under another encryption key. A write replaces the whole hash (dropping a
 * refusal mark and any stray field), gives it the next version, lets it expire after the token's
 * lifetime by Redis' clock, and publishes the new expiresAt so waiting replicas wake up.
 * Returns 1 when written.
 */
const WRITE = `${CURRENT_VERSION}
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'none' and kind ~= 'hash' then
  redis.call('DEL', KEYS[1])
  kind = 'none'
end
local current = 0
if kind == 'hash' then current = currentVersion() end
if ARGV[6] ~= '' then
  if current ~= tonumber(ARGV[6]) then return 0 end
elseif kind == 'hash' then
  local stored = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
  if stored and stored < math.huge and stored >= tonumber(ARGV[1])
    and redis.call('HGET', KEYS[1], 'kid') == ARGV[4] then
    return 0
  end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'token', ARGV[3], 'issuedAt', ARGV[2], 'expiresAt', ARGV[1], 'kid', ARGV[4],
  'version', string.format('%d', current + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return 1
`;

/**
 * KEYS[1] record hash. ARGV[1] the version the caller read with the refused token, ARGV[2] the
 * token's mark. Marks the record only when it is still that version; the version stays, so a write
 * based on it (the mint replacing the refused token) still goes through.
 */
const REJECT = `
${CURRENT_VERSION}
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return 0 end
if currentVersion() ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'rejected', ARGV[2])
return 1
`;

/** The message RELEASE_LEASE and DELETE publish on the key's channel (a write publishes the new expiresAt instead). */
const RELEASED_MESSAGE = 'released';

/**
 * KEYS[1] lease. ARGV[1] owner, ARGV[2] channel. Deletes the lease only when the caller still owns
 * it, and then publishes {@link RELEASED_MESSAGE}: replicas waiting for the holder's write learn at
 * once that none is coming (its mint failed, or Exotel re-sent the token already shared) and try
 * the lease themselves instead of sleeping until their wait times out.
 */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], '${RELEASED_MESSAGE}')
  return 1
end
return 0
`;

/**
 * KEYS[1] record, KEYS[2] lease. ARGV[1] channel. Deletes both, whoever holds the lease, and
 * publishes {@link RELEASED_MESSAGE} when there was a lease, since only then can anyone be waiting.
 */
const DELETE = `
redis.call('DEL', KEYS[1])
if redis.call('DEL', KEYS[2]) == 1 then
  redis.call('PUBLISH', ARGV[1], '${RELEASED_MESSAGE}')
end
return 1
`;

/** A Redis type name for a message: one of Redis' own names, else a placeholder (never echoes data). */
function printableType(kind: string | null | undefined): string {
  return typeof kind === 'string' && /^[a-z]{1,16}$/.test(kind) ? kind : 'value of unknown type';
}

/**
 * A latch between a pub/sub listener and a polling loop: a message that arrives while the loop is
 * reading (not waiting) is remembered, so the next wait returns at once instead of missing it.
 */
class Wakeup {
  private pending = false;
  private resolve?: () => void;
  private timer?: NodeJS.Timeout;

  readonly wake = (): void => {
    this.pending = true;
    this.settle();
  };

  /** Resolves on the next (or a pending) wake, or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.settle(), Math.max(0, ms));
      this.timer.unref();
    });
  }

  private settle(): void {
    const resolve = this.resolve;
    if (!resolve) return;
    clearTimeout(this.timer);
    this.resolve = undefined;
    this.timer = undefined;
    this.pending = false;
    resolve();
  }
}
