/**
 * A Redis token store operation failed or timed out. The token service treats any store error as
 * an outage and mints locally, so callers rarely see this. The message names the operation and a
 * short reason (`timed out`, `not connected`, `ECONNREFUSED`, `NOAUTH`, ...), never a URL, key
 * material or token.
 * @publicApi
 */
export class RedisStoreError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`Redis token store: ${operation} failed (${reason})`);
    this.name = 'RedisStoreError';
  }
}

/** A short, secret-free reason for any error ioredis may raise. */
export function reasonOf(error: unknown): string {
  if (error instanceof RedisStoreError) return error.reason;
  const e = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  if (/timed out/i.test(message)) return 'timed out';
  if (typeof e.code === 'string' && /^[A-Z0-9_]{2,32}$/.test(e.code)) return e.code;
  if (e.name === 'MaxRetriesPerRequestError') return 'connection lost';
  if (/Connection is closed/i.test(message)) return 'connection closed';
  if (/isn't writeable|offline queue/i.test(message)) return 'not connected';
  // Redis replies start with an upper-case error code (NOAUTH, WRONGPASS, ERR); the rest may echo input.
  const code = /^[A-Z]{2,20}\b/.exec(message)?.[0];
  if (e.name === 'ReplyError' && code) return code;
  return typeof e.name === 'string' && /^\w{1,40}$/.test(e.name) ? e.name : 'error';
}
