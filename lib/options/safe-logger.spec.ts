import { describe, expect, it, jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { oneLine, safeLogger } from './safe-logger.js';

describe('safeLogger', () => {
  it('swallows a throwing method, and a rejected promise gets a handler', () => {
    let handled = 0;
    const rejected = {
      then: (_ok: unknown, onError?: unknown) => void (typeof onError === 'function' && handled++),
    };
    const host: LoggerService = {
      log: () => {
        throw new Error('boom');
      },
      warn: () => rejected,
      error: () => undefined,
    };
    const safe = safeLogger(host);
    expect(() => safe.log('a')).not.toThrow();
    expect(() => safe.warn('b')).not.toThrow();
    expect(handled).toBe(1);
    // Optional levels the host lacks are no-ops, not TypeErrors.
    expect(() => safe.debug?.('c')).not.toThrow();
    expect(() => safe.fatal?.('d')).not.toThrow();
  });

  it('looks the method up at each call, with the host as `this`, text on one line', () => {
    const lines: string[] = [];
    const host = {
      prefix: '>',
      log(this: { prefix: string }, message: string, context?: string) {
        lines.push(`${this.prefix}${message}|${context}`);
      },
      warn: () => undefined,
      error: () => undefined,
    };
    const safe = safeLogger(host);
    safe.log('a\r\nb', 'Ctx\n');
    host.log = jest.fn() as never;
    safe.log('later');
    expect(lines).toEqual(['>a\\r\\nb|Ctx\\n']);
    expect(host.log).toHaveBeenCalledWith('later');
  });

  it('escapes every character a log viewer could break a line on', () => {
    expect(oneLine('a\u0000b\u001bc\u0085d\u2028e\u2029f\tg')).toBe(
      'a\\x00b\\x1bc\\x85d\\u2028e\\u2029f\\tg',
    );
    expect(oneLine('plain text, ünïcode ✓')).toBe('plain text, ünïcode ✓');
    const object = { a: 1 };
    expect(oneLine(object)).toBe(object);
  });
});
