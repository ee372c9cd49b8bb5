import { randomUUID } from 'node:crypto';
import type { FakeFault, FakeRoute } from './fake-exotel-options.js';
import type { FakeExchange } from './fake-exchange.js';
import { reasonFor, sendFailure, sendJson, sendRaw } from './fake-envelope.js';
import { assertRoute, routeMatches, type RouteTarget } from './fake-route-match.js';

/** A fault as queued; `redirect` is how `redirectTo()` rides the same queue. */
export type ScriptedFault = FakeFault & { redirect?: string };

interface QueuedFault {
  route: FakeRoute;
  fault: ScriptedFault;
  remaining: number;
}

/** Sleeps without holding the process open; resolves `false` when the exchange was abandoned meanwhile. */
export type FakeSleep = (ms: number, ex: FakeExchange) => Promise<boolean>;

/** Scripted faults, consumed first-queued-first by the requests they match. */
export class FaultQueue {
  private readonly queue: QueuedFault[] = [];

  add(route: FakeRoute, fault: ScriptedFault, times = 1): void {
    assertRoute(route);
    if (!(times > 0) || (!Number.isInteger(times) && times !== Infinity)) {
      throw new RangeError(`FakeExotelServer: times must be a positive integer or Infinity, got ${times}`);
    }
    this.queue.push({ route, fault: { ...fault }, remaining: times });
  }

  /** Removes one use of the first fault matching the request and returns it. */
  take(target: RouteTarget): ScriptedFault | undefined {
    const index = this.queue.findIndex((entry) => routeMatches(entry.route, target));
    if (index < 0) return undefined;
    const entry = this.queue[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  clear(): void {
    this.queue.splice(0, this.queue.length);
  }
}

/**
 * Plays a fault. Returns true when the exchange is finished (answered, reset or abandoned) and false when
 * normal handling should go on, possibly with `ex.tweaks` altering the answer.
 */
export async function applyFault(ex: FakeExchange, fault: ScriptedFault, sleep: FakeSleep): Promise<boolean> {
  if (fault.delayMs !== undefined && fault.delayMs > 0) {
    if (!(await sleep(fault.delayMs, ex))) return true;
  }
  if (fault.retryAfter !== undefined) ex.tweaks.retryAfter = fault.retryAfter;
  if (fault.reset) {
    ex.req.socket.destroy();
    return true;
  }
  if (fault.redirect !== undefined) {
    sendRaw(ex, 302, '', 'text/plain', { Location: fault.redirect });
    return true;
  }
  if (fault.html) {
    const status = fault.status ?? 502;
    sendRaw(ex, status, htmlPage(status), 'text/html; charset=utf-8');
    return true;
  }
  if (fault.malformed) {
    sendRaw(ex, 200, '{"RequestId": "x", "Sta', 'application/json');
    return true;
  }
  if (fault.body !== undefined) {
    sendRaw(ex, fault.status ?? 200, fault.body, fault.contentType ?? 'application/json');
    return true;
  }
  if (fault.failedWith200) {
    const code = fault.status ?? 200;
    sendJson(ex, 200, {
      RequestId: randomUUID(),
      Status: 'Failed',
      Code: code,
      Error: 'Scripted failure',
      Data: null,
    });
    return true;
  }
  if (fault.emptyData) {
    const data = ex.path === '/token' ? '' : null;
    sendJson(ex, 200, { RequestId: randomUUID(), Status: 'Success', Code: 200, Error: '', Data: data });
    return true;
  }
  if (fault.status !== undefined) {
    sendFailure(ex, fault.status, reasonFor(fault.status));
    return true;
  }
  if (fault.codeMismatch) ex.tweaks.code = 500;
  if (fault.sameToken) ex.tweaks.sameToken = true;
  return false;
}

// Looks like what a load balancer in front of the API sends, not like the API itself.
function htmlPage(status: number): string {
  const title = `${status} ${reasonFor(status)}`;
  return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}
