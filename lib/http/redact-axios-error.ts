import { isAxiosError } from 'axios';
import { REDACTED } from '../redaction/redacted.js';

type Bag = Record<string | symbol, unknown>;

/**
 * Removes Authorization values from an axios error in place and returns it: the request config
 * (`config.headers`, which `toJSON` prints), the raw request (`_header`, Node's out-headers table,
 * follow-redirects' options) and any copy of the token in the message, the stack or a text body.
 * Non-axios errors are returned untouched (the library's own errors never hold a token).
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
  if (error.response && typeof error.response.data === 'string')
    error.response.data = scrub(error.response.data, secrets);
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

function scrub(text: string, secrets: Set<string>): string {
  let out = text;
  // Longest first, so `Bearer tok` is replaced whole before `tok` alone.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length))
    out = out.split(secret).join(REDACTED);
  // Whatever the table held, the raw header line never goes out with a value.
  return out.replace(/^(authorization:)[^\r\n]*/gim, `$1 ${REDACTED}`);
}
