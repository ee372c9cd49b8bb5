import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { clampDelay } from './clamp-delay.js';
import { RefreshScheduler } from './refresh-scheduler.js';

const DAY = 24 * 60 * 60 * 1000;

describe('clampDelay', () => {
  it('keeps delays inside what Node accepts', () => {
    expect(clampDelay(90 * DAY)).toBe(2 ** 31 - 1);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(1.2)).toBe(2);
  });
});

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
    expect(registry.getTimeouts().sort()).toEqual([a.timerName('customer'), b.timerName('customer')].sort());
    expect(a.timerName('customer')).not.toBe(b.timerName('customer'));
    expect(a.dueAt('customer')).toBe(6 * DAY);
    await jest.advanceTimersByTimeAsync(2 * DAY); // fired wakes re-register without duplicate errors
    a.onModuleDestroy();
    b.onModuleDestroy();
    expect(registry.getTimeouts()).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
    a.schedule('customer', 7 * DAY, () => undefined); // ignored after shutdown
    expect(jest.getTimerCount()).toBe(0);
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
