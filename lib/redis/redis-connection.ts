import { type Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A connection to one Redis server, or to a Redis Cluster (which routes each key to its node). */
export type RedisClient = Redis | Cluster;

/**
 * A Redis token store operation failed or timed out. The token service treats any store error as
 * an outage and mints locally, so callers rarely see this. The message names the operation and a
 * short reason (`timed out`, `not connected`, `ECONNREFUSED`, `NOAUTH`, ...), never a URL, key
 * material or token.
 * @publicApi
 */
export class RedisStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`Redis token store: ${operation} failed (${reason})`);
    this.name = 'RedisStoreError';
  }
}

/**
 * One Redis connection seen through a fail-fast gate. While the first connection is being made a
 * command may wait for it (bounded), so a replica that boots together with its Redis still shares;
 * after that, a command on a connection that is not ready fails at once and every command is
 * bounded by the timeout, whatever the client's own queueing options. That is what lets the token
 * service fall back to a local mint instead of hanging on a dead or slow Redis.
 */
export class RedisLink {
  /** True until the connection was ready once or a first wait for it timed out. */
  private patient: boolean;
  private firstReady?: Promise<void>;
  private closed = false;

  constructor(
    readonly client: RedisClient,
    /** Whether the store opened this connection and so may close it. */
    private readonly owned: boolean,
    private readonly timeoutMs: number,
  ) {
    this.patient = client.status !== 'ready';
  }

  async run<T>(operation: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    await this.whenReady(operation, deadline);
    try {
      return await bounded(
        command(this.client),
        deadline - Date.now(),
        () => new RedisStoreError(operation, 'timed out'),
      );
    } catch (error) {
      throw error instanceof RedisStoreError ? error : new RedisStoreError(operation, reasonOf(error));
    }
  }

  /** Quits the connection if the store opened it; a caller's own client is left alone. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) return;
    const client = this.client;
    if (client.status === 'end') return;
    if (client.status !== 'ready' && client.status !== 'connect' && client.status !== 'connecting') {
      // No socket (between reconnect attempts): cancelling the next attempt is all there is to do.
      disconnect(client);
      return;
    }
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    if (client.status === 'ready') {
      await bounded(client.quit(), this.timeoutMs, () => new Error('quit timed out')).catch(() =>
        disconnect(client),
      );
    } else {
      disconnect(client);
    }
    // Wait for the socket to be gone so nothing outlives close().
    await bounded(ended, this.timeoutMs, () => new Error('end timed out')).catch(() => undefined);
  }

  private async whenReady(operation: string, deadline: number): Promise<void> {
    if (this.closed) throw new RedisStoreError(operation, 'store closed');
    const status = this.client.status;
    if (status === 'ready') {
      this.patient = false;
      return;
    }
    if (status === 'end') throw new RedisStoreError(operation, 'connection closed');
    if (!this.patient) throw new RedisStoreError(operation, 'not connected');
    if (status === 'wait') this.client.connect().catch(() => undefined);
    this.firstReady ??= new Promise<void>((resolve) => this.client.once('ready', () => resolve()));
    try {
      await bounded(
        this.firstReady,
        deadline - Date.now(),
        () => new RedisStoreError(operation, 'not connected'),
      );
      this.patient = false;
    } catch (error) {
      // Redis did not come up in time: from now on fail at once until it is ready.
      this.patient = false;
      throw error;
    }
  }
}

/** Called with each message on a channel (never a token: an expiry or `'released'`). */
export type Listener = (message: string) => void;

interface Subscription {
  readonly listeners: Set<Listener>;
  /** True once Redis confirmed the subscription; false when it could not be made (callers poll). */
  readonly confirmed: Promise<boolean>;
}

/**
 * Pub/sub on a dedicated connection, opened on first use: a subscribed connection can run no other
 * commands, and most replicas never wait for anyone. One subscription per channel however many
 * callers listen; it is dropped when the last one leaves.
 *
 * Plain SUBSCRIBE, on a Cluster too: a Cluster forwards every PUBLISH to all its nodes, so the one
 * node ioredis subscribes through hears them all, and this works on any Redis version and on
 * ioredis 5 and 6 alike (sharded pub/sub needs Redis 7 and a client option the caller may not set).
 * Messages are rare, one or two per credential per refresh cycle, so the broadcast costs nothing.
 */
export class RedisNotifier {
  private link?: RedisLink;
  private readonly subscriptions = new Map<string, Subscription>();
  private closed = false;

  constructor(private readonly open: () => RedisLink) {}

  /** Calls `listener` on each message on `channel`. */
  listen(channel: string, listener: Listener): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    let subscription = this.subscriptions.get(channel);
    if (!subscription) {
      const confirmed = this.connection()
        .run('subscribe', (client) => client.subscribe(channel))
        .then(
          () => true,
          () => false,
        );
      subscription = { listeners: new Set(), confirmed };
      this.subscriptions.set(channel, subscription);
    }
    subscription.listeners.add(listener);
    return subscription.confirmed;
  }

  unlisten(channel: string, listener: Listener): void {
    const subscription = this.subscriptions.get(channel);
    if (!subscription?.listeners.delete(listener) || subscription.listeners.size > 0) return;
    this.subscriptions.delete(channel);
    this.link?.run('unsubscribe', (client) => client.unsubscribe(channel)).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscriptions.clear();
    await this.link?.close();
  }

  private connection(): RedisLink {
    if (!this.link) {
      this.link = this.open();
      this.link.client.on('message', (channel: string, message: string) => {
        for (const listener of this.subscriptions.get(channel)?.listeners ?? []) listener(message);
      });
    }
    return this.link;
  }
}

/** A connection from a redis:// or rediss:// URL, with the store's fail-fast options. */
export function connectUrl(url: string, commandTimeoutMs: number): Redis {
  return quiet(new Redis(url, { ...nodeOptions(commandTimeoutMs), ...reconnectOptions() }));
}

/**
 * The pub/sub connection: a copy of the main one (same servers, auth, TLS) with fail-fast options.
 * A Cluster is copied as a Cluster, so its subscription moves to another node when its node fails.
 */
export function duplicateForSubscribe(client: RedisClient, commandTimeoutMs: number): RedisClient {
  if (isCluster(client)) {
    const options: ClusterOptions = {
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      lazyConnect: false,
      // Merged here: ioredis 5's duplicate() would replace the caller's node options (password, TLS).
      redisOptions: { ...client.options.redisOptions, ...nodeOptions(commandTimeoutMs) },
    };
    return quiet(client.duplicate([], options));
  }
  return quiet(
    client.duplicate({ ...nodeOptions(commandTimeoutMs), ...reconnectOptions(), lazyConnect: false }),
  );
}

/** ioredis' own mark, true on a Cluster; `instanceof` would miss a client from another copy of ioredis. */
function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster === true;
}

/**
 * Options for every server connection the store opens itself: a command timeout; no resending, so
 * a lease SET is not replayed on reconnect long after its caller gave up. (A Cluster always queues
 * commands on its node connections until they connect; RedisLink bounds them anyway.)
 */
function nodeOptions(commandTimeoutMs: number): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectionName: 'nestjs-exotel-webrtc',
    // disconnect() arms a (ref'd) timer to destroy a socket that does not close. RedisLink.close()
    // keeps it from being armed for a socket that is already gone (an outage); this bounds any other case.
    disconnectTimeout: 200,
  };
}

/**
 * For a single-server connection: no offline queue, so a command during an outage fails instead of
 * waiting; quick reconnects, so sharing resumes soon after Redis is back.
 */
function reconnectOptions(): RedisOptions {
  return { enableOfflineQueue: false, retryStrategy: reconnectDelay };
}

function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2000);
}

/**
 * Errors are reported through the store's operations; an 'error' listener must exist or ioredis
 * prints each reconnect failure (with host and port) to the console.
 */
function quiet<C extends RedisClient>(client: C): C {
  client.on('error', () => undefined);
  return client;
}

/**
 * `client.disconnect()`, minus a stray timer: ioredis arms a ref'd timer (disconnectTimeout) to
 * destroy the connector's last stream, cleared when that stream closes. A stream that closed
 * already (Redis went away) never closes again, so the timer would outlive close(). Such a stream
 * is forgotten first: there is nothing left to end. `connector.stream` is private, the same in
 * ioredis 5 and 6; should its shape change (or for a Cluster, which has no connector of its own)
 * this does nothing and the timer merely runs out.
 */
function disconnect(client: RedisClient): void {
  const connector = (client as unknown as { connector?: { stream?: { destroyed?: unknown } } }).connector;
  if (connector?.stream?.destroyed === true) connector.stream = undefined;
  client.disconnect();
}

/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms`. The original promise keeps a
 * handler, so a late rejection is never reported as unhandled.
 */
export function bounded<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A short, secret-free reason for any error ioredis may raise. */
function reasonOf(error: unknown): string {
  if (error instanceof RedisStoreError) return error.reason;
  const e = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  if (/timed out/i.test(message)) return 'timed out';
  if (typeof e.code === 'string' && /^[A-Z0-9_]{2,32}$/.test(e.code)) return e.code;
  if (e.name === 'MaxRetriesPerRequestError') return 'connection lost';
  if (/Connection is closed/i.test(message)) return 'connection closed';
  if (/isn't writeable|offline queue/i.test(message)) return 'not connected';
  // Redis replies start with an upper-case error code (NOAUTH, WRONGPASS, ERR); the rest may echo input.
  const code = /^[A-Z]{2,20}\b/.exec(message)?.[0];
  if (e.name === 'ReplyError' && code) return code;
  return typeof e.name === 'string' && /^\w{1,40}$/.test(e.name) ? e.name : 'error';
}
