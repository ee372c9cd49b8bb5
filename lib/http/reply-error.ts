import { ExotelAuthError } from '../errors/exotel-auth.error.js';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error.js';
import { ExotelProtocolError } from '../errors/exotel-protocol.error.js';
import { ExotelRequestError } from '../errors/exotel-request.error.js';
import { ExotelUnavailableError } from '../errors/exotel-unavailable.error.js';
import type { ExotelError } from '../errors/exotel.error.js';
import {
  parseEnvelopeBody,
  type RawReply,
  requestIdOf,
  retryAfterSeconds,
  vendorMessage,
} from './exotel-envelope.js';

/** Who is asking: the token endpoint treats 400 as bad credentials, other endpoints as a bad request. */
export interface ReplyContext {
  kind: 'token' | 'api';
  /** e.g. `POST /token for customer`, `GET /usermapping`. */
  what: string;
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
  };
  const said = vendorMessage(envelope, ctx.secrets);
  const quote = said ? `: "${said}"` : '';
  const status = reply.status;
  // Written so that NaN or a non-number status fails too: only a real 2xx reaches the envelope checks.
  if (!(status >= 200 && status < 300)) throw statusError(status, reply, ctx, base, quote);
  if (!envelope)
    throw new ExotelProtocolError(
      `${ctx.what} got ${problem} (HTTP ${status}); is baseUrl the integrations API?`,
      base,
    );
  if (envelope.Status === 'Failed') {
    throw new ExotelProtocolError(`${ctx.what} answered Status "Failed" with HTTP ${status}${quote}`, base);
  }
  if (typeof envelope.Code === 'number' && envelope.Code !== status) {
    throw new ExotelProtocolError(
      `${ctx.what} answered Code ${envelope.Code} with HTTP ${status}${quote}`,
      base,
    );
  }
  // Own property only: `in` would accept a Data inherited from a prototype.
  if (!Object.prototype.hasOwnProperty.call(envelope, 'Data'))
    throw new ExotelProtocolError(`${ctx.what} answered an envelope without Data`, base);
  return envelope;
}

function statusError(
  status: number,
  reply: RawReply,
  ctx: ReplyContext,
  base: { requestId?: string; httpStatus: number; code?: number; credential?: string },
  quote: string,
): ExotelError {
  const who = ctx.credential ? ` (${ctx.credential})` : '';
  if (status === 401 || status === 403 || (status === 400 && ctx.kind === 'token')) {
    const hint =
      ctx.kind === 'token' ? 'check the Id and Secret of this credential' : 'the token was refused';
    return new ExotelAuthError(`${ctx.what}${who} was rejected with HTTP ${status}${quote}; ${hint}`, base);
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = retryAfterSeconds(reply.retryAfter);
    const wait = retryAfter !== undefined ? `; Exotel asked to retry after ${retryAfter} s` : '';
    return new ExotelUnavailableError(`${ctx.what}${who} failed with HTTP ${status}${quote}${wait}`, {
      ...base,
      retryAfterSeconds: retryAfter,
    });
  }
  if (status === 404) {
    return ctx.kind === 'token'
      ? new ExotelProtocolError(
          `${ctx.what} answered HTTP 404; check baseUrl (it should end in /v2/integrations)`,
          base,
        )
      : new ExotelNotFoundError(`${ctx.what} found nothing (HTTP 404)${quote}`, base);
  }
  if (ctx.kind === 'api' && status >= 400 && status < 500) {
    return new ExotelRequestError(`${ctx.what} was refused with HTTP ${status}${quote}`, base);
  }
  return new ExotelProtocolError(`${ctx.what} answered an unexpected HTTP ${status}${quote}`, base);
}
