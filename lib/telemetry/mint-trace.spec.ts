import { describe, expect, it } from '@jest/globals';
import type { Link, Span, SpanContext } from '@opentelemetry/api';
import { MintTrace } from './mint-trace.js';

const contextOf = (n: number): SpanContext => ({
  traceId: n.toString(16).padStart(32, '0'),
  spanId: n.toString(16).padStart(16, '0'),
  traceFlags: 1,
});

/** A trace whose "active span" is whatever the test sets. */
function traceWith(): { trace: MintTrace; activate: (n: number | undefined) => void } {
  let active: SpanContext | undefined;
  return {
    trace: new MintTrace(() => active),
    activate: (n) => (active = n === undefined ? undefined : contextOf(n)),
  };
}

describe('MintTrace', () => {
  it('links each waiting span once, and none for a caller without a span', () => {
    const { trace, activate } = traceWith();
    activate(undefined);
    trace.waitedOn();
    activate(1);
    trace.waitedOn();
    trace.waitedOn();
    activate(2);
    trace.waitedOn();
    expect(trace.current().map((l) => l.context.spanId)).toEqual([contextOf(1).spanId, contextOf(2).spanId]);
  });

  it('keeps at most 128 links, however many callers wait', () => {
    const { trace, activate } = traceWith();
    for (let i = 1; i <= 10_000; i++) {
      activate(i);
      trace.waitedOn();
    }
    expect(trace.current()).toHaveLength(128);
  });

  it('adds a caller that joins after the span started to that span, until it is released', () => {
    const { trace, activate } = traceWith();
    const added: Link[] = [];
    const span = { addLink: (link: Link) => added.push(link) } as unknown as Span;
    trace.attach(span);
    activate(7);
    trace.waitedOn();
    trace.release(span);
    activate(8);
    trace.waitedOn();
    expect(added.map((l) => l.context.spanId)).toEqual([contextOf(7).spanId]);
    expect(trace.current()).toHaveLength(2);
  });

  it('a joining caller does not fail on a span without addLink (an SDK older than API 1.9)', () => {
    const { trace, activate } = traceWith();
    trace.attach({} as Span);
    activate(9);
    expect(() => trace.waitedOn()).not.toThrow();
    expect(trace.current().map((l) => l.context.spanId)).toEqual([contextOf(9).spanId]);
  });
});
