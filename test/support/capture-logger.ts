import type { LoggerService } from '@nestjs/common';
import { logGuard } from './log-guard-core.js';

/** A LoggerService that keeps every line, so tests can assert on logs and scan them for secrets. */
export class CaptureLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];

  private push(level: string, message: unknown, rest: unknown[]): void {
    // The whole-suite log guard scans these lines too (a LoggerService never reaches Logger or stdout).
    logGuard.record(`CaptureLogger#${level}`, [message, ...rest]);
    this.lines.push({
      level,
      text: [message, ...rest].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '),
    });
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.push('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.push('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.push('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.push('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.push('verbose', message, rest);
  }

  text(): string {
    return this.lines.map((l) => `${l.level} ${l.text}`).join('\n');
  }

  at(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.text);
  }
}
