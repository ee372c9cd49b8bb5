import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { StoredToken } from '../store/token-store.js';

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

/**
 * The associated data of a sealed token: its store key and lifetime, so a value copied to another
 * credential or given a later expiry no longer decrypts.
 */
function context(key: string, issuedAt: string, expiresAt: string): string {
  return `${key}\n${issuedAt}\n${expiresAt}`;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM for tokens at rest. */
export class TokenCipher {
  /** Names the key in stored records without revealing it, so a record sealed under another key is recognised. */
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = Buffer.from(key);
    this.keyId = createHash('sha256')
      .update('nestjs-exotel-webrtc/redis key id\n')
      .update(this.#key)
      .digest('hex')
      .slice(0, 16);
  }

  /** base64 of iv | tag | ciphertext. */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain token, or undefined when the value was altered, moved or sealed under another key. */
  open(sealed: string, context: string): string | undefined {
    const raw = Buffer.from(sealed, 'base64');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      return undefined;
    }
  }

  // Never let the key reach a log through the cipher object.
  toJSON(): Record<string, string> {
    return { cipher: 'aes-256-gcm' };
  }
}
