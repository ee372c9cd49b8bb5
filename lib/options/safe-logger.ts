import type { LoggerService } from '@nestjs/common';

const LEVELS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;
type Level = (typeof LEVELS)[number];
type Method = (message: unknown, ...rest: unknown[]) => unknown;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything a log viewer may
// treat as the end of a line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/**
 * The host's logger as the library calls it. Logging never changes an outcome: a method that throws
 * (or returns a promise that rejects) is ignored, so the step after a log call always runs (a failed
 * mint is logged before its retry is planned). Every text argument goes out as one line, control
 * characters escaped, so vendor or caller text quoted in a message cannot forge a log line. The host's
 * method is looked up at each call, so a logger patched later (a test spy) is still the one called.
 */
export function safeLogger(target: LoggerService): LoggerService {
  const safe: Partial<Record<Level, Method>> = {};
  for (const level of LEVELS) {
    safe[level] = (message: unknown, ...rest: unknown[]): void => {
      try {
        const method = (target as Partial<Record<Level, unknown>>)[level];
        if (typeof method !== 'function') return;
        const result: unknown = (method as Method).call(target, oneLine(message), ...rest.map(oneLine));
        if (isThenable(result)) result.then(undefined, ignore);
      } catch {
        // A logger's own failure is the host's to notice; it must not become the library's.
      }
    };
  }
  return Object.freeze(safe) as LoggerService;
}

/** `text` with every line-breaking character escaped (`\n`, `\r`, `\t`, else `\xNN` / `\uNNNN`). */
export function oneLine<T>(text: T): T | string {
  if (typeof text !== 'string') return text;
  return text.replace(LINE_BREAKERS, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
    );
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const ignore = (): undefined => undefined;
