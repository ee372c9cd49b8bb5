import type { Subject } from 'rxjs';
import type { ExotelError } from '../errors/exotel.error.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { RefreshPolicy } from '../scheduling/refresh-policy.js';
import type { ExotelTelemetry } from '../telemetry/exotel-telemetry.js';
import type { CredentialSlot } from './credential-slot.js';
import type { TokenEvent, TokenEventType } from './token-event.interface.js';

const iso = (ms?: number): string => (ms === undefined ? '-' : new Date(ms).toISOString());

/**
 * Turns token life-cycle facts into `events$` items, log lines and the adoption count. Tokens are
 * named by fingerprint only; error text comes from ExotelError messages, which never hold secrets.
 */
export class TokenEventLog {
  constructor(
    private readonly options: ResolvedExotelOptions,
    private readonly policy: RefreshPolicy,
    private readonly subject: Subject<TokenEvent>,
    private readonly telemetry: ExotelTelemetry,
  ) {}

  event(slot: CredentialSlot, type: TokenEventType, extra: Partial<TokenEvent> = {}): void {
    const { key, entity, app, label } = slot.config;
    this.subject.next({ type, credential: key, entity, app, at: Date.now(), ...extra });
    if (type === 'adopted') this.telemetry.countAdoption(slot.config);
    const logger = this.options.logger;
    const fp = extra.fingerprint ? ` ${extra.fingerprint}` : '';
    switch (type) {
      case 'minted':
      case 'refreshed':
      case 'adopted':
        logger.log(
          `Token ${type} for ${label}${fp} (generation ${extra.generation}, expires ${iso(extra.expiresAt)}, refresh at ${iso(extra.refreshAt)})`,
        );
        break;
      case 'same_token':
        logger.warn(
          `Exotel returned the token already held for ${label}; keeping its expiry ${iso(extra.expiresAt)}, next attempt ${iso(extra.refreshAt)}`,
        );
        break;
      case 'app_added':
        logger.log(`Managing ${label} from now on`);
        break;
      case 'app_removed':
        logger.log(`No longer managing ${label}; its token was dropped`);
        break;
      case 'credentials_rotated':
        logger.log(`Credentials of ${label} rotated; the held token is served until the next mint`);
        break;
      case 'expired':
        logger.warn(`Token for ${label} expired at ${iso(extra.expiresAt)}`);
        break;
      default:
        logger.log(`Token for ${label} ${type}${fp}`);
    }
  }

  /** A failed mint: `refresh_failed` event, and a log level that rises as the held token runs out. */
  failure(slot: CredentialSlot, error: ExotelError, now: number): void {
    this.subject.next({
      type: 'refresh_failed',
      credential: slot.config.key,
      entity: slot.config.entity,
      app: slot.config.app,
      at: now,
      reason: error.message,
      error: {
        name: error.name,
        message: error.message,
        httpStatus: error.httpStatus,
        requestId: error.requestId,
      },
      nextAttemptAt: slot.nextAttemptAt,
      consecutiveFailures: slot.failures,
      expiresAt: slot.held?.expiresAt,
    });
    const valid = slot.valid(now);
    const line = `Token refresh for ${slot.config.label} failed (${slot.failures} in a row): ${error.message}; next attempt ${iso(slot.nextAttemptAt)}, ${
      valid ? `current token valid until ${iso(valid.expiresAt)}` : 'no valid token held'
    }`;
    if (this.policy.isCritical(valid?.expiresAt, now)) this.options.logger.error(line);
    else this.options.logger.warn(line);
  }
}
