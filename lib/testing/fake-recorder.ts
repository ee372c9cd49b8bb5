import { createHash } from 'node:crypto';
import type { FakeRoute, RecordedRequest } from './fake-exotel-options.js';
import type { FakeExchange } from './fake-exchange.js';
import { routeMatches } from './fake-route-match.js';

// Compared lower-case so 'secret' or 'SIPSECRET' sent by a sloppy client is masked too.
const SECRET_KEYS = new Set(['secret', 'customersecret', 'appsecret', 'exotelapitoken', 'sipsecret']);

/** First 8 hex chars of the token's SHA-256: enough to tell tokens apart in a test, useless to an attacker. */
export function fingerprintToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}

/** Keeps every request (masked) and the per-Id mint counters. */
export class FakeRecorder {
  readonly requests: RecordedRequest[] = [];
  private readonly attempts = new Map<string, number>();
  private readonly mints = new Map<string, number>();
  private attemptsTotal = 0;
  private mintsTotal = 0;

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

  /** Counts a `POST /token` request; `id` is undefined when the body carried no string Id. */
  countAttempt(id: string | undefined): void {
    this.attemptsTotal += 1;
    if (id !== undefined) this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
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

  /** Clears in place so arrays a test already holds stay the live record. */
  reset(): void {
    this.requests.splice(0, this.requests.length);
    this.attempts.clear();
    this.mints.clear();
    this.attemptsTotal = 0;
    this.mintsTotal = 0;
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

/** Deep copy with secret-named properties replaced by '***'. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key.toLowerCase()) ? '***' : maskSecrets(inner);
  }
  return out;
}
