import type { LoggerService } from '@nestjs/common';
import { Observable, type Observer, type Operator, type Subject } from 'rxjs';
import type { ExotelError } from '../errors/exotel.error.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { RefreshPolicy } from '../scheduling/refresh-policy.js';
import type { CredentialSlot } from './credential-slot.js';
import type { TokenEvent, TokenEventType } from './token-event.interface.js';

const iso = (ms?: number): string => (ms === undefined ? '-' : new Date(ms).toISOString());

/**
 * Turns token life-cycle facts into `events$` items and log lines. Tokens are named by fingerprint
 * only; error text comes from ExotelError messages, which never hold secrets.
 */
export class TokenEventLog {
  constructor(
    private readonly options: ResolvedExotelOptions,
    private readonly policy: RefreshPolicy,
    private readonly subject: Subject<TokenEvent>,
  ) {}

  event(slot: CredentialSlot, type: TokenEventType, extra: Partial<TokenEvent> = {}): void {
    const { key, entity, app, label } = slot.config;
    this.subject.next({ type, credential: key, entity, app, at: Date.now(), ...extra });
    const logger = this.options.logger;
    const fp = extra.fingerprint ? ` ${extra.fingerprint}` : '';
    switch (type) {
      case 'minted':
      case 'refreshed':
      case 'adopted':
        logger.log(
          `Token ${type} for ${label}${fp} (generation ${extra.generation}, expires ${iso(extra.expiresAt)}, refresh at ${iso(extra.refreshAt)})`,
        );
        break;
      case 'same_token':
        logger.warn(
          `Exotel returned the token already held for ${label}; keeping its expiry ${iso(extra.expiresAt)}, next attempt ${iso(extra.refreshAt)}`,
        );
        break;
      case 'app_added':
        logger.log(`Managing ${label} from now on`);
        break;
      case 'app_removed':
        logger.log(`No longer managing ${label}; its token was dropped`);
        break;
      case 'credentials_rotated':
        logger.log(`Credentials of ${label} rotated; the held token is served until the next mint`);
        break;
      case 'expired':
        logger.warn(`Token for ${label} expired at ${iso(extra.expiresAt)}`);
        break;
      default:
        logger.log(`Token for ${label} ${type}${fp}`);
    }
  }

  /** A failed mint: `refresh_failed` event, and a log level that rises as the held token runs out. */
  failure(slot: CredentialSlot, error: ExotelError, now: number): void {
    this.subject.next({
      type: 'refresh_failed',
      credential: slot.config.key,
      entity: slot.config.entity,
      app: slot.config.app,
      at: now,
      reason: error.message,
      error: {
        name: error.name,
        message: error.message,
        httpStatus: error.httpStatus,
        requestId: error.requestId,
      },
      nextAttemptAt: slot.nextAttemptAt,
      consecutiveFailures: slot.failures,
      expiresAt: slot.held?.expiresAt,
    });
    const valid = slot.valid(now);
    const line = `Token refresh for ${slot.config.label} failed (${slot.failures} in a row): ${error.message}; next attempt ${iso(slot.nextAttemptAt)}, ${
      valid ? `current token valid until ${iso(valid.expiresAt)}` : 'no valid token held'
    }`;
    if (this.policy.isCritical(valid?.expiresAt, now)) this.options.logger.error(line);
    else this.options.logger.warn(line);
  }
}

type Handlers<T> = Partial<Observer<T>> | ((value: T) => void) | null | undefined;

/**
 * `events$` as handed to the host: every subscriber's handlers run isolated, here and in anything
 * piped from it. A handler that throws is logged (its error's name only) and the event still reaches
 * the other subscribers; nothing is rethrown. Left to rxjs, a throwing subscriber is reported with
 * `setTimeout(() => { throw error })`, which exits the process, and under rxjs'
 * `useDeprecatedSynchronousErrorHandling` it would throw into the mint that emitted the event.
 */
export function isolatedEvents<T>(source: Subject<T>, logger: LoggerService): Observable<T> {
  return new IsolatedObservable<T>(logger, (subscriber) => source.subscribe(subscriber));
}

class IsolatedObservable<T> extends Observable<T> {
  constructor(
    private readonly logger: LoggerService,
    subscribe?: ConstructorParameters<typeof Observable<T>>[0],
  ) {
    super(subscribe);
  }

  // `pipe()` builds on `lift`: the piped observable is isolated too, so is its subscriber.
  override lift<R>(operator?: Operator<T, R>): Observable<R> {
    const lifted = new IsolatedObservable<R>(this.logger);
    lifted.source = this;
    lifted.operator = operator;
    return lifted;
  }

  override subscribe(
    observerOrNext?: Handlers<T>,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): ReturnType<Observable<T>['subscribe']> {
    // A Subscriber is rxjs' own plumbing (an operator, firstValueFrom): its handlers do not throw.
    if (isSubscriber(observerOrNext)) return super.subscribe(observerOrNext);
    const handlers: Partial<Observer<T>> =
      typeof observerOrNext === 'function'
        ? { next: observerOrNext, error: error ?? undefined, complete: complete ?? undefined }
        : (observerOrNext ?? {});
    return super.subscribe({
      next: this.guard(handlers, 'next'),
      error: this.guard(handlers, 'error'),
      complete: this.guard(handlers, 'complete'),
    });
  }

  private guard<K extends keyof Observer<T>>(handlers: Partial<Observer<T>>, kind: K): Observer<T>[K] {
    return ((value?: unknown) => {
      const handler = handlers[kind] as ((value?: unknown) => void) | undefined;
      if (typeof handler !== 'function') return;
      try {
        handler.call(handlers, value);
      } catch (thrown) {
        const name = thrown instanceof Error ? thrown.name : typeof thrown;
        this.logger.warn(`A TokenService.events$ subscriber threw (${name}) in ${kind}; ignored`);
      }
    }) as Observer<T>[K];
  }
}

/** rxjs' own test (`instanceof Subscriber`, or an observer that is also a subscription), duck-typed across rxjs copies. */
function isSubscriber(value: unknown): value is Observer<unknown> & { unsubscribe(): void } {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.next === 'function' &&
    typeof v.error === 'function' &&
    typeof v.complete === 'function' &&
    typeof v.unsubscribe === 'function' &&
    typeof v.add === 'function' &&
    typeof v.remove === 'function'
  );
}
