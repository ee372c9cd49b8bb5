import { validateSync } from 'class-validator';

/**
 * Validates `instance` and returns `path: message` lines. Only constraint messages are used, never
 * `error.value`, so a secret that fails a rule is not echoed.
 */
export function collectProblems(instance: object, prefix: string): string[] {
  const problems: string[] = [];
  for (const error of validateSync(instance, { forbidUnknownValues: false })) {
    const messages = Object.values(error.constraints ?? {});
    // Several constraints usually share one message (IsString + IsNotEmpty): print it once.
    for (const message of new Set(messages)) problems.push(`${prefix}${error.property}: ${message}`);
  }
  return problems;
}

/** Copies only own, listed keys: a hostile `__proto__` key can never reach the schema's prototype. */
export function pickOwn<T extends object>(
  target: T,
  source: Record<string, unknown>,
  keys: readonly string[],
): T {
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(source, key)) {
      Object.defineProperty(target, key, {
        value: source[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return target;
}
