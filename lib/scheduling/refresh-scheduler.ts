import { randomUUID } from 'node:crypto';
import { MAX_WAKE_INTERVAL_MS } from '../options/defaults.js';
import { RefreshPolicy } from './refresh-policy.js';

/**
 * The part of `@nestjs/schedule`'s SchedulerRegistry the scheduler uses. Declared here so that the
 * library neither imports nor requires `@nestjs/schedule` (an optional peer).
 */
export interface TimeoutRegistry {
  addTimeout(name: string, timeout: NodeJS.Timeout): void;
  deleteTimeout(name: string): void;
  doesExist(type: 'timeout', name: string): boolean;
}

interface Plan {
  readonly key: string;
  readonly dueAt: number;
  readonly fire: () => void;
  /** Position in the heap; -1 once removed. */
  index: number;
}

/**
 * Runs one callback per key at a wall-clock time that may be months away, for any number of keys
 * with a single timer: plans wait in a queue ordered by due time (a binary heap), and the one timer
 * is armed for the earliest. The timer never gets a delay above 2^31-1 ms, wakes at least once a day
 * to re-read the clock (so a suspended VM or a clock jump is noticed on the next wake), is unref'd,
 * and, when the host has `ScheduleModule.forRoot()`, is registered in SchedulerRegistry under a
 * per-instance name.
 */
export class RefreshScheduler {
  private readonly name = `exotel-webrtc:${randomUUID().slice(0, 8)}`;
  private readonly plans = new Map<string, Plan>();
  private readonly heap: Plan[] = [];
  private timer?: NodeJS.Timeout;
  private armedFor?: number;
  private closed = false;
  /** How many times the timer woke up; lets tests and metrics check the wake rate. */
  wakeCount = 0;

  constructor(private readonly registry?: TimeoutRegistry) {}

  /** Name under which the timer is registered in SchedulerRegistry. */
  timerName(): string {
    return this.name;
  }

  /** How many keys have a plan. */
  get size(): number {
    return this.plans.size;
  }

  /** Plans `fire` for `dueAt` (epoch ms), replacing any earlier plan of `key`. Ignored after shutdown. */
  schedule(key: string, dueAt: number, fire: () => void): void {
    if (this.closed) return;
    this.remove(key);
    const plan: Plan = { key, dueAt, fire, index: this.heap.length };
    this.plans.set(key, plan);
    this.heap.push(plan);
    this.up(plan.index);
    this.arm();
  }

  /** The time `key` is planned for, if any. */
  dueAt(key: string): number | undefined {
    return this.plans.get(key)?.dueAt;
  }

  cancel(key: string): void {
    if (this.remove(key)) this.arm();
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.plans.clear();
    this.heap.length = 0;
    this.disarm();
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next) return this.disarm();
    const wakeAt = Math.min(next.dueAt, Date.now() + MAX_WAKE_INTERVAL_MS);
    // Re-arming only when the earliest plan moved keeps scheduling 100,000 plans cheap.
    if (this.timer && this.armedFor !== undefined && this.armedFor <= wakeAt) return;
    this.disarm();
    this.armedFor = wakeAt;
    this.timer = setTimeout(() => this.wake(), RefreshPolicy.timerDelay(wakeAt - Date.now()));
    this.timer.unref();
    if (this.registry) {
      // Fired timeouts stay registered, and addTimeout throws on a duplicate name.
      if (this.registry.doesExist('timeout', this.name)) this.registry.deleteTimeout(this.name);
      this.registry.addTimeout(this.name, this.timer);
    }
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
    if (this.registry?.doesExist('timeout', this.name)) this.registry.deleteTimeout(this.name);
  }

  private wake(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    this.wakeCount++;
    const now = Date.now();
    const due: Plan[] = [];
    while (this.heap.length && this.heap[0].dueAt <= now) {
      const plan = this.heap[0];
      this.remove(plan.key);
      due.push(plan);
    }
    // Callbacks may plan again (a mint that fails at once): the queue is consistent before they run.
    for (const plan of due) {
      try {
        plan.fire();
      } catch {
        // A callback's failure is its own to report; the others still run.
      }
    }
    if (!this.closed) this.arm();
  }

  private remove(key: string): boolean {
    const plan = this.plans.get(key);
    if (!plan) return false;
    this.plans.delete(key);
    const last = this.heap.pop()!;
    if (last !== plan) {
      this.heap[plan.index] = last;
      last.index = plan.index;
      this.down(this.up(last.index));
    }
    plan.index = -1;
    return true;
  }

  private up(i: number): number {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueAt <= heap[i].dueAt) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && heap[left].dueAt < heap[least].dueAt) least = left;
      if (right < heap.length && heap[right].dueAt < heap[least].dueAt) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b], heap[a]];
    heap[a].index = a;
    heap[b].index = b;
  }
}
