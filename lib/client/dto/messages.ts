/** Constraint messages; they never echo the rejected value, which may be a secret such as an API token. */
export const NON_EMPTY = { message: 'is required and must be a non-empty string' };
export const STRING = { message: 'must be a string' };
export const BOOLEAN = { message: 'must be a boolean' };
