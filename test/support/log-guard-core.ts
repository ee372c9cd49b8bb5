import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

/** One leaked value: where, and a fingerprint of the value (never the value). */
export interface Leak {
  source: string;
  line: number;
  fingerprint: string;
  /** The line with every known secret replaced by its fingerprint, cut to 200 characters. */
  excerpt: string;
}

/** Shorter values would match by coincidence ('secret', 'nope'); tests use longer ones for anything real. */
const MIN_SECRET_LENGTH = 8;

export function fingerprintOf(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/** Renders a log argument the way a logger would print it: text as-is, objects both inspected and as JSON. */
export function render(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Uint8Array) return Buffer.from(part).toString('utf8');
  const views: string[] = [];
  try {
    views.push(inspect(part, { depth: 8, breakLength: Infinity, showHidden: false }));
  } catch {
    views.push(Object.prototype.toString.call(part));
  }
  try {
    const json = JSON.stringify(part);
    if (json !== undefined) views.push(json);
  } catch {
    // circular or BigInt: inspect above already covers it
  }
  if (part instanceof Error && part.stack) views.push(part.stack);
  return views.join(' ');
}

/**
 * Records every log line of a test file and checks them against every secret and token the tests used.
 * Sources of secrets are functions, read at check time, so tokens minted after a line was logged count.
 */
export class LogGuard {
  readonly lines: { source: string; text: string }[] = [];
  private readonly values = new Set<string>();
  private readonly sources = new Set<() => Iterable<string>>();

  record(source: string, parts: readonly unknown[]): void {
    this.lines.push({ source, text: parts.map(render).join(' ') });
  }

  /** Adds values to look for (a secret a test made up and never gave to a FakeExotelServer). */
  watch(...values: string[]): void {
    values.forEach((value) => this.values.add(value));
  }

  /** Adds a live source of secrets, e.g. `() => fake.knownSecrets()`. */
  watchSource(source: () => Iterable<string>): void {
    this.sources.add(source);
  }

  secrets(): string[] {
    const all = new Set(this.values);
    for (const source of this.sources) for (const value of source()) all.add(value);
    return [...all].filter((value) => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH);
  }

  leaks(): Leak[] {
    const secrets = this.secrets();
    const found: Leak[] = [];
    this.lines.forEach(({ source, text }, line) => {
      for (const secret of secrets) {
        if (text.includes(secret))
          found.push({ source, line, fingerprint: fingerprintOf(secret), excerpt: excerpt(text, secrets) });
      }
    });
    return found;
  }

  /** A failure message naming each leak by fingerprint; empty when there is none. */
  report(): string {
    const leaks = this.leaks();
    if (leaks.length === 0) return '';
    const rows = leaks
      .slice(0, 20)
      .map((l) => `  - ${l.source} line #${l.line} contains ${l.fingerprint}: ${l.excerpt}`);
    return `log guard: ${leaks.length} secret/token occurrence(s) in ${this.lines.length} log lines\n${rows.join('\n')}`;
  }
}

function excerpt(text: string, secrets: readonly string[]): string {
  let safe = text;
  for (const secret of secrets) safe = safe.split(secret).join(`<${fingerprintOf(secret)}>`);
  return JSON.stringify(safe.length > 200 ? `${safe.slice(0, 200)}...` : safe);
}

/** The guard of the current test file (each Jest test file has its own module registry, so its own guard). */
export const logGuard = new LogGuard();
