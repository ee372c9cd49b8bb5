import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RefreshScheduler } from './refresh-scheduler.js';

const DAY = 24 * 60 * 60 * 1000;

describe('RefreshScheduler', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('with real timers: a 90-day plan emits no TimeoutOverflowWarning and does not fire early', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    const scheduler = new RefreshScheduler();
    const fire = jest.fn();
    const spy = jest.spyOn(globalThis, 'setTimeout');
    scheduler.schedule('customer', Date.now() + 90 * DAY, fire);
    const delays = spy.mock.calls.map((call) => call[1] as number);
    spy.mockRestore();
    // Node emits the overflow warning on the next ticks after setTimeout: give it turns to appear.
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    scheduler.onModuleDestroy();
    process.off('warning', onWarning);
    expect(delays).toEqual([DAY]);
    expect(fire).not.toHaveBeenCalled();
    expect(scheduler.wakeCount).toBe(0);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
  });

  it('wakes once a day and fires at the due time', async () => {
    jest.useFakeTimers({ now: 0 });
    const scheduler = new RefreshScheduler();
    const fire = jest.fn();
    scheduler.schedule('k', 10 * DAY + 5, fire);
    await jest.advanceTimersByTimeAsync(10 * DAY);
    expect(fire).not.toHaveBeenCalled();
    expect(scheduler.wakeCount).toBe(10);
    await jest.advanceTimersByTimeAsync(5);
    expect(fire).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('re-reads the wall clock on each wake: a jump past the due time fires at the next wake', async () => {
    jest.useFakeTimers({ now: 0 });
    const scheduler = new RefreshScheduler();
    const fire = jest.fn();
    scheduler.schedule('k', 30 * DAY, fire);
    jest.setSystemTime(31 * DAY);
    await jest.advanceTimersToNextTimerAsync();
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('registers under a per-instance name, replaces its own plan, and unregisters on destroy', async () => {
    jest.useFakeTimers({ now: 0 });
    const registry = new SchedulerRegistry();
    const a = new RefreshScheduler(registry);
    const b = new RefreshScheduler(registry);
    a.schedule('customer', 5 * DAY, () => undefined);
    a.schedule('customer', 6 * DAY, () => undefined);
    b.schedule('customer', 5 * DAY, () => undefined);
    expect(registry.getTimeouts().sort()).toEqual([a.timerName(), b.timerName()].sort());
    expect(a.timerName()).not.toBe(b.timerName());
    expect(a.dueAt('customer')).toBe(6 * DAY);
    await jest.advanceTimersByTimeAsync(2 * DAY); // fired wakes re-register without duplicate errors
    a.onModuleDestroy();
    b.onModuleDestroy();
    expect(registry.getTimeouts()).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
    a.schedule('customer', 7 * DAY, () => undefined); // ignored after shutdown
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs any number of plans on one timer, each at its own due time, in order', async () => {
    jest.useFakeTimers({ now: 0 });
    const scheduler = new RefreshScheduler(new SchedulerRegistry());
    const fired: string[] = [];
    for (let i = 999; i >= 0; i--)
      scheduler.schedule(`app:${i}`, (i + 1) * 60_000, () => fired.push(`app:${i}`));
    scheduler.schedule('app:5', 30 * DAY, () => fired.push('moved')); // replaces its earlier plan
    scheduler.cancel('app:7');
    expect(jest.getTimerCount()).toBe(1);
    expect(scheduler.size).toBe(999);
    await jest.advanceTimersByTimeAsync(1000 * 60_000);
    const expected = Array.from({ length: 1000 }, (_, i) => `app:${i}`).filter(
      (k) => k !== 'app:5' && k !== 'app:7',
    );
    expect(fired).toEqual(expected);
    expect(jest.getTimerCount()).toBe(1); // armed for the moved plan
    await jest.advanceTimersByTimeAsync(30 * DAY);
    expect(fired.at(-1)).toBe('moved');
    expect(jest.getTimerCount()).toBe(0);
    scheduler.onModuleDestroy();
  });

  it('a plan made by a firing callback is kept, and one callback throwing does not stop the others', async () => {
    jest.useFakeTimers({ now: 0 });
    const scheduler = new RefreshScheduler();
    const calls: string[] = [];
    scheduler.schedule('a', 1_000, () => {
      calls.push('a');
      scheduler.schedule('a', 5_000, () => calls.push('a again'));
      throw new Error('boom');
    });
    scheduler.schedule('b', 1_000, () => calls.push('b'));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(calls).toEqual(['a', 'b', 'a again']);
    scheduler.onModuleDestroy();
  });

  it('unrefs its timers so a pending refresh never keeps a process alive', () => {
    const scheduler = new RefreshScheduler();
    const spy = jest.spyOn(globalThis, 'setTimeout');
    scheduler.schedule('k', Date.now() + DAY, () => undefined);
    const handle = spy.mock.results[0].value as NodeJS.Timeout;
    spy.mockRestore();
    expect(handle.hasRef()).toBe(false);
    scheduler.onModuleDestroy();
  });
});
