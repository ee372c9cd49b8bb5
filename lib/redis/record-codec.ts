import type { StoredToken } from '../store/token-store.js';
import type { TokenCipher } from './token-cipher.js';

/** Hash fields of a stored record, in the order `read` asks for them. */
export const RECORD_FIELDS = ['token', 'issuedAt', 'expiresAt', 'kid'] as const;

/** A record as written to the hash. `kid` is empty for plain tokens, else the cipher's key id. */
export interface EncodedRecord {
  token: string;
  issuedAt: string;
  expiresAt: string;
  kid: string;
}

/** Turns records into hash fields and back, sealing the token when a cipher is configured. */
export class RecordCodec {
  constructor(private readonly cipher?: TokenCipher) {}

  get keyId(): string {
    return this.cipher?.keyId ?? '';
  }

  encode(key: string, record: StoredToken): EncodedRecord {
    const issuedAt = String(record.issuedAt);
    const expiresAt = String(record.expiresAt);
    const token = this.cipher
      ? this.cipher.seal(record.token, context(key, issuedAt, expiresAt))
      : record.token;
    return { token, issuedAt, expiresAt, kid: this.keyId };
  }

  /**
   * The record, or undefined when there is none or this replica cannot use it: incomplete, written
   * under another encryption key (or in plain text while we expect a sealed one), or tampered with.
   */
  decode(key: string, fields: readonly (string | null)[]): StoredToken | undefined {
    const [sealed, issuedAtText, expiresAtText, kid] = fields;
    if (typeof sealed !== 'string' || typeof issuedAtText !== 'string' || typeof expiresAtText !== 'string')
      return undefined;
    if ((kid ?? '') !== this.keyId) return undefined;
    const issuedAt = Number(issuedAtText);
    const expiresAt = Number(expiresAtText);
    if (!Number.isFinite(issuedAt) || !Number.isFinite(expiresAt)) return undefined;
    const token = this.cipher ? this.cipher.open(sealed, context(key, issuedAtText, expiresAtText)) : sealed;
    if (!token) return undefined;
    return { token, issuedAt, expiresAt };
  }
}

function context(key: string, issuedAt: string, expiresAt: string): string {
  return `${key}\n${issuedAt}\n${expiresAt}`;
}
