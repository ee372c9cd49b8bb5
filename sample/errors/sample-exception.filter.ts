import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import {
  ExotelError,
  type ExotelErrorBody,
  ExotelExceptionFilter,
  ExotelUnknownCredentialError,
} from 'nestjs-exotel-webrtc';

/** Appended to an unknown credential's message: the library speaks of options and addApp(); the sample's caller uses POST /apps. */
export const UNKNOWN_APP_HINT =
  'This server manages the apps of its configuration and those added with POST /apps ' +
  '(kept in memory: a restart forgets them).';

/**
 * The library's filter for Exotel's errors, plus the sample's own refusals (its 400, 409 and 422) in the
 * same body shape, so the page reads one shape for every error. `requestId` is null for the sample's
 * own refusals: Exotel was not asked. Health reports keep Terminus's shape.
 */
@Catch(ExotelError, HttpException)
export class SampleExceptionFilter extends ExotelExceptionFilter {
  override catch(error: ExotelError | HttpException, host: ArgumentsHost): void {
    if (error instanceof ExotelError) return super.catch(error, host);
    const answer = error.getResponse();
    // Answers with a contract of their own (Terminus's health report) keep it.
    if (typeof answer === 'object' && !('statusCode' in answer)) {
      return this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), answer, error.getStatus());
    }
    const message =
      typeof answer === 'string' ? answer : ((answer as { message?: unknown }).message ?? error.message);
    const body: ExotelErrorBody = {
      statusCode: error.getStatus(),
      error: error.name,
      message: Array.isArray(message) ? message.join('; ') : String(message),
      requestId: null,
      exotelStatus: null,
      credential: null,
      ...(Array.isArray(message) ? { problems: message.map(String) } : {}),
    };
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, body.statusCode);
  }

  protected override messageOf(error: ExotelError): string {
    const message = super.messageOf(error);
    return error instanceof ExotelUnknownCredentialError ? `${message} ${UNKNOWN_APP_HINT}` : message;
  }
}
