import { Logger, type LoggerService } from '@nestjs/common';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { NOOP_LOGGER } from '../options/noop-logger.js';
import { safeLogger } from '../options/safe-logger.js';
import type { ExotelCallDedupe } from './call-dedupe.js';

/**
 * Options of `ExotelWebhooksModule.forRoot()` / the factory of `forRootAsync()`.
 * @publicApi
 */
export interface ExotelWebhooksModuleOptions {
  /**
   * The path segment that authenticates Exotel, which cannot sign its notifications: at least 24
   * URL-safe characters (`A-Z a-z 0-9 - _ . ~`), e.g. `randomBytes(24).toString('base64url')`. A request
   * with another secret gets the same 404 as an unknown route. Keep it out of logs like a password.
   */
  secret: string;
  /**
   * How long a delivery waits for its handlers before Exotel is answered (default 5,000 ms). Within the
   * budget the answer reflects the outcome (200, or 500 as soon as one handler fails). Past it the answer
   * is 200 `{ status: 'accepted' }` and the handlers complete in the background; keep it below the time
   * after which Exotel gives up on an answer, or slow handlers get the same notification again.
   * `app.close()` waits up to this long again for handlers still running in the background.
   */
  handlerTimeoutMs?: number;
  /**
   * How many deliveries may go on in the background at once (default 1,000). Past it a new notification
   * is answered 503 without running anything, so Exotel retries it later: slow handlers under a flood of
   * notifications cannot grow memory without bound.
   */
  maxBackgroundDeliveries?: number;
  /** Largest request body accepted, in bytes (default 65,536); a larger one gets 413. */
  maxBodyBytes?: number;
  /** How long a handled notification is remembered, so that a redelivery is not handled again (default 24 h). */
  dedupeTtlMs?: number;
  /**
   * Where handled notifications are marked. Default: the token store of `ExotelWebrtcModule` when it is
   * a shared one (e.g. `RedisTokenStore`: one `SET NX PX` key per handler and notification, shared by every
   * replica), otherwise {@link MemoryCallDedupe} in this process.
   */
  dedupe?: ExotelCallDedupe;
  /** Where the module logs; `false` for nothing. Default: a Nest `Logger` named `ExotelWebhooks`. */
  logger?: LoggerService | false;
}

/** Extras given beside the options, also in `forRootAsync()`: they shape the module, so they are static. */
export interface ExotelWebhooksModuleExtras {
  /**
   * Route prefix of the four routes, without the host app's global prefix (default `exotel/webhooks`):
   * the module serves `POST /<path>/<secret>/<kind>`.
   */
  path?: string;
  /**
   * Default `true`: the routes are published app-wide, so that `client.settings.registerWebhooks()` finds
   * them from `ExotelWebrtcModule`. `@OnExotelCall()` handlers are found in every module either way.
   */
  isGlobal?: boolean;
}

/** The options with defaults applied; the dedupe is chosen at bootstrap (it may need the token store). */
export interface ResolvedWebhooksOptions {
  readonly handlerTimeoutMs: number;
  readonly maxBackgroundDeliveries: number;
  readonly maxBodyBytes: number;
  readonly dedupeTtlMs: number;
  readonly dedupe?: ExotelCallDedupe;
  /** Where the module logs: one line per message, and a throwing logger never changes an answer. */
  readonly logger: LoggerService;
}

const LIMITS = {
  handlerTimeoutMs: { fallback: 5_000, min: 1, max: 10 * 60_000 },
  maxBackgroundDeliveries: { fallback: 1_000, min: 1, max: 1_000_000 },
  maxBodyBytes: { fallback: 64 * 1024, min: 1_024, max: 16 * 1024 * 1024 },
  dedupeTtlMs: { fallback: 24 * 60 * 60_000, min: 1_000, max: 30 * 24 * 60 * 60_000 },
} as const;

/** Defaults applied; a number out of range fails bootstrap with every problem listed. */
export function resolveWebhooksOptions(options: ExotelWebhooksModuleOptions): ResolvedWebhooksOptions {
  const problems: string[] = [];
  const number = (name: keyof typeof LIMITS): number => {
    const { fallback, min, max } = LIMITS[name];
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`ExotelWebhooksModule ${name}: must be an integer from ${min} to ${max}`);
    }
    return value;
  };
  const resolved = {
    handlerTimeoutMs: number('handlerTimeoutMs'),
    maxBackgroundDeliveries: number('maxBackgroundDeliveries'),
    maxBodyBytes: number('maxBodyBytes'),
    dedupeTtlMs: number('dedupeTtlMs'),
    dedupe: options.dedupe,
    logger: safeLogger(
      options.logger === false ? NOOP_LOGGER : (options.logger ?? new Logger('ExotelWebhooks')),
    ),
  };
  const dedupe = options.dedupe as Partial<ExotelCallDedupe> | undefined;
  if (dedupe !== undefined && typeof dedupe?.claim !== 'function') {
    problems.push('ExotelWebhooksModule dedupe: must implement claim(key, ttlMs)');
  }
  if (problems.length) throw new ExotelConfigError(problems, 'ExotelWebhooksModule options');
  return resolved;
}
