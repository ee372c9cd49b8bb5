import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS, MemoryTokenStore, type ResolvedExotelOptions } from '../index.js';
import { MemoryCallDedupe, type ExotelCallDedupe } from './call-dedupe.js';
import { type CallHandler, CallHandlerExplorer } from './call-handler-explorer.js';
import type { ExotelCallEvent } from './exotel-call-event.js';
import { ExotelCallEvents } from './exotel-call-events.js';
import { EXOTEL_WEBHOOKS_RESOLVED_OPTIONS } from './exotel-webhooks.constants.js';
import type { ResolvedWebhooksOptions } from './exotel-webhooks.options.js';
import { StoreCallDedupe } from './store-call-dedupe.js';

/** How a delivery was answered: every handler ran now, all had seen it, or they go on in the background. */
export type DeliveryOutcome = 'handled' | 'duplicate' | 'accepted';

const FAILURES = {
  handler: 'a handler failed',
  dedupe: 'the dedupe store is unavailable',
  busy: 'too many deliveries still running in the background',
} as const;

/**
 * A handler failed (its mark was released), the dedupe could not be reached, or too much runs in the
 * background to take more: Exotel should retry.
 */
export class DeliveryFailedError extends Error {
  constructor(readonly reason: keyof typeof FAILURES) {
    super(FAILURES[reason]);
  }
}

type Run = 'handled' | 'duplicate';

/**
 * Runs each handler once per notification. Per handler and notification (kind, CallSid, CallState)
 * it claims a mark, runs the handler, keeps the mark on success and releases it on failure, so a
 * redelivery reruns only the handlers that failed. Answers at the first failure, or when all are
 * done, or after `handlerTimeoutMs`, whichever comes first; handlers still running then finish in
 * the background, where a failure is logged and its mark released.
 */
@Injectable()
export class CallDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  readonly logger: LoggerService;
  private handlers: CallHandler[] = [];
  private dedupe!: ExotelCallDedupe;
  private readonly background = new Set<Promise<unknown>>();
  /** Deliveries not answered yet, by notification (kind, CallSid, CallState). */
  private readonly inFlight = new Map<string, Promise<DeliveryOutcome>>();

  constructor(
    @Inject(EXOTEL_WEBHOOKS_RESOLVED_OPTIONS) private readonly options: ResolvedWebhooksOptions,
    private readonly explorer: CallHandlerExplorer,
    private readonly stream: ExotelCallEvents,
    private readonly moduleRef: ModuleRef,
  ) {
    this.logger = options.logger;
  }

  onApplicationBootstrap(): void {
    this.handlers = this.explorer.explore(this.logger);
    this.dedupe = this.options.dedupe ?? this.defaultDedupe();
    const counts = this.handlers.map((h) => `${h.name} (${h.kinds.join(', ')})`).join('; ');
    this.logger.log(
      `Exotel webhooks: ${this.handlers.length} handler(s)${counts ? `: ${counts}` : ''}; dedupe ${this.dedupe.constructor.name}`,
    );
  }

  /**
   * Lets background handlers finish before the token store (and so a shared dedupe) closes, for at
   * most `handlerTimeoutMs` more: a handler that never settles must not hold the shutdown forever.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.background.size === 0) return;
    const done = await within(Promise.allSettled([...this.background]), this.options.handlerTimeoutMs);
    if (done === LATE) {
      this.logger.warn(
        `Exotel webhooks: ${this.background.size} delivery(ies) still running at shutdown after ${this.options.handlerTimeoutMs} ms; not waited for (a failure among them may leave its mark held until dedupeTtlMs ends)`,
      );
    }
  }

  /**
   * Delivers a notification; a redelivery that arrives while the same notification is still being
   * delivered in this process shares that delivery's answer (so it is a 500 too if a handler fails,
   * and Exotel's next retry still comes).
   */
  deliver(event: ExotelCallEvent): Promise<DeliveryOutcome> {
    const key = JSON.stringify([event.kind, event.callSid, event.callState ?? '']);
    const running = this.inFlight.get(key);
    if (running) return running;
    if (this.background.size >= this.options.maxBackgroundDeliveries) {
      this.logger.warn(
        `Exotel ${event.kind} for call ${event.callSid}: ${this.background.size} deliveries running in the background (maxBackgroundDeliveries); answered 503 so that Exotel retries`,
      );
      return Promise.reject(new DeliveryFailedError('busy'));
    }
    const delivery = this.run(event).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, delivery);
    return delivery;
  }

  private async run(event: ExotelCallEvent): Promise<DeliveryOutcome> {
    const runs = [
      this.once(event, 'events$', () => this.stream.emit(event)),
      ...this.handlers
        .filter((h) => h.kinds.includes(event.kind))
        .map((h) => this.once(event, h.name, () => h.invoke(event))),
    ];
    const all = Promise.all(runs.map((run) => run.catch((error: unknown) => error)));
    // The first failure answers at once: waiting for slower handlers could take the answer past the
    // budget, into a 200 that tells Exotel not to retry.
    const failed = new Promise<DeliveryFailedError>((resolve) => {
      for (const run of runs) run.catch(resolve);
    });
    const first = await within(Promise.race([all, failed]), this.options.handlerTimeoutMs);
    if (first === LATE || first instanceof DeliveryFailedError) {
      const pending = all.finally(() => this.background.delete(pending));
      this.background.add(pending);
    }
    if (first instanceof DeliveryFailedError) throw first;
    if (first === LATE) {
      this.logger.warn(
        `Exotel ${event.kind} for call ${event.callSid}: handlers still running after ${this.options.handlerTimeoutMs} ms; answered 200 and finishing in the background`,
      );
      return 'accepted';
    }
    const outcome = first.every((r) => r === 'duplicate') ? 'duplicate' : 'handled';
    this.logger.debug?.(
      `Exotel ${event.kind} for call ${event.callSid} (${event.callState ?? 'no state'}): ${outcome}`,
    );
    return outcome;
  }

  /** Claims the handler's mark, runs it, and releases the mark when it fails. */
  private async once(event: ExotelCallEvent, handler: string, run: () => unknown): Promise<Run> {
    const where = `Exotel ${event.kind} for call ${event.callSid}`;
    let mark;
    try {
      mark = await this.dedupe.claim(markKey(event, handler), this.options.dedupeTtlMs);
    } catch (error) {
      this.logger.error(
        `${where}: dedupe unavailable (${nameOf(error)}); answered 503 so that Exotel retries`,
      );
      throw new DeliveryFailedError('dedupe');
    }
    if (!mark) return 'duplicate';
    try {
      await run();
      return 'handled';
    } catch (error) {
      this.logger.error(`${where}: ${handler} failed (${nameOf(error)}); released for redelivery`);
      await mark
        .release()
        .catch((releaseError: unknown) =>
          this.logger.error(
            `${where}: the mark of ${handler} could not be released (${nameOf(releaseError)}); redeliveries count as duplicates until it expires`,
          ),
        );
      throw new DeliveryFailedError('handler');
    }
  }

  private defaultDedupe(): ExotelCallDedupe {
    let core: ResolvedExotelOptions | undefined;
    try {
      core = this.moduleRef.get<ResolvedExotelOptions>(EXOTEL_WEBRTC_RESOLVED_OPTIONS, { strict: false });
    } catch {
      core = undefined; // webhooks without ExotelWebrtcModule: nothing is shared
    }
    const store = core?.store;
    return store && !(store instanceof MemoryTokenStore)
      ? new StoreCallDedupe(store)
      : new MemoryCallDedupe();
  }
}

const LATE = Symbol('late');

/** `promise`'s value, or {@link LATE} when it takes longer than `ms`; the timer never outlives it. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One mark per notification and handler; hashed, so a hostile CallSid cannot shape a store key. */
function markKey(event: ExotelCallEvent, handler: string): string {
  const id = JSON.stringify([event.kind, event.callSid, event.callState ?? '', handler]);
  return createHash('sha256').update(id).digest('hex').slice(0, 40);
}

function nameOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
