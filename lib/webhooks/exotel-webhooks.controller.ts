import {
  BadRequestException,
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Post,
  Req,
  type Type,
} from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { REDACTED } from '../redaction/redacted.js';
import {
  EXOTEL_WEBHOOK_ROUTES,
  type ExotelWebhookRoutes,
  isExotelCallKind,
} from '../options/webhook-routes.js';
import { CallDelivery, DeliveryFailedError, type DeliveryOutcome } from './call-delivery.js';
import { parseCallNotification } from './exotel-call-event.js';
import { EXOTEL_WEBHOOKS_RESOLVED_OPTIONS } from './exotel-webhooks.constants.js';
import type { ResolvedWebhooksOptions } from './exotel-webhooks.options.js';

/** The request as Nest hands it over: a body parsed by the platform, or the stream when parsing is off. */
type WebhookRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer; originalUrl?: string };

/**
 * The controller class for one route prefix: Nest reads a controller's path when the module is
 * defined, so each `forRoot*` gets its own subclass.
 */
export function webhooksController(path: string): Type {
  @Controller(path)
  class ExotelWebhooksController {
    constructor(
      @Inject(EXOTEL_WEBHOOK_ROUTES) private readonly routes: ExotelWebhookRoutes,
      @Inject(EXOTEL_WEBHOOKS_RESOLVED_OPTIONS) private readonly options: ResolvedWebhooksOptions,
      private readonly delivery: CallDelivery,
    ) {}

    /**
     * `POST /<path>/<secret>/<kind>`: 404 for a wrong secret or kind (worded like Nest's own 404 for an
     * unknown route), 413 over `maxBodyBytes`, 400 with `problems` for an invalid body, 200 with the
     * outcome, 500 when a handler failed and 503 when the dedupe is unavailable (both retried by Exotel).
     */
    @Post(':secret/:kind')
    @HttpCode(200)
    async receive(
      @Param('secret') secret: string,
      @Param('kind') kind: string,
      @Req() req: WebhookRequest,
    ): Promise<{ status: DeliveryOutcome }> {
      const known = this.routes.matches(secret);
      if (!known || !isExotelCallKind(kind)) {
        // Worded like Nest's 404, but never echoing the real secret (APMs and filters record this text).
        const url = req.originalUrl ?? req.url ?? '';
        throw new NotFoundException(`Cannot POST ${known ? url.replace(secret, REDACTED) : url}`);
      }
      const body = await readBody(req, this.options.maxBodyBytes);
      const parsed = parseCallNotification(kind, body);
      if ('problems' in parsed) {
        this.delivery.logger.warn(`Exotel ${kind} notification refused (400): ${parsed.problems.join('; ')}`);
        throw new BadRequestException({
          statusCode: 400,
          message: 'Invalid call notification',
          problems: parsed.problems,
        });
      }
      try {
        return { status: await this.delivery.deliver(parsed.event) };
      } catch (error) {
        if (!(error instanceof DeliveryFailedError)) throw error;
        const status =
          error.reason === 'handler' ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.SERVICE_UNAVAILABLE;
        throw new HttpException({ statusCode: status, message: `Not handled: ${error.message}` }, status);
      }
    }
  }
  return ExotelWebhooksController;
}

/**
 * The JSON body, within `max` bytes. The platform's body parser (Nest enables it by default, with its
 * own 100 kB limit and 413) usually got there first: its result is measured by the declared length,
 * then by the raw body the app kept or by its JSON (a chunked or compressed body declares no size or
 * a smaller one). With parsing off, the stream is read here.
 */
async function readBody(req: WebhookRequest, max: number): Promise<unknown> {
  const tooLarge = () => new PayloadTooLargeException(`Call notification larger than ${max} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (req.body !== undefined) {
    if (jsonBytes(req.body, req.rawBody) > max) throw tooLarge();
    return req.body;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BadRequestException({
      statusCode: 400,
      message: 'Invalid call notification',
      problems: ['body: must be JSON'],
    });
  }
}

/**
 * The size of a parsed body. A body too deeply nested for `JSON.stringify` (which recurses) counts
 * as 0 here: the platform's own limit bounded it, and validation refuses it with a 400.
 */
function jsonBytes(body: unknown, rawBody: Buffer | undefined): number {
  if (rawBody) return rawBody.length;
  try {
    return Buffer.byteLength(JSON.stringify(body) ?? '');
  } catch {
    return 0;
  }
}
