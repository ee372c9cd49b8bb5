import type { RedisLink } from './redis-link.js';

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
