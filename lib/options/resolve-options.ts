import { Logger } from '@nestjs/common';
import { ExotelConfigError } from '../errors/exotel.error.js';
import type {
  ExotelCredentialSource,
  ExotelWebrtcModuleOptions,
} from '../interfaces/exotel-webrtc-options.interface.js';
import { Redacted } from '../redaction/redacted.js';
import { MemoryTokenStore } from '../store/memory-token-store.js';
import { isTokenStore } from '../store/token-store.js';
import { collectProblems, pickOwn } from './collect-problems.js';
import * as D from './defaults.js';
import { CredentialsSchema, OptionsSchema } from './options.schema.js';
import type { CredentialConfig, ResolvedExotelOptions } from './resolved-options.js';
import { baseUrlProblem } from './validate-base-url.js';
import { NOOP_LOGGER } from './noop-logger.js';
import { safeLogger } from './safe-logger.js';
import { credentialIdentity, printableName } from './credential-identity.js';
import { resolveTelemetry } from './telemetry-options.js';

const SCALAR_KEYS = [
  'baseUrl',
  'tokenTtlMs',
  'refreshAtRatio',
  'minRefreshLeadMs',
  'refreshJitterMs',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'authScheme',
  'requestTimeoutMs',
  'maxResponseBytes',
  'eager',
  'leaseTtlMs',
  'unauthorizedBreakerThreshold',
  'unauthorizedBreakerCooldownMs',
  'maxConcurrentMints',
  'idleAppEvictionMs',
] as const;
const KNOWN_KEYS = new Set<string>([
  ...SCALAR_KEYS,
  'customer',
  'app',
  'apps',
  'store',
  'logger',
  'credentialSource',
  'telemetry',
]);
/** Default cap of a downstream reply body (decompressed): far above any Exotel reply, far below harm. */
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const APP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why `name` cannot name an app, or undefined when it can. Configured and added apps share the rule. */
export function appNameProblem(name: unknown): string | undefined {
  if (typeof name === 'string' && APP_NAME.test(name)) return undefined;
  return "app names may use letters, digits, '_', '.', '-' (1-64 chars)";
}

/**
 * Validates an app added at runtime (or answered by a credential source) by the same rules as the
 * `apps` option. Throws `ExotelConfigError` listing the problems; the secret is never printed.
 */
export function resolveAppCredential(name: unknown, raw: unknown, path = 'addApp'): CredentialConfig {
  const problems: string[] = [];
  const nameProblem = appNameProblem(name);
  if (nameProblem) problems.push(`${path}: ${nameProblem}`);
  const pair = credential(raw, `${path}(${printableName(name)})`, problems);
  if (problems.length || !pair) throw new ExotelConfigError(problems);
  return make('app', name as string, pair);
}

function credential(
  raw: unknown,
  path: string,
  problems: string[],
): { id: string; secret: string } | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${path}: must be an object { id, secret }`);
    return undefined;
  }
  const schema = new CredentialsSchema();
  // Read through property access so that non-enumerable secrets (exotelCredentials()) count.
  const source = raw as Record<string, unknown>;
  schema.id = source.id as string;
  schema.secret = source.secret as string;
  const found = collectProblems(schema, `${path}.`);
  problems.push(...found);
  return found.length ? undefined : { id: schema.id, secret: schema.secret };
}

function credentialList(raw: ExotelWebrtcModuleOptions, problems: string[]): CredentialConfig[] {
  const list: CredentialConfig[] = [];
  const customer = credential(raw.customer, 'customer', problems);
  if (customer) list.push(make('customer', undefined, customer));
  const app = credential(raw.app, 'app', problems);
  if (app) list.push(make('app', 'default', app));
  if (raw.apps !== undefined) {
    if (raw.apps === null || typeof raw.apps !== 'object' || Array.isArray(raw.apps)) {
      problems.push('apps: must be an object mapping app names to { id, secret }');
    } else {
      for (const name of Object.keys(raw.apps)) {
        const nameProblem = appNameProblem(name);
        if (nameProblem) {
          problems.push(`apps.${printableName(name)}: ${nameProblem}`);
          continue;
        }
        if (name === 'default' && raw.app !== undefined) {
          problems.push("apps.default: conflicts with 'app', which is already the app named 'default'");
          continue;
        }
        const pair = credential((raw.apps as Record<string, unknown>)[name], `apps.${name}`, problems);
        if (pair) list.push(make('app', name, pair));
      }
    }
  }
  if (list.length === 0 && problems.length === 0 && raw.credentialSource === undefined) {
    problems.push(
      'customer / app / apps: configure at least one credential (or a credentialSource); with fromEnv(), set EXOTEL_CUSTOMER_ID and EXOTEL_CUSTOMER_SECRET, or EXOTEL_APP_ID and EXOTEL_APP_SECRET',
    );
  }
  return list;
}

function make(
  entity: 'customer' | 'app',
  app: string | undefined,
  pair: { id: string; secret: string },
): CredentialConfig {
  return Object.freeze({
    ...credentialIdentity(entity, app),
    id: pair.id,
    secret: new Redacted(pair.secret),
  });
}

/**
 * Validates raw module options and applies the defaults. Throws one
 * `ExotelConfigError` listing every bad field by path; values are never printed.
 */
export function resolveOptions(raw: unknown): ResolvedExotelOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ExotelConfigError(['options: must be an object']);
  }
  const input = raw as ExotelWebrtcModuleOptions & Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key)) problems.push(`${printableName(key)}: is not a known option`);
  }
  const scalars = pickOwn(new OptionsSchema(), input, SCALAR_KEYS);
  const scalarProblems = collectProblems(scalars, '');
  problems.push(...scalarProblems);
  if (typeof scalars.baseUrl === 'string' && scalars.baseUrl) {
    const problem = baseUrlProblem(scalars.baseUrl);
    if (problem) problems.push(`baseUrl: ${problem}`);
  }
  const credentials = credentialList(input, problems);

  // Cross-field rules do arithmetic on the scalars: run them only once every scalar has the right type
  // (a Symbol, BigInt or null-prototype object would make Math.floor and friends throw a TypeError).
  const valid = scalarProblems.length === 0;
  const tokenTtlMs = scalars.tokenTtlMs ?? D.DEFAULT_TOKEN_TTL_MS;
  const minRefreshLeadMs = valid
    ? (scalars.minRefreshLeadMs ?? Math.min(D.DEFAULT_MIN_REFRESH_LEAD_MS, Math.floor(tokenTtlMs / 10)))
    : 0;
  if (valid && minRefreshLeadMs >= tokenTtlMs) {
    problems.push(
      'minRefreshLeadMs: must be smaller than tokenTtlMs (a lead that reaches the lifetime refreshes in a loop)',
    );
  }
  const retryBaseDelayMs = scalars.retryBaseDelayMs ?? D.DEFAULT_RETRY_BASE_DELAY_MS;
  const retryMaxDelayMs = valid
    ? (scalars.retryMaxDelayMs ?? Math.max(D.DEFAULT_RETRY_MAX_DELAY_MS, retryBaseDelayMs))
    : 0;
  if (valid && retryMaxDelayMs < retryBaseDelayMs) {
    problems.push('retryMaxDelayMs: must not be smaller than retryBaseDelayMs');
  }
  const requestTimeoutMs = scalars.requestTimeoutMs ?? D.DEFAULT_REQUEST_TIMEOUT_MS;
  // A lease must outlive the mint it guards, or a second replica mints in the same cycle.
  const leaseTtlMs = valid
    ? (scalars.leaseTtlMs ?? Math.max(D.DEFAULT_LEASE_TTL_MS, requestTimeoutMs + 5_000))
    : 0;
  if (valid && leaseTtlMs <= requestTimeoutMs) {
    problems.push(
      'leaseTtlMs: must be longer than requestTimeoutMs (the minting lease must outlive the mint it guards)',
    );
  }
  if (input.store !== undefined && !isTokenStore(input.store)) {
    problems.push('store: must be a TokenStore (extend TokenStore from nestjs-exotel-webrtc)');
  }
  const logger = input.logger;
  if (
    logger !== undefined &&
    logger !== false &&
    (typeof logger !== 'object' || typeof logger?.log !== 'function')
  ) {
    problems.push('logger: must be a Nest LoggerService or false');
  }
  const source = input.credentialSource;
  if (
    source !== undefined &&
    typeof (source as ExotelCredentialSource | null)?.appCredentials !== 'function'
  ) {
    problems.push('credentialSource: must be an object with an appCredentials(name) method');
  }
  const telemetry = resolveTelemetry(input.telemetry, problems);
  if (problems.length) throw new ExotelConfigError(problems);

  const baseUrl = (scalars.baseUrl ?? D.DEFAULT_BASE_URL).replace(/\/+$/, '');
  const url = new URL(baseUrl);
  const resolved = {
    baseUrl,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    credentials,
    tokenTtlMs,
    refreshAtRatio: scalars.refreshAtRatio ?? D.DEFAULT_REFRESH_AT_RATIO,
    minRefreshLeadMs,
    refreshJitterMs: scalars.refreshJitterMs ?? Math.min(Math.floor(tokenTtlMs * 0.01), D.HOUR_MS),
    retryBaseDelayMs,
    retryMaxDelayMs,
    authScheme: scalars.authScheme ?? 'raw',
    requestTimeoutMs,
    maxResponseBytes: scalars.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    eager: scalars.eager ?? true,
    store: input.store ?? new MemoryTokenStore(),
    leaseTtlMs,
    unauthorizedBreakerThreshold: scalars.unauthorizedBreakerThreshold ?? D.DEFAULT_BREAKER_THRESHOLD,
    unauthorizedBreakerCooldownMs: scalars.unauthorizedBreakerCooldownMs ?? D.DEFAULT_BREAKER_COOLDOWN_MS,
    maxConcurrentMints: scalars.maxConcurrentMints ?? D.DEFAULT_MAX_CONCURRENT_MINTS,
    idleAppEvictionMs: scalars.idleAppEvictionMs ?? 0,
    telemetry,
    // Wrapped once here, so every library log call is safe: see safeLogger.
    logger: safeLogger(logger === false ? NOOP_LOGGER : (logger ?? new Logger('ExotelWebrtc'))),
  };
  // Not enumerable: a host's source may hold secrets, and printing the options must not show them.
  Object.defineProperty(resolved, 'credentialSource', { value: source, enumerable: false });
  return Object.freeze(resolved) as ResolvedExotelOptions;
}
