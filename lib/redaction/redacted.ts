import { inspect } from 'node:util';
import { fingerprint } from './fingerprint.js';

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
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
