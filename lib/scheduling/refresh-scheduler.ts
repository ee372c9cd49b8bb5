import { Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { MAX_WAKE_INTERVAL_MS } from '../options/defaults.js';
import { clampDelay } from './clamp-delay.js';

interface Plan {
  dueAt: number;
  fire: () => void;
  handle?: NodeJS.Timeout;
}

/**
 * Runs one callback per key at a wall-clock time that may be months away. It never hands Node a
 * delay above 2^31-1 ms, wakes at least once a day to re-read the clock (so a suspended VM or a clock
 * jump is noticed on the next wake), unrefs every timer and, when the host imported
 * `ScheduleModule.forRoot()`, registers each timer in SchedulerRegistry under a per-instance name.
 */
@Injectable()
export class RefreshScheduler implements OnModuleDestroy {
  private readonly instanceId = randomUUID().slice(0, 8);
  private readonly plans = new Map<string, Plan>();
  private closed = false;
  /** How many times a timer woke up; lets tests and metrics check the wake rate. */
  wakeCount = 0;

  constructor(@Optional() private readonly registry?: SchedulerRegistry) {}

  /** Name under which the timer of `key` is registered in SchedulerRegistry. */
  timerName(key: string): string {
    return `exotel-webrtc:${this.instanceId}:${key}`;
  }

  /** Plans `fire` for `dueAt` (epoch ms), replacing any earlier plan of `key`. Ignored after shutdown. */
  schedule(key: string, dueAt: number, fire: () => void): void {
    if (this.closed) return;
    this.cancel(key);
    const plan: Plan = { dueAt, fire };
    this.plans.set(key, plan);
    this.arm(key, plan);
  }

  /** The time `key` is planned for, if any. */
  dueAt(key: string): number | undefined {
    return this.plans.get(key)?.dueAt;
  }

  cancel(key: string): void {
    const plan = this.plans.get(key);
    if (!plan) return;
    this.plans.delete(key);
    this.clear(key, plan);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const key of [...this.plans.keys()]) this.cancel(key);
  }

  private arm(key: string, plan: Plan): void {
    const delay = clampDelay(Math.min(plan.dueAt - Date.now(), MAX_WAKE_INTERVAL_MS));
    plan.handle = setTimeout(() => this.wake(key, plan), delay);
    plan.handle.unref();
    if (this.registry) {
      const name = this.timerName(key);
      // Fired timeouts stay registered, and addTimeout throws on a duplicate name.
      if (this.registry.doesExist('timeout', name)) this.registry.deleteTimeout(name);
      this.registry.addTimeout(name, plan.handle);
    }
  }

  private wake(key: string, plan: Plan): void {
    if (this.plans.get(key) !== plan) return;
    this.wakeCount++;
    if (Date.now() < plan.dueAt) {
      this.arm(key, plan);
      return;
    }
    this.plans.delete(key);
    this.clear(key, plan);
    plan.fire();
  }

  private clear(key: string, plan: Plan): void {
    if (plan.handle) clearTimeout(plan.handle);
    const name = this.timerName(key);
    if (this.registry?.doesExist('timeout', name)) this.registry.deleteTimeout(name);
  }
}
