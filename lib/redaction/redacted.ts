import { inspect } from 'node:util';
import { fingerprint } from './fingerprint.js';

/** What replaces a secret or a token in anything printed. */
export const REDACTED = '[redacted]';

const values = new WeakMap<Redacted, string>();

/**
 * Holds a secret or a token so that it cannot be printed by accident: `String()`, `JSON.stringify`
 * and `util.inspect` all show a placeholder. Only `reveal()` returns the value, and the value lives
 * in a WeakMap rather than on the object, so no property walk (loggers, test snapshots) finds it.
 */
export class Redacted {
  constructor(value: string) {
    values.set(this, value);
  }

  /** The wrapped value; call it only at the point where the value goes on the wire. */
  reveal(): string {
    return values.get(this) as string;
  }

  /** Short SHA-256 prefix that identifies the value in logs. */
  get fingerprint(): string {
    return fingerprint(this.reveal());
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
