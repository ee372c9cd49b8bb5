/** Settings of {@link UnauthorizedBreaker}. */
export interface BreakerSettings {
  /** Fresh tokens refused in a row (per credential) that open the breaker. */
  readonly threshold: number;
  /** How long an open breaker refuses to mint. */
  readonly cooldownMs: number;
}

interface CredentialRecord {
  /** Distinct fresh generations refused in a row. */
  refused: number;
  /** Highest generation already counted, so 1,000 requests failing on one token count once. */
  lastGeneration: number;
  openUntil: number;
}

/**
 * Stops the 401 -> mint -> 401 loop. A token obtained because of a 401 that is itself refused says the
 * problem is not expiry (wrong entity, revoked app, missing permission), so after `threshold` such
 * tokens in a row per credential no more mints are made for `cooldownMs`. Only a retry that succeeds
 * with a renewed token resets the count: ordinary successes on other endpoints prove nothing about the
 * one that keeps failing. After the cool-down one more refused fresh token reopens it (half-open).
 */
export class UnauthorizedBreaker {
  private readonly records = new Map<string, CredentialRecord>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while minting after a 401 is suspended for the credential. */
  isOpen(credential: string): boolean {
    const record = this.records.get(credential);
    return record !== undefined && this.now() < record.openUntil;
  }

  /** A token renewed after a 401 was refused too. Returns true when this opened the breaker. */
  recordRefusedFresh(credential: string, generation: number): boolean {
    const record = this.records.get(credential) ?? { refused: 0, lastGeneration: -1, openUntil: 0 };
    this.records.set(credential, record);
    if (generation <= record.lastGeneration) return false;
    record.lastGeneration = generation;
    record.refused += 1;
    if (record.refused < this.settings.threshold || this.isOpen(credential)) return false;
    record.openUntil = this.now() + this.settings.cooldownMs;
    return true;
  }

  /** A retry with a renewed token was accepted: renewing after a 401 works for this credential. */
  recordRenewalWorked(credential: string): void {
    this.records.delete(credential);
  }
}
