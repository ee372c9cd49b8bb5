/**
 * Jest `setupFilesAfterEnv`: records every log line of the test file (Nest loggers, console, stdout and
 * stderr, CaptureLogger, and exported OpenTelemetry metric and span data) and, after the file's last test, fails the file if any line holds a secret or
 * token known to a FakeExotelServer started in it, or one registered with `logGuard.watch()`.
 *
 * ESM Jest gives every test file its own module registry, and setup files share the test file's one: the
 * imports below are the very `@nestjs/common` and testing-kit instances the tests use, so patching them
 * here sees what the tests log. Only the process streams are shared across files (in-band runs), so they
 * are restored in afterAll.
 */
import { afterAll } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { NOOP_LOGGER } from '../../lib/options/noop-logger.js';
import { logGuard } from './log-guard-core.js';
// Exported OpenTelemetry metric and span data is checked like a log line.
import './log-guard-telemetry.js';

const LEVELS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;
type Method = (...args: unknown[]) => unknown;

/** Wraps `target[name]` so that every call is recorded and then delegated unchanged. */
function tap(target: object, name: string, source: string): () => void {
  const holder = target as Record<string, unknown>;
  const original = holder[name];
  if (typeof original !== 'function') return () => undefined;
  const hadOwn = Object.prototype.hasOwnProperty.call(target, name);
  holder[name] = function (this: unknown, ...args: unknown[]): unknown {
    logGuard.record(source, args);
    return (original as Method).apply(this, args);
  };
  return () => {
    if (hadOwn) holder[name] = original;
    else delete holder[name];
  };
}

for (const level of LEVELS) {
  tap(Logger.prototype, level, `Logger#${level}`);
  tap(Logger, level, `Logger.${level}`);
  tap(ConsoleLogger.prototype, level, `ConsoleLogger#${level}`);
}
// `logger: false` in a test silences the library, not the guard: what it would have logged is checked too.
for (const level of ['log', 'error', 'warn', 'debug', 'verbose'] as const)
  tap(NOOP_LOGGER, level, `silenced#${level}`);
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
  tap(console, level, `console.${level}`);
const restoreStreams = [tap(process.stdout, 'write', 'stdout'), tap(process.stderr, 'write', 'stderr')];

// Every fake started in this file contributes its customer/app secrets and every token it issued.
const start = FakeExotelServer.prototype.start;
FakeExotelServer.prototype.start = function (this: FakeExotelServer) {
  logGuard.watchSource(() => this.knownSecrets());
  return start.call(this);
};

// Declared before the test file loads, at the top level: it runs after every describe block's own
// afterAll (where the tests close their apps and fakes), so shutdown logging is included.
afterAll(() => {
  restoreStreams.forEach((restore) => restore());
  const report = logGuard.report();
  if (report) throw new Error(report);
});
