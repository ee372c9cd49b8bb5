import type { Attributes, Counter, Histogram, Span, Tracer } from '@opentelemetry/api';
import { ExotelAuthError, ExotelError, ExotelProtocolError } from '../errors/exotel.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import type { CredentialIdentity } from '../options/credential-identity.js';
import type { ResolvedTelemetryOptions } from '../options/resolved-options.js';
import { APP_NAME, KIND, OUTCOME } from './attributes.js';
import { MintTrace } from './mint-trace.js';
import { loadOpenTelemetry, type OpenTelemetryApi } from './open-telemetry.js';
import { type CredentialSource, TokenGauges } from './token-gauges.js';

/** Meter and tracer name. */
const TELEMETRY_SCOPE = 'nestjs-exotel-webrtc';

/** How a `POST /token` ended, as the `exotel.outcome` attribute says it. */
export type MintOutcome = 'success' | 'auth_error' | 'unavailable' | 'protocol_error';

/** What a mint exchange answered, as far as telemetry needs it. */
export interface MintReply {
  status?: number;
  requestId?: string;
}

/** Mint round trips take tens of milliseconds to the request timeout (10 s by default). */
const DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The outcome of a failed mint, by error class (anything untyped counts as unavailable, as the token service treats it). */
function mintOutcome(error: unknown): MintOutcome {
  if (error instanceof ExotelAuthError) return 'auth_error';
  if (error instanceof ExotelProtocolError) return 'protocol_error';
  return 'unavailable';
}

interface Instruments {
  api: OpenTelemetryApi;
  tracer: Tracer;
  mints: Counter;
  duration: Histogram;
  adoptions: Counter;
  unauthorizedRetries: Counter;
  breakerOpenings: Counter;
  gauges: TokenGauges;
}

/**
 * The library's OpenTelemetry metrics and mint spans. Without `@opentelemetry/api` installed every
 * method does nothing; with the API but no SDK registered, the API's own no-ops run. Attributes come
 * from a small fixed set (credential kind, outcome, state), so the number of series does not grow with
 * the number of apps; `telemetry.appNameAttribute` adds the app name, for a few apps. No attribute ever
 * holds an Id, a secret or a token. Nothing here runs when a cached token is served.
 */
export class ExotelTelemetry {
  /** Telemetry that records nothing. */
  static readonly none = new ExotelTelemetry(undefined, false);

  /** Attribute sets without an app name, by kind and outcome: a fixed set, built once. */
  private readonly fixed = new Map<string, Attributes>();

  private constructor(
    private readonly instruments: Instruments | undefined,
    private readonly appNames: boolean,
  ) {}

  /** Instruments on the providers given in the options, else on the global ones; none without the API. */
  static async create(options: ResolvedTelemetryOptions): Promise<ExotelTelemetry> {
    const api = await loadOpenTelemetry();
    if (!api) return ExotelTelemetry.none;
    const meterProvider = (options.meterProvider as OpenTelemetryApi['metrics'] | undefined) ?? api.metrics;
    const tracerProvider = (options.tracerProvider as OpenTelemetryApi['trace'] | undefined) ?? api.trace;
    const meter = meterProvider.getMeter(TELEMETRY_SCOPE);
    const instruments: Instruments = {
      api,
      tracer: tracerProvider.getTracer(TELEMETRY_SCOPE),
      mints: meter.createCounter('exotel.token.mints', {
        description: 'POST /token requests, by credential kind and outcome',
        unit: '{mint}',
      }),
      duration: meter.createHistogram('exotel.token.mint.duration', {
        description: 'Duration of POST /token exchanges',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      adoptions: meter.createCounter('exotel.token.adoptions', {
        description: 'Tokens adopted from the shared token store instead of minted',
        unit: '{adoption}',
      }),
      unauthorizedRetries: meter.createCounter('exotel.http.unauthorized_retries', {
        description: 'Downstream requests retried with a renewed token after a 401',
        unit: '{retry}',
      }),
      breakerOpenings: meter.createCounter('exotel.http.unauthorized_breaker.openings', {
        description: 'Times the 401 breaker stopped minting after 401s for its cool-down',
        unit: '{opening}',
      }),
      // Shared by every module instance on this meter, so that their gauges add up.
      gauges: TokenGauges.of(meter),
    };
    return new ExotelTelemetry(instruments, options.appNameAttribute);
  }

  /** An empty record of the callers that will wait on a mint; undefined without the API. */
  mintTrace(): MintTrace | undefined {
    const api = this.instruments?.api;
    if (!api) return undefined;
    return new MintTrace(() => {
      const context = api.trace.getSpanContext(api.context.active());
      return context && api.trace.isSpanContextValid(context) ? context : undefined;
    });
  }

  /**
   * Runs one `POST /token` exchange under an `exotel.token.mint` span (a root span, linked to the
   * callers in `trace`), and counts it with its duration and outcome. The host's HTTP instrumentation
   * makes its client span a child of this one.
   */
  async traceMint<T extends MintReply>(
    credential: CredentialIdentity,
    trace: MintTrace | undefined,
    exchange: () => Promise<T>,
  ): Promise<T> {
    const instruments = this.instruments;
    if (!instruments) return exchange();
    const { api, tracer } = instruments;
    const span = tracer.startSpan('exotel.token.mint', {
      kind: api.SpanKind.INTERNAL,
      root: true,
      attributes: { [KIND]: credential.entity, 'exotel.credential': credential.key },
      links: trace?.current(),
    });
    trace?.attach(span);
    const started = performance.now();
    try {
      const reply = await api.context.with(api.trace.setSpan(api.context.active(), span), exchange);
      this.endMint(span, credential, started, 'success', reply);
      return reply;
    } catch (error) {
      const typed = error instanceof ExotelError ? error : undefined;
      this.endMint(span, credential, started, mintOutcome(error), {
        status: typed?.httpStatus,
        requestId: typed?.requestId,
      });
      // `_OTHER`: OpenTelemetry's value for an error type the instrumentation does not define.
      span.setAttribute('error.type', typed?.name ?? '_OTHER');
      // ExotelError messages never hold a secret or a token; any other message is left out.
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: typed?.message });
      throw error;
    } finally {
      trace?.release(span);
      span.end();
    }
  }

  /** A token was adopted from the shared store. */
  countAdoption(credential: CredentialIdentity): void {
    this.instruments?.adoptions.add(1, this.attributes(credential));
  }

  /** A downstream request is retried with a renewed token after a 401. */
  countUnauthorizedRetry(entity: ExotelEntity, app: string | undefined): void {
    this.instruments?.unauthorizedRetries.add(1, this.attributes({ entity, app }));
  }

  /** The 401 breaker of a credential opened. */
  countBreakerOpening(entity: ExotelEntity, app: string | undefined): void {
    this.instruments?.breakerOpenings.add(1, this.attributes({ entity, app }));
  }

  /**
   * Reports `exotel.token.credentials` and `exotel.token.time_to_expiry.min` from `source` at every
   * collection. Returns the function that stops it (the module calls it on shutdown).
   */
  observe(source: CredentialSource): () => void {
    return this.instruments?.gauges.observe(source, this.appNames) ?? (() => undefined);
  }

  private endMint(
    span: Span,
    credential: CredentialIdentity,
    started: number,
    outcome: MintOutcome,
    reply: MintReply,
  ): void {
    const { mints, duration } = this.instruments!;
    const attributes = this.attributes(credential, outcome);
    mints.add(1, attributes);
    duration.record((performance.now() - started) / 1000, attributes);
    span.setAttribute(OUTCOME, outcome);
    if (reply.status !== undefined) span.setAttribute('http.response.status_code', reply.status);
    if (reply.requestId !== undefined) span.setAttribute('exotel.request_id', reply.requestId);
  }

  /**
   * The attributes of a data point: the credential kind, the outcome when given, and with
   * `appNameAttribute` the app's name. Without the app name they come from a fixed set, built once.
   */
  private attributes(
    credential: Pick<CredentialIdentity, 'entity' | 'app'>,
    outcome?: MintOutcome,
  ): Attributes {
    const { entity, app } = credential;
    const withOutcome = (attributes: Attributes): Attributes =>
      outcome === undefined ? attributes : { ...attributes, [OUTCOME]: outcome };
    if (this.appNames && app !== undefined) return withOutcome({ [KIND]: entity, [APP_NAME]: app });
    const key = `${entity}\n${outcome}`;
    let attributes = this.fixed.get(key);
    if (!attributes) this.fixed.set(key, (attributes = withOutcome({ [KIND]: entity })));
    return attributes;
  }
}
