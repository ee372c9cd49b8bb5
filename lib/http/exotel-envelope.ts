import { REDACTED } from '../redaction/redacted.js';

/**
 * Exotel's reply envelope (exotel-api.md §2.3).
 * @publicApi
 */
export interface ExotelEnvelope<T = unknown> {
  RequestId?: string;
  Status?: string;
  Code?: number;
  Error?: string;
  Data: T;
}

/** What the library needs of an HTTP reply to judge it, independent of axios. */
export interface RawReply {
  status: number;
  contentType?: string;
  retryAfter?: string;
  /** Body as text (the library asks axios for text so that it can tell malformed JSON apart). */
  body: unknown;
}

/** Parses a body into an envelope-looking object, or returns a reason why it is not one. */
export function parseEnvelopeBody(reply: RawReply): { envelope?: Record<string, unknown>; problem?: string } {
  const { body, contentType = '' } = reply;
  if (/text\/html/i.test(contentType)) return { problem: 'an HTML page instead of JSON' };
  let value: unknown = body;
  if (typeof body === 'string') {
    if (body.trim() === '') return { problem: 'an empty body' };
    try {
      value = JSON.parse(body);
    } catch {
      return { problem: 'a body that is not valid JSON' };
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: 'JSON that is not an envelope object' };
  }
  return { envelope: value as Record<string, unknown> };
}

/**
 * RequestId of an envelope, when it is a sane string. A RequestId holding a known secret (a proxy
 * echoing the request body) is dropped: errors carry the RequestId into logs and JSON.
 */
export function requestIdOf(
  envelope: Record<string, unknown> | undefined,
  secrets: readonly string[] = [],
): string | undefined {
  const id = envelope?.RequestId;
  if (typeof id !== 'string' || id.length > 128) return undefined;
  return secrets.some((secret) => secret && id.includes(secret)) ? undefined : id;
}

/** Visible ASCII, no leading/trailing space: what an opaque token must be to go into a header verbatim. */
const HEADER_SAFE_TOKEN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Why `Data` of a `/token` reply is not a usable token, or undefined when it is one. */
export function tokenProblem(data: unknown): string | undefined {
  if (typeof data !== 'string' || data.trim() === '') return 'without a token in Data';
  // A token goes into an HTTP header: refuse anything that could not be sent, could split it or would be altered.
  if (data.length > 4096 || !HEADER_SAFE_TOKEN.test(data)) return 'a token that is not a header-safe string';
  return undefined;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date), if usable. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 24 * 3600);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.min((at - now) / 1000, 24 * 3600)) : undefined;
}

/** Exotel's `Error` text, shortened and with known secrets removed, for use in an error message. */
export function vendorMessage(
  envelope: Record<string, unknown> | undefined,
  secrets: readonly string[] = [],
): string {
  const raw = envelope?.Error;
  if (typeof raw !== 'string' || raw === '') return '';
  // Scrub before shortening: cutting first could leave the head of a secret that no longer matches.
  let text = raw.slice(0, 4096);
  for (const secret of secrets) if (secret) text = text.split(secret).join(REDACTED);
  return text.slice(0, 200);
}
