import type { Attributes, BatchObservableResult, Meter, ObservableGauge } from '@opentelemetry/api';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import type { CredentialIdentity } from '../options/credential-identity.js';
import { APP_NAME, KIND, KINDS, STATE } from './attributes.js';

/** One managed credential as the gauges read it (a credential slot fits). */
export interface ObservedCredential {
  readonly config: CredentialIdentity;
  readonly held?: { readonly expiresAt: number };
  state(now: number): string;
}

/** What the gauges observe: every state a credential can be in (reported as 0 when none is), and the credentials. */
export interface CredentialSource {
  readonly states: readonly string[];
  credentials(): Iterable<ObservedCredential>;
}

interface Observer {
  readonly source: CredentialSource;
  /** One series per credential, named by its app. */
  readonly appNames: boolean;
}

/** A data point being added up over every module instance on the meter. */
interface Point {
  readonly attributes: Attributes;
  value: number;
}

/**
 * `exotel.token.credentials` and `exotel.token.time_to_expiry.min` of one Meter. Every module instance
 * on that meter (several Nest apps or modules in one process sharing the global MeterProvider) reports
 * through the single callback here. A gauge keeps one value per attribute set per collection, so with
 * a callback per instance the last one would overwrite the others instead of adding to them; here
 * counts are summed over the instances and the soonest expiry is the minimum of all.
 */
export class TokenGauges {
  private static readonly byMeter = new WeakMap<Meter, TokenGauges>();

  private readonly observers = new Set<Observer>();
  private readonly credentials: ObservableGauge;
  private readonly timeToExpiry: ObservableGauge;
  private readonly instruments: ObservableGauge[];
  private readonly callback = (result: BatchObservableResult): void => this.report(result);

  private constructor(private readonly meter: Meter) {
    this.credentials = meter.createObservableGauge('exotel.token.credentials', {
      description: 'Managed credentials, by token state',
      unit: '{credential}',
    });
    this.timeToExpiry = meter.createObservableGauge('exotel.token.time_to_expiry.min', {
      description: 'Time left until the soonest expiry among held tokens (negative once it passed)',
      unit: 's',
    });
    this.instruments = [this.credentials, this.timeToExpiry];
  }

  /**
   * The gauges of `meter`, created on its first use.
   * @internal Keeps `@opentelemetry/api` out of the published types: it is an optional peer.
   */
  static of(meter: Meter): TokenGauges {
    let gauges = TokenGauges.byMeter.get(meter);
    if (!gauges) TokenGauges.byMeter.set(meter, (gauges = new TokenGauges(meter)));
    return gauges;
  }

  /**
   * Reports the credentials of `source` at every collection, until the returned function is called;
   * the meter's callback is removed with the last source.
   */
  observe(source: CredentialSource, appNames: boolean): () => void {
    const observer: Observer = { source, appNames };
    if (this.observers.size === 0) this.meter.addBatchObservableCallback(this.callback, this.instruments);
    this.observers.add(observer);
    return () => {
      if (this.observers.delete(observer) && this.observers.size === 0)
        this.meter.removeBatchObservableCallback(this.callback, this.instruments);
    };
  }

  private report(result: BatchObservableResult): void {
    const now = Date.now();
    const counts = new Map<string, Point>();
    const soonest = new Map<string, Point>();
    for (const { source, appNames } of this.observers) {
      // Series of a fixed set: every kind and state, as 0 when no credential is in it.
      if (!appNames) for (const entity of KINDS) zeroStates(counts, source, entity, undefined);
      for (const credential of source.credentials()) {
        const { entity, app } = credential.config;
        const name = appNames ? app : undefined;
        if (appNames) zeroStates(counts, source, entity, name);
        point(counts, entity, name, credential.state(now), 0).value++;
        const expiresAt = credential.held?.expiresAt;
        if (expiresAt === undefined) continue;
        const expiry = point(soonest, entity, name, undefined, expiresAt);
        expiry.value = Math.min(expiry.value, expiresAt);
      }
    }
    for (const { attributes, value } of counts.values()) result.observe(this.credentials, value, attributes);
    for (const { attributes, value } of soonest.values())
      result.observe(this.timeToExpiry, (value - now) / 1000, attributes);
  }
}

function zeroStates(
  counts: Map<string, Point>,
  source: CredentialSource,
  entity: ExotelEntity,
  app: string | undefined,
): void {
  for (const state of source.states) point(counts, entity, app, state, 0);
}

/** The point of `(entity, app, state)` in `points`; a new one starts at `initial`. */
function point(
  points: Map<string, Point>,
  entity: ExotelEntity,
  app: string | undefined,
  state: string | undefined,
  initial: number,
): Point {
  const key = `${entity}\n${state ?? ''}\n${app === undefined ? '' : `=${app}`}`;
  let found = points.get(key);
  if (!found) {
    const attributes: Attributes = { [KIND]: entity };
    if (app !== undefined) attributes[APP_NAME] = app;
    if (state !== undefined) attributes[STATE] = state;
    points.set(key, (found = { attributes, value: initial }));
  }
  return found;
}
