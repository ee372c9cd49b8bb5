import { ExotelRequestError } from '../errors/exotel-request.error.js';

/** Refuses an empty or non-string argument before anything is sent. */
export function requireText(value: unknown, name: string, what: string): asserts value is string {
  if (typeof value === 'string' && value.trim() !== '') return;
  const problem = `${name}: is required and must be a non-empty string`;
  const error = new ExotelRequestError(`${what}: invalid input, nothing was sent:\n  - ${problem}`);
  error.problems = [problem];
  throw error;
}
