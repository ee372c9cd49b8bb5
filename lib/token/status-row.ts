import { maskId } from '../redaction/mask-id.js';
import type { CredentialSlot } from './credential-slot.js';
import type { TokenStatus } from './token-status.interface.js';

/** The public view of a slot at `now`: no token, no secret, the Id masked, the error reduced to name and message. */
export function statusRow(slot: CredentialSlot, now: number): TokenStatus {
  const held = slot.current;
  return {
    credential: slot.config.key,
    entity: slot.config.entity,
    app: slot.config.app,
    id: maskId(slot.config.id),
    state: slot.state(now),
    fingerprint: held?.fingerprint,
    generation: slot.generation,
    issuedAt: held?.issuedAt,
    expiresAt: held?.expiresAt,
    refreshAt: held?.refreshAt,
    nextAttemptAt: slot.failures > 0 ? slot.nextAttemptAt : undefined,
    consecutiveFailures: slot.failures,
    lastError: slot.lastError && { name: slot.lastError.name, message: slot.lastError.message },
  };
}
