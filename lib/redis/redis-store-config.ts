import type { Redis } from 'ioredis';
import { ExotelConfigError } from '../errors/exotel-config.error.js';
import { parseEncryptionKey } from './encryption-key.js';
import { describeUrl } from './redis-connect.js';
import { DEFAULT_KEY_PREFIX } from './redis-keys.js';
import type { RedisTokenStoreConnection, RedisTokenStoreOptions } from './redis-token-store-options.js';
import { TokenCipher } from './token-cipher.js';

const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
/** setTimeout's limit: a longer delay fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const WHERE = 'store (RedisTokenStore)';

/** Validated constructor arguments of a RedisTokenStore. */
export interface RedisStoreConfig {
  /** The caller's client, or undefined when the store connects to `url` itself. */
  client?: Redis;
  url?: string;
  /** Safe to print: the URL without credentials, or 'client'. */
  target: string;
  keyPrefix: string;
  commandTimeoutMs: number;
  pollIntervalMs: number;
  cipher?: TokenCipher;
}

/**
 * Checks everything up front and throws one ExotelConfigError naming every bad field. Never quotes
 * a value: the URL may hold a password and the encryption key is a secret.
 */
export function resolveRedisStoreConfig(
  connection: RedisTokenStoreConnection,
  options: RedisTokenStoreOptions = {},
): RedisStoreConfig {
  const problems: string[] = [];
  const {
    keyPrefix = DEFAULT_KEY_PREFIX,
    encryptionKey,
    commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
    pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
  } = options;
  if (typeof keyPrefix !== 'string' || keyPrefix.length === 0 || keyPrefix.length > 200) {
    problems.push(`${WHERE}.keyPrefix: must be a non-empty string of at most 200 characters`);
  }
  if (!Number.isInteger(commandTimeoutMs) || commandTimeoutMs < 1) {
    problems.push(`${WHERE}.commandTimeoutMs: must be a positive integer (milliseconds)`);
  }
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 1 || pollIntervalMs > MAX_DELAY_MS) {
    problems.push(`${WHERE}.pollIntervalMs: must be a positive integer (milliseconds) up to ${MAX_DELAY_MS}`);
  }
  let cipher: TokenCipher | undefined;
  if (encryptionKey !== undefined) {
    const parsed = parseEncryptionKey(encryptionKey);
    if ('problem' in parsed) problems.push(`${WHERE}.encryptionKey: ${parsed.problem}`);
    else cipher = new TokenCipher(parsed.key);
  }
  const given = (typeof connection === 'object' && connection !== null ? connection : {}) as Record<
    string,
    unknown
  >;
  const client = given.client as Redis | undefined;
  const url = typeof given.url === 'string' ? given.url : undefined;
  const described = url === undefined ? undefined : describeUrl(url);
  if (client !== undefined) {
    if (typeof client?.duplicate !== 'function' || typeof client?.status !== 'string') {
      problems.push(`${WHERE}.client: must be an ioredis Redis instance`);
    }
  } else if (!described) {
    problems.push(`${WHERE}: pass { url: 'redis://…' } (or rediss://) or { client: ioredisInstance }`);
  }
  if (problems.length) throw new ExotelConfigError(problems);
  return { client, url, target: described ?? 'client', keyPrefix, commandTimeoutMs, pollIntervalMs, cipher };
}
