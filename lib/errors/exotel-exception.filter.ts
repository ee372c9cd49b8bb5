import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpStatus,
  Injectable,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  ExotelAuthError,
  ExotelConfigError,
  ExotelError,
  ExotelNotFoundError,
  ExotelProtocolError,
  ExotelRequestError,
  ExotelUnavailableError,
  ExotelUnknownCredentialError,
} from './exotel.error.js';

/** The JSON body `ExotelExceptionFilter` answers with. */
export interface ExotelErrorBody {
  statusCode: number;
  /** The error class, e.g. `ExotelUnavailableError`. */
  error: string;
  message: string;
  /** Exotel's `RequestId` for the failed exchange; null only where Exotel gave none. */
  requestId: string | null;
  /** The status Exotel answered, when there was an answer. */
  exotelStatus: number | null;
  /** The credential involved, e.g. `customer` or `app 'support'` (a name, never an Id or a secret). */
  credential: string | null;
  /** The field problems of a refused input (400 only). */
  problems?: string[];
}

// ExotelAuthError is a 502, never a 401: the host's caller sent no Exotel credentials. What Exotel refused
// is the server's own credential or the token minted from it, so the fault is upstream of the caller; a
// 401 would read as "your login failed" and would need a challenge the caller cannot answer.
const STATUS_BY_CLASS: ReadonlyArray<[abstract new (...args: any[]) => ExotelError, HttpStatus]> = [
  [ExotelAuthError, HttpStatus.BAD_GATEWAY],
  [ExotelUnavailableError, HttpStatus.SERVICE_UNAVAILABLE],
  [ExotelProtocolError, HttpStatus.BAD_GATEWAY],
  [ExotelRequestError, HttpStatus.BAD_REQUEST],
  [ExotelNotFoundError, HttpStatus.NOT_FOUND],
  [ExotelUnknownCredentialError, HttpStatus.NOT_FOUND],
  [ExotelConfigError, HttpStatus.INTERNAL_SERVER_ERROR],
];

/**
 * Answers the library's errors over HTTP with a status the caller can act on instead of Nest's generic
 * 500: 400 with `problems`, 404, 502, and 503 with `Retry-After` when Exotel gave one; always with
 * `requestId`, never a stack. Opt-in; register it globally:
 *
 * ```ts
 * providers: [{ provide: APP_FILTER, useClass: ExotelExceptionFilter }]
 * ```
 *
 * Library messages never hold a token or a secret, so they are safe to return. 5xx answers are logged as warnings, others at
 * debug level. Extend the class and
 * override `messageOf` to word them for your callers. HTTP only: other contexts rethrow.
 * @publicApi
 */
@Catch(ExotelError)
@Injectable()
export class ExotelExceptionFilter implements ExceptionFilter<ExotelError> {
  private readonly logger = new Logger('ExotelExceptionFilter');

  constructor(protected readonly adapterHost: HttpAdapterHost) {}

  /** The HTTP status for an error of this library. */
  static statusOf(error: ExotelError): HttpStatus {
    return STATUS_BY_CLASS.find(([type]) => error instanceof type)?.[1] ?? HttpStatus.BAD_GATEWAY;
  }

  catch(error: ExotelError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const body = this.bodyOf(error);
    // A 5xx is Exotel's or this server's fault, worth a warning; a 4xx is the caller's, worth a debug line.
    const line = `${body.statusCode} ${error.name}: ${error.message}${body.requestId ? ` (RequestId ${body.requestId})` : ''}`;
    if (body.statusCode >= 500) this.logger.warn(line);
    else this.logger.debug(line);
    // Part of another answer has already left (a stream, an SSE feed): end it, as Nest's own filter does.
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    if (error.retryAfterSeconds !== undefined) {
      httpAdapter.setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
    }
    httpAdapter.reply(response, body, body.statusCode);
  }

  /** The body answered for `error`. */
  protected bodyOf(error: ExotelError): ExotelErrorBody {
    return {
      statusCode: ExotelExceptionFilter.statusOf(error),
      error: error.name,
      message: this.messageOf(error),
      requestId: error.requestId ?? null,
      exotelStatus: error.httpStatus ?? null,
      credential: error.credential ?? null,
      ...(error instanceof ExotelRequestError && error.problems ? { problems: error.problems } : {}),
    };
  }

  /**
   * The message for the caller. A refused credential is the server's, not the caller's; the default
   * says so in front of the library's message.
   */
  protected messageOf(error: ExotelError): string {
    if (!(error instanceof ExotelAuthError)) return error.message;
    const credential = error.credential ?? 'configured';
    const who =
      error.phase === 'mint'
        ? `Exotel refused this server's own ${credential} credentials`
        : `Exotel refused the token this server minted with its ${credential} credentials`;
    return `${who}; not a problem with your request, the server's operator must fix it. ${error.message}`;
  }
}
