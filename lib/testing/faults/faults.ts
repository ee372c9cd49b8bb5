import { randomUUID } from 'node:crypto';
import { reasonFor, sendFailure, sendJson, sendRaw } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import { assertRoute, routeMatches, type FakeRoute, type RouteTarget } from '../http/route-pattern.js';

/**
 * One scripted misbehaviour. Fields combine: `delayMs` and `retryAfter` decorate whatever answer is sent;
 * of the answer-shaping fields the first one set wins, in the order they are listed here.
 */
export interface FakeFault {
  /** Wait this long (via `setTimeout`, so Jest fake timers control it) before answering. */
  delayMs?: number;
  /** Add a `Retry-After: <seconds>` header (typically with `status: 429`). */
  retryAfter?: number;
  /** Destroy the socket without answering (the client sees a connection reset). */
  reset?: boolean;
  /** Send an HTML error page (`text/html`) with `status` (default 502), like a proxy in front of the API. */
  html?: boolean;
  /** Send truncated JSON (`{"RequestId": "x", "Sta`) with HTTP 200 and `application/json`. */
  malformed?: boolean;
  /** Send this raw body as-is, with `status` (default 200) and `contentType`. */
  body?: string;
  /** Content type for `body`. Default `application/json`. */
  contentType?: string;
  /**
   * HTTP 200 with `{Status: 'Failed', Code, Error, Data: null}`. `Code` is `status` when given, else 200
   * (so only `Status` signals the failure; pass `status: 500` to also make `Code` disagree).
   */
  failedWith200?: boolean;
  /** HTTP 200 success envelope whose `Data` is empty: `''` on `POST /token`, `null` elsewhere. */
  emptyData?: boolean;
  /** Reply with this HTTP status and the PascalCase failure envelope (`Code` = status, `Data: null`). */
  status?: number;
  /** HTTP 200 success envelope with the normal, valid `Data` but `Code: 500`. */
  codeMismatch?: boolean;
  /**
   * `POST /token` only: after the normal credential checks, answer with the token issued last to that Id
   * (if any) instead of minting a new one, without extending its lifetime.
   */
  sameToken?: boolean;
}

/** A fault as queued; `redirect` is how `redirectTo()` rides the same queue. */
export type ScriptedFault = FakeFault & { redirect?: string };

interface QueuedFault {
  route: FakeRoute;
  fault: ScriptedFault;
  remaining: number;
}

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

/** Sleeps without holding the process open; resolves `false` when the exchange was abandoned meanwhile. */
export type FakeSleep = (ms: number, ex: FakeExchange) => Promise<boolean>;

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
