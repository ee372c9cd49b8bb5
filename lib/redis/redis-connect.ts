import { Redis, type RedisOptions } from 'ioredis';

/**
 * Options for every connection the store opens itself: no offline queue and no resending, so a
 * command during an outage fails instead of waiting (and a lease SET is not replayed on reconnect
 * long after its caller gave up); a command timeout; and quick reconnects so sharing resumes soon
 * after Redis is back.
 */
export function failFastOptions(commandTimeoutMs: number): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), 2000),
    connectionName: 'nestjs-exotel-webrtc',
    // disconnect() arms a (ref'd) timer to destroy a socket that does not close. RedisLink.close()
    // keeps it from being armed for a socket that is already gone (an outage); this bounds any other case.
    disconnectTimeout: 200,
  };
}

/**
 * Errors are reported through the store's operations; an 'error' listener must exist or ioredis
 * prints each reconnect failure (with host and port) to the console.
 */
export function quiet(client: Redis): Redis {
  client.on('error', () => undefined);
  return client;
}

/** A connection from a redis:// or rediss:// URL, with the store's fail-fast options. */
export function connectUrl(url: string, commandTimeoutMs: number): Redis {
  return quiet(new Redis(url, failFastOptions(commandTimeoutMs)));
}

/** The pub/sub connection: a copy of the main one (same server, auth, TLS) with fail-fast options. */
export function duplicateForSubscribe(client: Redis, commandTimeoutMs: number): Redis {
  return quiet(client.duplicate({ ...failFastOptions(commandTimeoutMs), lazyConnect: false }));
}

/** The URL with any user name and password replaced, for toJSON and inspect; undefined when not a Redis URL. */
export function describeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return undefined;
  const credentials = parsed.username || parsed.password ? '***@' : '';
  return `${parsed.protocol}//${credentials}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}
