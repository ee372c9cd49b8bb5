import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { fingerprint } from '../redaction/fingerprint.js';
import { Redacted } from '../redaction/redacted.js';
import { planRefreshAt } from '../scheduling/plan-refresh.js';
import type { CredentialSlot, TokenRecord } from './credential-slot.js';
import type { ObtainedToken } from './mint-coordinator.js';
import type { TokenEventLog } from './token-event-log.js';

/**
 * Installs an obtained token in its slot and returns the record to serve.
 *
 * Same-token rule: when Exotel answers with the very token already held and that token has not
 * expired, the reply is not a new lifetime. The original expiry stays; the next attempt moves to
 * halfway between now and `expiresAt - minRefreshLeadMs / 2` (at least `retryMaxDelayMs` away), so
 * a server that keeps returning the same token is asked a few times with shrinking gaps, never in a
 * spin. Once the held token has expired, the same string counts as re-issued: a new lifetime from
 * the time the request was sent.
 */
export function acceptToken(
  slot: CredentialSlot,
  obtained: ObtainedToken,
  options: ResolvedExotelOptions,
  random: () => number,
  log: TokenEventLog,
): TokenRecord {
  const now = Date.now();
  const held = slot.current;
  // obtained.sameToken was decided by the coordinator at reply time; deciding again here could disagree.
  slot.failures = 0;
  slot.lastError = undefined;
  slot.nextAttemptAt = undefined;
  if (held && obtained.sameToken) {
    const deadline = held.expiresAt - options.minRefreshLeadMs / 2;
    held.refreshAt = Math.round(
      Math.min(held.expiresAt, now + Math.max(options.retryMaxDelayMs, (deadline - now) / 2)),
    );
    log.event(slot, 'same_token', {
      generation: held.generation,
      expiresAt: held.expiresAt,
      refreshAt: held.refreshAt,
    });
    return held;
  }
  slot.generation++;
  const record: TokenRecord = {
    token: new Redacted(obtained.token),
    issuedAt: obtained.issuedAt,
    expiresAt: obtained.expiresAt,
    refreshAt: planRefreshAt(obtained.issuedAt, obtained.expiresAt, options, random),
    generation: slot.generation,
    fingerprint: fingerprint(obtained.token),
  };
  slot.current = record;
  slot.expiredReported = false;
  const type = obtained.adopted ? 'adopted' : slot.generation === 1 ? 'minted' : 'refreshed';
  log.event(slot, type, {
    generation: record.generation,
    fingerprint: record.fingerprint,
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
    refreshAt: record.refreshAt,
  });
  return record;
}
