import { createHash } from 'node:crypto';
import type { FakeExchange } from '../http/exchange.js';
import { routeMatches, type FakeRoute } from '../http/route-pattern.js';
import { isSecretField } from './secret-log.js';

/** One request as the fake received it, with secrets and tokens masked. */
export interface RecordedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path without the query and without the `/v2/integrations` prefix, e.g. `'/token'`. */
  path: string;
  /** Query parameters (the last value wins when one repeats). */
  query: Record<string, string>;
  /**
   * Lower-case header names. `authorization` is masked as `<fingerprint:xxxxxxxx>` (first 8 hex chars of the
   * token's SHA-256), prefixed with the scheme when one was sent (`Bearer <fingerprint:xxxxxxxx>`).
   */
  headers: Record<string, string>;
  /**
   * Parsed JSON when the body is JSON (properties named Secret, CustomerSecret, AppSecret, ExotelApiToken or
   * SipSecret replaced by `'***'` at any depth), the raw text otherwise, `undefined` when empty.
   */
  body: unknown;
  /** `Date.now()` when the request was received. */
  at: number;
}

/** First 8 hex chars of the token's SHA-256: enough to tell tokens apart in a test, useless to an attacker. */
export function fingerprintToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

/** Keeps every request (masked), the per-Id mint counters and the `POST /token` requests in flight. */
export class FakeRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly attempts = new Map<string, number>();
  private readonly mints = new Map<string, number>();
  private attemptsTotal = 0;
  private mintsTotal = 0;
  private inFlight = 0;
  private maxInFlight = 0;

  record(ex: FakeExchange): void {
    this.requests.push({
      method: ex.method,
      path: ex.path,
      query: { ...ex.query },
      headers: maskHeaders(ex.req.headers),
      body: ex.bodyNotJson ? ex.rawBody : maskSecrets(ex.body),
      at: Date.now(),
    });
  }

  requestsTo(route: FakeRoute): RecordedRequest[] {
    return this.requests.filter((request) => routeMatches(route, request));
  }

  /**
   * Counts a `POST /token` request as an attempt (`id` is undefined when the body carried no string Id) and
   * as in flight until its response closes, however it ends: answered, reset, abandoned or cut by `stop()`.
   */
  countAttempt(ex: FakeExchange, id: string | undefined): void {
    this.attemptsTotal += 1;
    if (id !== undefined) this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
    // A response that already closed (the client left during the body) will not emit 'close' again.
    if (ex.res.destroyed) return;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    ex.res.once('close', () => (this.inFlight -= 1));
  }

  countMint(id: string): void {
    this.mintsTotal += 1;
    this.mints.set(id, (this.mints.get(id) ?? 0) + 1);
  }

  mintAttempts(id?: string): number {
    return id === undefined ? this.attemptsTotal : (this.attempts.get(id) ?? 0);
  }

  mintCount(id?: string): number {
    return id === undefined ? this.mintsTotal : (this.mints.get(id) ?? 0);
  }

  get mintAttemptsInFlight(): number {
    return this.inFlight;
  }

  get maxMintAttemptsInFlight(): number {
    return this.maxInFlight;
  }

  /** Clears in place so arrays a test already holds stay the live record. */
  reset(): void {
    this.requests.splice(0, this.requests.length);
    this.attempts.clear();
    this.mints.clear();
    this.attemptsTotal = 0;
    this.mintsTotal = 0;
    // Requests in flight right now are still in flight after the reset, so the peak restarts from them.
    this.maxInFlight = this.inFlight;
  }
}

function maskHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name.toLowerCase()] = name.toLowerCase() === 'authorization' ? maskAuthorization(text) : text;
  }
  return out;
}

// Keep the scheme visible: tests need to see whether 'Bearer' was sent, never the token itself.
function maskAuthorization(value: string): string {
  const match = /^(\S+)\s+(\S+)$/.exec(value.trim());
  if (match) return `${match[1]} <fingerprint:${fingerprintToken(match[2])}>`;
  return `<fingerprint:${fingerprintToken(value)}>`;
}

/** Deep copy with secret fields (see `isSecretField`) replaced by '***'. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretField(value, key) ? '***' : maskSecrets(inner);
  }
  return out;
}
