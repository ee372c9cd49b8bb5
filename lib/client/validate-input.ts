import { validateSync } from 'class-validator';
import { ExotelRequestError } from '../errors/exotel.error.js';
import { printableName } from '../options/credential-identity.js';
import type { ExotelCall } from './exotel-caller.js';

type Dto<T> = new () => T;

// Copying these would change the DTO's prototype or constructor instead of setting a field.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Longest id, key or name sent to Exotel (user ids, account sids, setting keys, numbers): far above any
 * real one, small enough that a runaway value is refused here rather than sent.
 */
export const MAX_ID_LENGTH = 256;

/** What an unreadable input is told; the thrown value is not quoted (it may quote the input). */
const UNREADABLE = 'could not be read (a getter or a Proxy trap threw)';
const ILL_FORMED = 'must be valid Unicode text (it holds a lone surrogate, which cannot be encoded)';

/**
 * Validates one input object against a DTO class and returns the DTO holding only its declared fields
 * (anything else is dropped, so nothing undocumented is sent). Throws `ExotelRequestError` listing every
 * bad field by path; values are never quoted, since some fields are credentials. Each field is read
 * once: the DTO holds a snapshot, so what was validated is what is sent, whatever a getter or a Proxy
 * would answer next time.
 */
export function validateInput<T extends object>(dto: Dto<T>, input: unknown, what: string): T {
  const problems: string[] = [];
  const value = checkObject(dto, input, '', problems);
  if (problems.length) throw invalid(what, problems);
  return value as T;
}

/** Like {@link validateInput} for a body that must be a non-empty array of `dto`. */
export function validateInputList<T extends object>(dto: Dto<T>, input: unknown, what: string): T[] {
  let items: unknown[];
  try {
    if (!Array.isArray(input) || input.length === 0) throw invalid(what, ['body: must be a non-empty array']);
    items = Array.from(input as unknown[]);
  } catch (error) {
    if (error instanceof ExotelRequestError) throw error;
    throw invalid(what, [`body: ${UNREADABLE}`]);
  }
  const problems: string[] = [];
  const values = items.map((item, index) => checkObject(dto, item, `[${index}].`, problems));
  if (problems.length) throw invalid(what, problems);
  return values as T[];
}

/**
 * Refuses an id or key sent as a query parameter before anything is sent: it must be a non-empty
 * string of valid Unicode, at most {@link MAX_ID_LENGTH} characters.
 */
export function requireId(value: unknown, name: string, what: string): asserts value is string {
  const problem =
    typeof value !== 'string' || value.trim() === ''
      ? 'is required and must be a non-empty string'
      : value.length > MAX_ID_LENGTH
        ? `must be at most ${MAX_ID_LENGTH} characters`
        : textProblem(value);
  if (problem) throw invalid(what, [`${name}: ${problem}`]);
}

/**
 * Checks a `client.request()` call and returns a snapshot of it (each field read once, the body
 * round-tripped through JSON), so that nothing read later can differ from what was checked. The path
 * must be relative to baseUrl: `request()` never sends anywhere else, whatever axios would make of an
 * absolute or protocol-relative URL.
 */
export function validateCall(call: unknown): ExotelCall {
  const what = 'client.request()';
  const problems: string[] = [];
  let snapshot: Record<string, unknown>;
  try {
    if (call === null || typeof call !== 'object') throw invalid(what, ['call: must be an object']);
    const source = call as Record<string, unknown>;
    snapshot = {};
    for (const key of ['method', 'path', 'params', 'body', 'entity', 'app', 'allowEmptyData'])
      snapshot[key] = source[key];
  } catch (error) {
    if (error instanceof ExotelRequestError) throw error;
    throw invalid(what, [`call: ${UNREADABLE}`]);
  }
  const { method, path, params, body, entity, app, allowEmptyData } = snapshot;
  if (typeof method !== 'string' || !METHODS.has(method))
    problems.push("method: must be 'GET', 'POST', 'PUT' or 'DELETE'");
  const pathProblem = relativePathProblem(path);
  if (pathProblem) problems.push(`path: ${pathProblem}`);
  if (entity !== 'customer' && entity !== 'app') problems.push("entity: must be 'customer' or 'app'");
  if (app !== undefined && typeof app !== 'string') problems.push('app: must be a string');
  const query = params === undefined ? undefined : snapshotParams(params, problems);
  const json = body === undefined ? undefined : snapshotBody(body, problems);
  if (problems.length) throw invalid(what, problems);
  return {
    method: method as ExotelCall['method'],
    path: path as string,
    params: query,
    body: json,
    entity: entity as ExotelCall['entity'],
    app: app as string | undefined,
    allowEmptyData: allowEmptyData === true,
  };
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

/** Why `path` is not a path relative to baseUrl (`/usermapping`), or undefined when it is one. */
function relativePathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/'))
    return "must be a path relative to baseUrl, starting with '/' (absolute URLs are refused)";
  // `//host/x` is a URL to another host for every URL parser, and `\` counts as `/` in WHATWG URLs.
  if (path.startsWith('//') || path.includes('\\'))
    return 'must be a path relative to baseUrl (a protocol-relative URL is refused)';
  // Visible ASCII, or anything from U+00A0 up (percent-encoded by the URL parser): no space, no control.
  if (/[^\x21-\x7e\u00a0-\uffff]/.test(path)) return 'must not contain spaces or control characters';
  return textProblem(path);
}

function snapshotParams(params: unknown, problems: string[]): Record<string, string | number> | undefined {
  try {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      problems.push('params: must be an object of strings and numbers');
      return undefined;
    }
    const out: Record<string, string | number> = {};
    for (const key of Object.keys(params)) {
      const value = (params as Record<string, unknown>)[key];
      if (UNSAFE_KEYS.has(key) || textProblem(key)) {
        problems.push('params: a key is not a usable name');
      } else if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string') {
        problems.push(`params.${printableName(key)}: must be a string or a finite number`);
      } else if (typeof value === 'string' && textProblem(value)) {
        problems.push(`params.${printableName(key)}: ${ILL_FORMED}`);
      } else {
        out[key] = value as string | number;
      }
    }
    return out;
  } catch {
    problems.push(`params: ${UNREADABLE}`);
    return undefined;
  }
}

/** The body as plain JSON data (serialised once, here), or undefined with a problem recorded. */
function snapshotBody(body: unknown, problems: string[]): unknown {
  let illFormed = false;
  let text: string | undefined;
  try {
    text = JSON.stringify(body, (key: string, value: unknown) => {
      if (textProblem(key) || (typeof value === 'string' && textProblem(value))) illFormed = true;
      return value;
    });
  } catch {
    // A throwing getter or toJSON, a Proxy trap, a BigInt or a cycle: none can be sent.
    problems.push(
      'body: could not be serialised as JSON (a getter, toJSON or Proxy trap threw, a BigInt or a cycle)',
    );
    return undefined;
  }
  if (illFormed) problems.push(`body: ${ILL_FORMED}`);
  else if (text === undefined) problems.push('body: must be JSON data');
  return text === undefined || illFormed ? undefined : JSON.parse(text);
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be sent as it is, or undefined: a lone surrogate has no UTF-8 encoding. */
function textProblem(text: string): string | undefined {
  return LONE_SURROGATE.test(text) ? ILL_FORMED : undefined;
}

function checkObject<T extends object>(
  dto: Dto<T>,
  input: unknown,
  prefix: string,
  problems: string[],
): T | undefined {
  const where = prefix ? prefix.slice(0, -1) : 'body';
  const instance = new dto();
  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      problems.push(`${where}: must be an object`);
      return undefined;
    }
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
  } catch {
    problems.push(`${where}: ${UNREADABLE}`);
    return undefined;
  }
  for (const error of validateSync(instance, { whitelist: true, forbidUnknownValues: false })) {
    for (const message of new Set(Object.values(error.constraints ?? {}))) {
      problems.push(`${prefix}${error.property}: ${message}`);
    }
  }
  // Only declared fields are left (whitelist); each must also be encodable.
  for (const [key, value] of Object.entries(instance)) {
    if (typeof value === 'string' && textProblem(value)) problems.push(`${prefix}${key}: ${ILL_FORMED}`);
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
