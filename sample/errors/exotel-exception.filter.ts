import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExotelError } from 'nestjs-exotel-webrtc';
import { clientMessageOf, httpStatusOf } from './http-status-of.js';

/**
 * Answers library errors with a JSON status the caller can act on (400/404/502/503) and
 * Exotel's RequestId, instead of Nest's generic 500. Exotel refusing the server's own credentials
 * is a 502 that says so, not a 401 the caller would read as its own login failing. Library
 * messages never hold a token or a secret, so they are safe to return; the stack is not returned.
 */
@Catch(ExotelError)
export class ExotelExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExotelExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: ExotelError, host: ArgumentsHost): void {
    const status = httpStatusOf(error);
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const requestId = error.requestId ?? null;
    this.logger.warn(
      `${status} ${error.name}: ${error.message}${requestId ? ` (RequestId ${requestId})` : ''}`,
    );
    if (error.retryAfterSeconds !== undefined) {
      httpAdapter.setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
    }
    const problems = (error as { problems?: unknown }).problems;
    const body = {
      statusCode: status,
      error: error.name,
      message: clientMessageOf(error),
      requestId,
      exotelStatus: error.httpStatus ?? null,
      credential: error.credential,
      ...(Array.isArray(problems) ? { problems } : {}),
    };
    httpAdapter.reply(response, body, status);
  }
}
