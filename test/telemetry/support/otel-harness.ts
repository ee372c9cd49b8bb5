import { type Attributes, type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorage } from 'node:async_hooks';

/** A reader that collects only when a test asks (no timer). */
class ManualReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/**
 * A private MeterProvider and TracerProvider with in-memory export, passed to the module through its
 * `telemetry` option: tests never touch the global providers, so they cannot see each other's data.
 */
export class OtelHarness {
  private readonly reader: ManualReader;
  readonly meterProvider: MeterProvider;
  private readonly exporter = new InMemorySpanExporter();
  readonly tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.exporter)],
  });

  /** `delta`: each collection reports only what was recorded or observed since the previous one. */
  constructor({ delta = false } = {}) {
    this.reader = new ManualReader(
      delta ? { aggregationTemporalitySelector: () => AggregationTemporality.DELTA } : {},
    );
    this.meterProvider = new MeterProvider({ readers: [this.reader] });
  }

  /** Every metric collected now. */
  async metrics(): Promise<MetricData[]> {
    const { resourceMetrics, errors } = await this.reader.collect();
    if (errors.length) throw errors[0];
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }

  /** The data points of metric `name` collected now (none when it has not recorded anything). */
  async points(name: string): Promise<DataPoint<unknown>[]> {
    const metric = (await this.metrics()).find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  }

  /** The value of metric `name` at the point whose attributes are exactly `attributes` (undefined: no such point). */
  async value(name: string, attributes: Attributes): Promise<unknown> {
    const wanted = key(attributes);
    return (await this.points(name)).find((p) => key(p.attributes) === wanted)?.value;
  }

  /** `exotel.token.credentials` now, as `kind:state` to count; states no credential is in are left out. */
  async credentialStates(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const p of await this.points('exotel.token.credentials')) {
      if (p.value)
        counts[`${p.attributes['exotel.credential.kind']}:${p.attributes['exotel.token.state']}`] =
          p.value as number;
    }
    return counts;
  }

  /** Finished spans, optionally only those called `name`. */
  spans(name?: string): ReadableSpan[] {
    const all = this.exporter.getFinishedSpans();
    return name === undefined ? all : all.filter((span) => span.name === name);
  }

  async shutdown(): Promise<void> {
    await this.meterProvider.shutdown();
    await this.tracerProvider.shutdown();
  }
}

/** Attributes as a stable string: the same set gives the same key whatever the order of its keys. */
export function key(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The context manager an application registers (e.g. `@opentelemetry/context-async-hooks`), reduced
 * to what the tests need: the active context follows async calls, so a span can be active around a call.
 */
export class AsyncContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();

  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(context, () => fn.apply(thisArg, args));
  }

  bind<T>(_context: Context, target: T): T {
    return target;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.storage.disable();
    return this;
  }
}
