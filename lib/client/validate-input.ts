import { validateSync } from 'class-validator';
import { ExotelRequestError } from '../errors/exotel.error.js';

type Dto<T> = new () => T;

// Copying these would change the DTO's prototype or constructor instead of setting a field.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates one input object against a DTO class and returns the DTO holding only its declared fields
 * (anything else is dropped, so nothing undocumented is sent). Throws `ExotelRequestError` listing every
 * bad field by path; values are never quoted, since some fields are credentials.
 */
export function validateInput<T extends object>(dto: Dto<T>, input: unknown, what: string): T {
  const problems: string[] = [];
  const value = checkObject(dto, input, '', problems);
  if (problems.length) throw invalid(what, problems);
  return value as T;
}

/** Like {@link validateInput} for a body that must be a non-empty array of `dto`. */
export function validateInputList<T extends object>(dto: Dto<T>, input: unknown, what: string): T[] {
  if (!Array.isArray(input) || input.length === 0) throw invalid(what, ['body: must be a non-empty array']);
  const problems: string[] = [];
  const values = input.map((item, index) => checkObject(dto, item, `[${index}].`, problems));
  if (problems.length) throw invalid(what, problems);
  return values as T[];
}

/** Refuses an empty or non-string argument (an id or key sent as a query parameter) before anything is sent. */
export function requireText(value: unknown, name: string, what: string): asserts value is string {
  if (typeof value === 'string' && value.trim() !== '') return;
  throw invalid(what, [`${name}: is required and must be a non-empty string`]);
}

function checkObject<T extends object>(
  dto: Dto<T>,
  input: unknown,
  prefix: string,
  problems: string[],
): T | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    problems.push(`${prefix ? prefix.slice(0, -1) : 'body'}: must be an object`);
    return undefined;
  }
  const instance = new dto();
  for (const key of Object.keys(input)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const field = (input as Record<string, unknown>)[key];
    Object.defineProperty(instance, key, {
      value: field,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  for (const error of validateSync(instance, { whitelist: true, forbidUnknownValues: false })) {
    for (const message of new Set(Object.values(error.constraints ?? {}))) {
      problems.push(`${prefix}${error.property}: ${message}`);
    }
  }
  return instance;
}

function invalid(what: string, problems: string[]): ExotelRequestError {
  const error = new ExotelRequestError(
    `${what}: invalid input, nothing was sent:\n  - ${problems.join('\n  - ')}`,
  );
  error.problems = problems;
  return error;
}
