import type { Redis } from 'ioredis';
import { bounded } from './bounded.js';
import { reasonOf, RedisStoreError } from './redis-store.error.js';

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
    readonly client: Redis,
    /** Whether the store opened this connection and so may close it. */
    private readonly owned: boolean,
    private readonly timeoutMs: number,
  ) {
    this.patient = client.status !== 'ready';
  }

  async run<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T> {
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

/**
 * `client.disconnect()`, minus a stray timer: ioredis arms a ref'd timer (disconnectTimeout) to
 * destroy the connector's last stream, cleared when that stream closes. A stream that closed
 * already (Redis went away) never closes again, so the timer would outlive close(). Such a stream
 * is forgotten first: there is nothing left to end. `connector.stream` is private, the same in
 * ioredis 5 and 6; should its shape change this does nothing and the timer merely runs out.
 */
function disconnect(client: Redis): void {
  const connector = (client as unknown as { connector?: { stream?: { destroyed?: unknown } } }).connector;
  if (connector?.stream?.destroyed === true) connector.stream = undefined;
  client.disconnect();
}
