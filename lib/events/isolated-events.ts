import type { LoggerService } from '@nestjs/common';
import { Observable, type Observer, type Operator, type Subject } from 'rxjs';

type Handlers<T> = Partial<Observer<T>> | ((value: T) => void) | null | undefined;

/**
 * An `events$` as handed to the host: every subscriber's handlers run isolated, here and in anything
 * piped from it. A handler that throws is logged (its error's name only) and the event still reaches
 * the other subscribers; nothing is rethrown. Left to rxjs, a throwing subscriber is reported with
 * `setTimeout(() => { throw error })`, which exits the process, and under rxjs'
 * `useDeprecatedSynchronousErrorHandling` it would throw into the mint that emitted the event.
 */
export function isolatedEvents<T>(source: Subject<T>, logger: LoggerService, label: string): Observable<T> {
  return new IsolatedObservable<T>(logger, label, (subscriber) => source.subscribe(subscriber));
}

class IsolatedObservable<T> extends Observable<T> {
  constructor(
    private readonly logger: LoggerService,
    private readonly label: string,
    subscribe?: ConstructorParameters<typeof Observable<T>>[0],
  ) {
    super(subscribe);
  }

  // `pipe()` builds on `lift`: the piped observable is isolated too, so is its subscriber.
  override lift<R>(operator?: Operator<T, R>): Observable<R> {
    const lifted = new IsolatedObservable<R>(this.logger, this.label);
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
        this.logger.warn(`A ${this.label} subscriber threw (${name}) in ${kind}; ignored`);
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
