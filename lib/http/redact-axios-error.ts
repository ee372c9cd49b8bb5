import { isAxiosError } from 'axios';
import { REDACTED } from '../redaction/redacted.js';

type Bag = Record<string | symbol, unknown>;

/**
 * Removes Authorization values from an axios error in place and returns it: the request config
 * (`config.headers`, which `toJSON` prints), the raw request (`_header`, Node's out-headers table,
 * follow-redirects' options) and any copy of the token in the message, the stack or the reply (a text,
 * binary or parsed JSON body, the response headers and status text: a server or proxy may echo the
 * request back). Non-axios errors are returned untouched (the library's own errors never hold a token).
 */
export function redactAxiosError<T>(error: T, knownSecrets: readonly string[] = []): T {
  if (!isAxiosError(error)) return error;
  const secrets = new Set(knownSecrets.filter((s) => s.length > 0));
  for (const config of [error.config, error.response?.config])
    redactHeaders(config?.headers as unknown, secrets);
  const seen = new Set<object>();
  for (const request of [error.request, error.response?.request]) redactRequest(request, secrets, seen);
  error.message = scrub(error.message, secrets);
  if (typeof error.stack === 'string') error.stack = scrub(error.stack, secrets);
  if (error.response) {
    const response = error.response as { data: unknown; headers: unknown; statusText: unknown };
    response.data = scrubValue(response.data, secrets);
    scrubBag(response.headers, secrets);
    if (typeof response.statusText === 'string') response.statusText = scrub(response.statusText, secrets);
  }
  // Node keeps unsent request heads in places no scrub can enumerate (a socket's pending data when the
  // connection never opened): the raw request objects do not leave the library at all.
  error.request = undefined;
  if (error.response) error.response.request = undefined;
  return error;
}

/** Replaces every Authorization entry of a header bag (AxiosHeaders or a plain object), remembering the values. */
function redactHeaders(headers: unknown, secrets: Set<string>): void {
  if (!headers || typeof headers !== 'object') return;
  const bag = headers as Bag;
  for (const key of Object.keys(bag)) {
    if (key.toLowerCase() !== 'authorization') continue;
    remember(bag[key], secrets);
    bag[key] = REDACTED;
  }
}

function redactRequest(request: unknown, secrets: Set<string>, seen: Set<object>): void {
  if (!request || typeof request !== 'object' || seen.has(request)) return;
  seen.add(request);
  const req = request as Bag;
  // Node's ClientRequest keeps the outgoing headers in a symbol-keyed table: [name, value] per header.
  for (const symbol of Object.getOwnPropertySymbols(req)) {
    if (symbol.description !== 'kOutHeaders') continue;
    const table = req[symbol] as Record<string, [string, unknown]> | null;
    const entry = table?.authorization;
    if (Array.isArray(entry)) {
      remember(entry[1], secrets);
      entry[1] = REDACTED;
    }
  }
  // follow-redirects: the options it re-sends on each hop, and the current hop's ClientRequest.
  const options = req._options as Bag | undefined;
  if (options && typeof options === 'object') redactHeaders(options.headers, secrets);
  if (typeof req._header === 'string') req._header = scrub(req._header, secrets);
  redactRequest(req._currentRequest, secrets, seen);
  redactRequest(req._redirectable, secrets, seen);
}

function remember(value: unknown, secrets: Set<string>): void {
  const values = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (typeof item !== 'string' || item === '' || item === REDACTED) continue;
    secrets.add(item);
    // `Bearer <token>`: the bare token may also appear on its own.
    const parts = item.trim().split(/\s+/);
    if (parts.length === 2 && parts[1]) secrets.add(parts[1]);
  }
}

/**
 * A reply body without the secrets: text scrubbed, bytes scrubbed as UTF-8 (only replaced when they held
 * one), parsed JSON walked in place. The walk uses its own stack: a hostile reply nests arrays deeper
 * than the call stack allows.
 */
function scrubValue(value: unknown, secrets: Set<string>): unknown {
  if (secrets.size === 0) return value;
  if (typeof value === 'string') return scrub(value, secrets);
  if (value instanceof Uint8Array) {
    const text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
    return holdsSecret(text, secrets) ? Buffer.from(scrub(text, secrets)) : value;
  }
  if (value instanceof ArrayBuffer) {
    const text = Buffer.from(value).toString('utf8');
    return holdsSecret(text, secrets) ? Buffer.from(scrub(text, secrets)) : value;
  }
  const pending: object[] = [];
  const seen = new Set<object>();
  if (value && typeof value === 'object') pending.push(value);
  while (pending.length) {
    const bag = pending.pop()!;
    if (seen.has(bag)) continue;
    seen.add(bag);
    scrubBag(bag, secrets, pending);
  }
  return value;
}

/** Scrubs the string entries (and keys) of one object or array in place, queueing the objects it holds. */
function scrubBag(bag: unknown, secrets: Set<string>, pending?: object[]): void {
  if (!bag || typeof bag !== 'object' || secrets.size === 0) return;
  const target = bag as Bag;
  for (const key of Object.keys(target)) {
    let entry: unknown;
    try {
      entry = target[key];
    } catch {
      continue; // an accessor on a host object; JSON bodies and header bags have none
    }
    const name = holdsSecret(key, secrets) ? scrub(key, secrets) : key;
    const clean =
      typeof entry === 'string'
        ? scrub(entry, secrets)
        : Array.isArray(entry) && !pending
          ? entry.map((item: unknown) => (typeof item === 'string' ? scrub(item, secrets) : item))
          : entry;
    try {
      if (name !== key) delete target[key];
      if (name !== key || clean !== entry) target[name] = clean;
    } catch {
      // Axios never freezes what it parses; a bag a transform froze is left as it is rather than throw here.
    }
    if (pending && entry && typeof entry === 'object') pending.push(entry);
  }
}

function holdsSecret(text: string, secrets: Set<string>): boolean {
  for (const secret of secrets) if (text.includes(secret)) return true;
  return false;
}

function scrub(text: string, secrets: Set<string>): string {
  let out = text;
  // Longest first, so `Bearer tok` is replaced whole before `tok` alone.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    out = out.split(secret).join(REDACTED);
  // Whatever the table held, the raw header line never goes out with a value.
  return out.replace(/^(authorization:)[^\r\n]*/gim, `$1 ${REDACTED}`);
}
