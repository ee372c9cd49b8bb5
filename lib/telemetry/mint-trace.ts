import type { Link, Span, SpanContext } from '@opentelemetry/api';

/** An OpenTelemetry span holds at most 128 links by default; more callers add nothing a trace view shows. */
const MAX_LINKS = 128;

/**
 * The callers that waited on one mint in flight, as span links: the caller that started it and
 * every caller that joined it (single flight). The mint's spans link to each of them, so a trace of
 * a slow request leads to the mint it waited for, and the mint's trace to every request it held up.
 * A caller without an active span adds nothing; callers sharing one span count once.
 */
export class MintTrace {
  private readonly links: Link[] = [];
  private readonly seen = new Set<string>();
  private readonly spans = new Set<Span>();

  /** @internal */
  constructor(private readonly activeSpanContext: () => SpanContext | undefined) {}

  /** The calling context waits on this mint. */
  waitedOn(): void {
    const context = this.activeSpanContext();
    if (!context || this.seen.has(context.spanId) || this.links.length >= MAX_LINKS) return;
    this.seen.add(context.spanId);
    const link = { context };
    this.links.push(link);
    // A span of an SDK older than API 1.9 has no addLink: the link is lost, the caller's getToken() must not fail.
    for (const span of this.spans) (span as Partial<Span>).addLink?.(link);
  }

  /**
   * The links so far, for a span about to start.
   * @internal
   */
  current(): Link[] {
    return [...this.links];
  }

  /**
   * From now on, a new waiter is linked to `span` too, until `release`.
   * @internal
   */
  attach(span: Span): void {
    this.spans.add(span);
  }

  /** @internal */
  release(span: Span): void {
    this.spans.delete(span);
  }
}
