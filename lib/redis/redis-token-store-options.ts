import type { Cluster, Redis } from 'ioredis';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { TokenCipher } from './record-codec.js';

/**
 * Where a {@link RedisTokenStore} finds Redis: a `redis://` / `rediss://` URL of one server (the
 * store opens and closes its connections), or an ioredis `Redis` or `Cluster` client you own (the
 * store never closes it; for pub/sub it opens, and closes, a copy of it).
 * @publicApi
 */
export type RedisTokenStoreConnection = { url: string } | { client: Redis | Cluster };

/** @publicApi */
export interface RedisTokenStoreOptions {
  /** Namespace of every key and channel. Default `'exotel-webrtc'`. No `{` or `}`. */
  keyPrefix?: string | undefined;
  /**
   * Seals stored tokens with AES-256-GCM. 32 bytes: a Buffer, 64 hex characters or base64. Every
   * replica that shares the store needs the same key; a record sealed under another key is ignored
   * and overwritten by the next mint.
   */
  encryptionKey?: Buffer | string | undefined;
  /**
   * Upper bound for each Redis operation (and for the wait for the first connection), in ms.
   * A slower or unreachable Redis counts as an outage: the replica mints on its own. Default 1000.
   */
  commandTimeoutMs?: number | undefined;
  /**
   * How often a replica waiting for the lease holder's token looks at Redis itself, in ms, besides
   * being woken by pub/sub (which announces both the holder's write and the release of its lease).
   * The look notices what pub/sub cannot tell: a message lost across a reconnect, or a holder that
   * died and let its lease expire. While pub/sub is unavailable the waiter looks every 250 ms (or
   * this interval, if shorter). Default 1000.
   */
  pollIntervalMs?: number | undefined;
}

/** Default namespace of every key and channel the store uses. */
export const DEFAULT_KEY_PREFIX = 'exotel-webrtc';

/**
 * Names in Redis for one store key (the library's hash of baseUrl, entity and Id):
 * `<prefix>:{<key>}` for the record, with `:lease` and `:written` for the lease and the channel.
 * The braces are a Redis Cluster hash tag: only the part inside decides the slot, so a credential's
 * record, lease and channel live on one node (the delete script touches record and lease together,
 * and a script may only touch keys of one slot) while different credentials spread over the
 * cluster. The prefix leads, so one key pattern (`<prefix>:*`) finds, flushes or grants access to
 * everything the store writes; it may hold no braces, or they would be the tag.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  /** Hash holding the token record. */
  record(key: string): string {
    return `${this.prefix}:{${key}}`;
  }

  /** String holding the owner of the minting lease. */
  lease(key: string): string {
    return `${this.record(key)}:lease`;
  }

  /**
   * Pub/sub channel announcing a successful write (the message is the new expiresAt, never the
   * token) and a released or deleted lease (the message is `'released'`): a waiter listens to one
   * channel for both. Named for its first use.
   */
  channel(key: string): string {
    return `${this.record(key)}:written`;
  }
}

const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
/** setTimeout's limit: a longer delay fires at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const WHERE = 'store (RedisTokenStore)';

/** Validated constructor arguments of a RedisTokenStore. */
export interface RedisStoreConfig {
  /** The caller's client, or undefined when the store connects to `url` itself. */
  client?: Redis | Cluster;
  url?: string;
  /** Safe to print: the URL without credentials, 'client' or 'cluster client'. */
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
  } else if (/[{}]/.test(keyPrefix)) {
    problems.push(`${WHERE}.keyPrefix: must not contain { or } (the store puts each key in a hash tag)`);
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
  const client = given.client as Redis | Cluster | undefined;
  const url = typeof given.url === 'string' ? given.url : undefined;
  const described = url === undefined ? undefined : describeUrl(url);
  if (client !== undefined) {
    // Duck-typed, so a client from another copy of ioredis counts; a Cluster has both as well.
    if (typeof client?.duplicate !== 'function' || typeof client?.status !== 'string') {
      problems.push(`${WHERE}.client: must be an ioredis Redis instance or an ioredis Cluster`);
    }
  } else if (!described) {
    problems.push(
      `${WHERE}: pass { url: 'redis://…' } (or rediss://) or { client } with an ioredis Redis or Cluster`,
    );
  }
  if (problems.length) throw new ExotelConfigError(problems);
  const target = described ?? (client?.isCluster === true ? 'cluster client' : 'client');
  return { client, url, target, keyPrefix, commandTimeoutMs, pollIntervalMs, cipher };
}

/** The URL with any user name and password replaced, for toJSON and inspect; undefined when not a Redis URL. */
function describeUrl(url: string): string | undefined {
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

const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The 32-byte AES key from a Buffer, 64 hex characters or base64 (standard or URL-safe), or a
 * problem description that never quotes the value.
 */
function parseEncryptionKey(value: unknown): { key: Buffer } | { problem: string } {
  const expected = 'must be 32 bytes: a Buffer, 64 hex characters or base64 of 32 bytes';
  if (value instanceof Uint8Array) {
    return value.length === KEY_BYTES
      ? { key: Buffer.from(value) }
      : { problem: `${expected} (got ${value.length} bytes)` };
  }
  if (typeof value !== 'string')
    return { problem: `${expected} (got ${value === null ? 'null' : typeof value})` };
  const text = value.trim();
  if (HEX_KEY.test(text)) return { key: Buffer.from(text, 'hex') };
  if (BASE64.test(text)) {
    const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === KEY_BYTES) return { key: decoded };
    return { problem: `${expected} (got a string that decodes to ${decoded.length} bytes)` };
  }
  return {
    problem: `${expected} (got a string of ${text.length} characters that is neither hex nor base64)`,
  };
}
