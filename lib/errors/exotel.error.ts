import { inspect } from 'node:util';

/**
 * Where a failure happened: `mint` (obtaining a token from `POST /token`) or `call` (a downstream
 * request). Lets callers map errors without parsing messages.
 * @publicApi
 */
export type ExotelPhase = 'mint' | 'call';

/** Context carried by every Exotel error; none of it is secret. */
export interface ExotelErrorContext {
  /** Exotel's `RequestId` from the reply envelope, when the reply had one. */
  requestId?: string;
  /** HTTP status of the reply, when there was a reply. */
  httpStatus?: number;
  /** Envelope `Code`, or a transport code such as `ECONNRESET`. */
  code?: string | number;
  /** Which credential the failing call used, e.g. `customer` or `app:support`. */
  credential?: string;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  retryAfterSeconds?: number;
  /** The exchange that failed, e.g. `POST /token` or `GET /usermapping`. */
  operation?: string;
  /** `mint` when obtaining a token failed, `call` when a downstream call failed. */
  phase?: ExotelPhase;
  /** The underlying error, kept off enumerable properties so that it never reaches JSON output. */
  cause?: unknown;
}

/**
 * Base class of every error this library throws. Messages never contain secrets or tokens; the
 * original error (which may carry request headers) is kept as a non-enumerable `cause`.
 * @publicApi
 */
export class ExotelError extends Error {
  readonly requestId?: string;
  readonly httpStatus?: number;
  readonly code?: string | number;
  readonly credential?: string;
  readonly retryAfterSeconds?: number;
  readonly operation?: string;
  readonly phase?: ExotelPhase;

  constructor(message: string, context: ExotelErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.requestId = context.requestId;
    this.httpStatus = context.httpStatus;
    this.code = context.code;
    this.credential = context.credential;
    this.retryAfterSeconds = context.retryAfterSeconds;
    this.operation = context.operation;
    this.phase = context.phase;
    Object.defineProperty(this, 'cause', { value: context.cause, enumerable: false, writable: true });
  }

  /** Plain, secret-free view used by `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      code: this.code,
      credential: this.credential,
      operation: this.operation,
      phase: this.phase,
    };
  }

  // `cause` may be an AxiosError holding request headers: inspect shows only the safe view.
  [inspect.custom](): string {
    const ctx = Object.entries(this.toJSON())
      .filter(([k, v]) => v !== undefined && k !== 'name' && k !== 'message')
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join(', ');
    const head = `${this.name}: ${this.message}${ctx ? ` { ${ctx} }` : ''}`;
    const frames = (this.stack ?? '').split('\n').slice(1).join('\n');
    return frames ? `${head}\n${frames}` : head;
  }
}

/**
 * Exotel refused the credentials or the token (HTTP 400/401 from `/token`, or a downstream 401 that
 * survived one re-mint). Retrying quickly does not help: check the Id/Secret pair.
 * @publicApi
 */
export class ExotelAuthError extends ExotelError {}

/**
 * Exotel could not be reached or answered with 5xx/429, a timeout or a broken connection. Transient:
 * the library retries in the background with backoff.
 * @publicApi
 */
export class ExotelUnavailableError extends ExotelError {}

/**
 * Exotel answered, but not in the documented shape: a non-JSON or HTML body, a missing or empty
 * `Data`, `Status: "Failed"` with HTTP 200, or an envelope `Code` that disagrees with the HTTP status.
 * @publicApi
 */
export class ExotelProtocolError extends ExotelError {}

/**
 * The module options are invalid. Thrown once at bootstrap and lists every bad field by path,
 * never its value.
 * @publicApi
 */
export class ExotelConfigError extends ExotelError {
  /** @param subject What is invalid, for the first line of the message. */
  constructor(
    readonly problems: string[],
    subject = 'ExotelWebrtcModule options',
  ) {
    super(`Invalid ${subject}:\n  - ${problems.join('\n  - ')}`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}

/**
 * A downstream resource does not exist (HTTP 404), e.g. a user mapping or an app setting.
 * @publicApi
 */
export class ExotelNotFoundError extends ExotelError {}

/**
 * Exotel rejected a downstream request as invalid (HTTP 400), or the library refused to send an
 * input that fails validation. `problems` lists the bad fields when the library found them.
 * @publicApi
 */
export class ExotelRequestError extends ExotelError {
  problems?: string[];
}

/**
 * A token was asked for a credential the module was not configured with.
 * @publicApi
 */
export class ExotelUnknownCredentialError extends ExotelError {}
