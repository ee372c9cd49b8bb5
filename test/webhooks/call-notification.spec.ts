import { describe, expect, it } from '@jest/globals';
import { MemoryCallDedupe, parseCallNotification, type ExotelCallEvent } from 'nestjs-exotel-webrtc/webhooks';
import { notification } from './webhook-app.js';

const parse = (body: unknown): ExotelCallEvent => {
  const parsed = parseCallNotification('callback', body);
  if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
  return parsed.event;
};

describe('parseCallNotification', () => {
  it('turns "" and null into undefined, numbers into numbers and timestamps into Dates', () => {
    const event = parse(
      notification({ TotalDuration: '', CallRecordings: null, EndTime: '', TicketId: '', CallDetail: null }),
    );
    expect(event.totalDuration).toBeUndefined();
    expect(event.callRecordings).toBeUndefined();
    expect(event.endTime).toBeUndefined();
    expect(event.ticketId).toBeUndefined();
    expect(event.callDetail).toBeUndefined();
    expect(event.startTime).toEqual(new Date('2026-01-05T04:30:00.000Z'));
    expect(event.kind).toBe('callback');
  });

  it('reads TotalDuration as a number or a numeric string', () => {
    expect(parse(notification({ TotalDuration: 0 })).totalDuration).toBe(0);
    expect(parse(notification({ TotalDuration: 37 })).totalDuration).toBe(37);
    expect(parse(notification({ TotalDuration: '125' })).totalDuration).toBe(125);
    expect(parse(notification({ TotalDuration: ' 12.5 ' })).totalDuration).toBe(12.5);
  });

  it('keeps an unreadable timestamp in raw only, and every field (unknown ones too) in raw', () => {
    const event = parse(notification({ UpdatedAt: 'yesterday-ish', Extra: { a: 1 } }));
    expect(event.updatedAt).toBeUndefined();
    expect(event.raw.UpdatedAt).toBe('yesterday-ish');
    expect(event.raw.Extra).toEqual({ a: 1 });
    expect(Object.isFrozen(event.raw)).toBe(true);
  });

  it('lists every problem by field, never by value', () => {
    const parsed = parseCallNotification(
      'popup',
      notification({ CallSid: 42, CallState: 'ringing', TotalDuration: -3, ToNumber: ['+919999999999'] }),
    );
    expect('problems' in parsed && parsed.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CallSid',
      'CallState',
      'ToNumber',
      'TotalDuration',
    ]);
    expect(JSON.stringify(parsed)).not.toMatch(/ringing|9999/);
    expect(parseCallNotification('popup', null)).toEqual({ problems: ['body: must be a JSON object'] });
  });

  it('accepts nesting up to 32 levels below the body and refuses deeper, without recursing', () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = { inner: value };
      return value;
    };
    expect(parse(notification({ CallDetail: nested(32) })).callDetail).toBeDefined();
    expect(parseCallNotification('popup', notification({ CallDetail: nested(33) }))).toEqual({
      problems: ['body: nested deeper than 32 levels'],
    });
    expect(parseCallNotification('popup', notification({ CallDetail: nested(100_000) }))).toEqual({
      problems: ['body: nested deeper than 32 levels'],
    });
  });

  it('ignores a __proto__ key', () => {
    const body = JSON.parse(`{"CallSid": "abc", "__proto__": {"polluted": true}}`) as unknown;
    const event = parse(body);
    expect(event.callSid).toBe('abc');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('MemoryCallDedupe', () => {
  it('gives a key to one claimant until it is released or expires', async () => {
    const dedupe = new MemoryCallDedupe();
    const mark = await dedupe.claim('k', 60_000);
    expect(mark).toBeDefined();
    expect(await dedupe.claim('k', 60_000)).toBeUndefined();
    await mark!.release();
    expect(await dedupe.claim('k', 60_000)).toBeDefined();
    expect(await dedupe.claim('short', -1)).toBeDefined();
    expect(await dedupe.claim('short', 60_000)).toBeDefined(); // the first mark had expired
  });

  it('never holds more than maxMarks, dropping the oldest', async () => {
    const dedupe = new MemoryCallDedupe(100);
    for (let i = 0; i < 1_000; i++) await dedupe.claim(`k${i}`, 60_000);
    expect(dedupe.size).toBe(100);
    expect(await dedupe.claim('k999', 60_000)).toBeUndefined();
    expect(await dedupe.claim('k0', 60_000)).toBeDefined();
  });

  it('a stale mark released after its key was claimed again leaves the new claim alone', async () => {
    const dedupe = new MemoryCallDedupe();
    const stale = await dedupe.claim('k', -1);
    const fresh = await dedupe.claim('k', 60_000);
    await stale!.release();
    expect(fresh).toBeDefined();
    expect(await dedupe.claim('k', 60_000)).toBeUndefined();
  });
});
