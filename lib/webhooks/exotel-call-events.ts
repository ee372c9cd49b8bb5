import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { isolatedEvents } from '../events/isolated-events.js';
import type { ExotelCallEvent } from './exotel-call-event.js';
import { EXOTEL_WEBHOOKS_RESOLVED_OPTIONS } from './exotel-webhooks.constants.js';
import type { ResolvedWebhooksOptions } from './exotel-webhooks.options.js';

/**
 * Every call notification as a stream, for those who prefer rxjs to `@OnExotelCall`. Each
 * notification is emitted once however often Exotel delivers it (the stream counts as one more
 * handler for dedupe), after validation and before the `@OnExotelCall` handlers finish.
 * @publicApi
 */
@Injectable()
export class ExotelCallEvents implements OnModuleDestroy {
  private readonly subject = new Subject<ExotelCallEvent>();

  /** Completes when the app shuts down. A subscriber that throws is logged and skipped, never rethrown. */
  readonly events$: Observable<ExotelCallEvent>;

  constructor(@Inject(EXOTEL_WEBHOOKS_RESOLVED_OPTIONS) options: ResolvedWebhooksOptions) {
    this.events$ = isolatedEvents(this.subject, options.logger, 'ExotelCallEvents.events$');
  }

  /** Called by the delivery pipeline only. */
  emit(event: ExotelCallEvent): void {
    this.subject.next(event);
  }

  onModuleDestroy(): void {
    this.subject.complete();
  }
}
