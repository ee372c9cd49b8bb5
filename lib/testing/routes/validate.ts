import { sendFailure } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';

/** A parsed JSON object body. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the body when it is a JSON object; otherwise answers 400 and returns undefined. */
export function requireJsonObject(ex: FakeExchange): JsonObject | undefined {
  if (ex.bodyNotJson) {
    sendFailure(ex, 400, 'Invalid request body: not valid JSON');
    return undefined;
  }
  if (!isJsonObject(ex.body)) {
    sendFailure(ex, 400, 'Invalid request body: expected a JSON object');
    return undefined;
  }
  return ex.body;
}

/** The first of `fields` that is not a non-empty string, if any. */
export function firstBadString(body: JsonObject, fields: readonly string[]): string | undefined {
  return fields.find((field) => typeof body[field] !== 'string' || body[field] === '');
}

/** Answers 400 naming the first missing/non-string/empty field; true when all are fine. */
export function requireStrings(ex: FakeExchange, body: JsonObject, fields: readonly string[]): boolean {
  const bad = firstBadString(body, fields);
  if (bad === undefined) return true;
  sendFailure(ex, 400, `Invalid request: ${bad} is required and must be a non-empty string`);
  return false;
}

/** Answers 400 when an optional field is present with the wrong type; true when fine. */
export function optionalOfType(
  ex: FakeExchange,
  body: JsonObject,
  field: string,
  type: 'string' | 'boolean',
): boolean {
  if (body[field] === undefined || typeof body[field] === type) return true;
  sendFailure(ex, 400, `Invalid request: ${field} must be a ${type}`);
  return false;
}

/** Parses a non-negative integer query parameter; undefined (after a 400) when it is not one. */
export function queryInt(ex: FakeExchange, name: string, fallback: number, min: number): number | undefined {
  const raw = ex.query[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    sendFailure(ex, 400, `Invalid request: ${name} must be an integer >= ${min}`);
    return undefined;
  }
  return value;
}
