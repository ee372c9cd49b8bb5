import {
  ExotelAuthError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  type ExotelError,
  type ExotelErrorContext,
  type ExotelPhase,
} from '../errors/exotel.error.js';
import { oneLine } from '../options/safe-logger.js';
import { REDACTED } from '../redaction/redacted.js';

/**
 * The JSON object every Exotel integrations reply carries: `Data` holds the result (the token for
 * `POST /token`), the rest describes the outcome.
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
  /** The Location header, as received (a 3xx is judged, never followed). */
  location?: unknown;
  /** The URL the request went to, for resolving a relative Location. */
  url?: string;
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
  // Printable ASCII only: a RequestId travels into logs and JSON, where a line break could forge a line.
  if (typeof id !== 'string' || id.length > 128 || !/^[\x20-\x7e]*$/.test(id)) return undefined;
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
  // Escaped, so quoted vendor text cannot forge a line in a log that prints the error.
  return oneLine(text.slice(0, 200));
}

/**
 * Where a Location header points, for a message: its origin only, resolved against the request URL.
 * The path and query of a redirect target may carry anything (signed links, echoed parameters).
 */
export function redirectTarget(location: unknown, url?: string): string {
  if (typeof location !== 'string' || location.trim() === '') return ' without a Location';
  let target: URL;
  try {
    target = new URL(location, url);
  } catch {
    return ' to a Location that does not parse';
  }
  // `origin` is "null" for schemes such as data: or file:, which have no host to name.
  return target.origin === 'null' ? ' to a Location that is not a web origin' : ` to ${target.origin}`;
}

/** Who is asking: the token endpoint treats 400 as bad credentials, other endpoints as a bad request. */
export interface ReplyContext {
  phase: ExotelPhase;
  /** The exchange, e.g. `POST /token` or `GET /usermapping`; errors carry it as `operation`. */
  operation: string;
  /** Label of the credential whose token or secret was sent, e.g. `customer` or `app 'support'`. */
  credential?: string;
  /** Values to scrub from any vendor text quoted in a message. */
  secrets?: readonly string[];
}

/**
 * Judges a reply. Returns the envelope of a good reply, or throws the typed error for a bad one:
 * the status decides first (400/401/403 auth, 404 not found, 408/429/5xx unavailable), then the
 * envelope itself (shape, `Status`, `Code` agreeing with the HTTP status).
 */
export function checkReply(reply: RawReply, ctx: ReplyContext): Record<string, unknown> {
  const { envelope, problem } = parseEnvelopeBody(reply);
  const base = {
    requestId: requestIdOf(envelope, ctx.secrets),
    httpStatus: reply.status,
    code: typeof envelope?.Code === 'number' ? envelope.Code : undefined,
    credential: ctx.credential,
    operation: ctx.operation,
    phase: ctx.phase,
  };
  const said = vendorMessage(envelope, ctx.secrets);
  const quote = said ? `: "${said}"` : '';
  const status = reply.status;
  // Written so that NaN or a non-number status fails too: only a real 2xx reaches the envelope checks.
  if (!(status >= 200 && status < 300)) throw statusError(status, reply, ctx, base, quote);
  if (!envelope)
    throw new ExotelProtocolError(
      `${ctx.operation} got ${problem} (HTTP ${status}); is baseUrl the integrations API?`,
      base,
    );
  if (envelope.Status === 'Failed') {
    throw new ExotelProtocolError(
      `${ctx.operation} answered Status "Failed" with HTTP ${status}${quote}`,
      base,
    );
  }
  if (typeof envelope.Code === 'number' && envelope.Code !== status) {
    throw new ExotelProtocolError(
      `${ctx.operation} answered Code ${envelope.Code} with HTTP ${status}${quote}`,
      base,
    );
  }
  // Own property only: `in` would accept a Data inherited from a prototype.
  if (!Object.prototype.hasOwnProperty.call(envelope, 'Data'))
    throw new ExotelProtocolError(`${ctx.operation} answered an envelope without Data`, base);
  return envelope;
}

function statusError(
  status: number,
  reply: RawReply,
  ctx: ReplyContext,
  base: ExotelErrorContext,
  quote: string,
): ExotelError {
  const who = ctx.credential ? ` (${ctx.credential})` : '';
  if (status === 401 || status === 403 || (status === 400 && ctx.phase === 'mint')) {
    const hint =
      ctx.phase === 'mint' ? 'check the Id and Secret of this credential' : 'the token was refused';
    return new ExotelAuthError(
      `${ctx.operation}${who} was rejected with HTTP ${status}${quote}; ${hint}`,
      base,
    );
  }
  if (status >= 300 && status < 400) {
    // The library follows no redirect (see send): say where it pointed, by origin only.
    const where = redirectTarget(reply.location, reply.url);
    return new ExotelProtocolError(
      `${ctx.operation}${who} was redirected (HTTP ${status})${where}; redirects are not followed, check baseUrl`,
      base,
    );
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = retryAfterSeconds(reply.retryAfter);
    const wait = retryAfter !== undefined ? `; Exotel asked to retry after ${retryAfter} s` : '';
    return new ExotelUnavailableError(`${ctx.operation}${who} failed with HTTP ${status}${quote}${wait}`, {
      ...base,
      retryAfterSeconds: retryAfter,
    });
  }
  if (status === 404) {
    return ctx.phase === 'mint'
      ? new ExotelProtocolError(
          `${ctx.operation} answered HTTP 404; check baseUrl (it should end in /v2/integrations)`,
          base,
        )
      : new ExotelNotFoundError(`${ctx.operation} found nothing (HTTP 404)${quote}`, base);
  }
  if (ctx.phase === 'call' && status >= 400 && status < 500) {
    return new ExotelRequestError(`${ctx.operation} was refused with HTTP ${status}${quote}`, base);
  }
  return new ExotelProtocolError(`${ctx.operation} answered an unexpected HTTP ${status}${quote}`, base);
}
