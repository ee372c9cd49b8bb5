import {
  type ArgumentsHost,
  Catch,
  HttpException,
  InternalServerErrorException,
  Logger,
} from '@nestjs/common';
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
 * The library's filter for Exotel's errors, plus the sample's own refusals (its 400 and 409) in the
 * same body shape, so the page reads one shape for every error. A refusal made because of Exotel's
 * answer (a 409 for the 404 of an app without settings) has that answer as its `cause` and carries its
 * `requestId`, `exotelStatus` and `credential`; the others rest on no failed Exotel answer and have
 * null there. Anything else thrown is a bug: logged with its stack, answered as a plain 500 in that same
 * shape. Health reports keep Terminus's shape.
 */
@Catch()
export class SampleExceptionFilter extends ExotelExceptionFilter {
  private readonly log = new Logger('SampleExceptionFilter');

  override catch(thrown: unknown, host: ArgumentsHost): void {
    if (thrown instanceof ExotelError) return super.catch(thrown, host);
    if (host.getType() !== 'http') throw thrown;
    let error: HttpException;
    if (thrown instanceof HttpException) error = thrown;
    else {
      this.log.error(thrown instanceof Error ? thrown.message : String(thrown), (thrown as Error)?.stack);
      error = new InternalServerErrorException();
    }
    const answer = error.getResponse();
    // Answers with a contract of their own (Terminus's health report) keep it.
    if (typeof answer === 'object' && !('statusCode' in answer)) {
      return this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), answer, error.getStatus());
    }
    const message =
      typeof answer === 'string' ? answer : ((answer as { message?: unknown }).message ?? error.message);
    const exotel = error.cause instanceof ExotelError ? error.cause : undefined;
    const body: ExotelErrorBody = {
      statusCode: error.getStatus(),
      error: error.name,
      message: Array.isArray(message) ? message.join('; ') : String(message),
      requestId: exotel?.requestId ?? null,
      exotelStatus: exotel?.httpStatus ?? null,
      credential: exotel?.credential ?? null,
      ...(Array.isArray(message) ? { problems: message.map(String) } : {}),
    };
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, body.statusCode);
  }

  protected override messageOf(error: ExotelError): string {
    const message = super.messageOf(error);
    return error instanceof ExotelUnknownCredentialError ? `${message} ${UNKNOWN_APP_HINT}` : message;
  }
}
