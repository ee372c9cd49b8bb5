/**
 * A latch between a pub/sub listener and a polling loop: a message that arrives while the loop is
 * reading (not waiting) is remembered, so the next wait returns at once instead of missing it.
 */
export class Wakeup {
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
