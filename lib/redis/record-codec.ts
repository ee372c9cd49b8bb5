import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { StoredToken } from '../store/token-store.js';

/** Hash fields of a stored record, in the order the read script returns them. */
export const RECORD_FIELDS = ['token', 'issuedAt', 'expiresAt', 'kid', 'version', 'rejected'] as const;

/** A record as written to the hash. `kid` is empty for plain tokens, else the cipher's key id. */
export interface EncodedRecord {
  token: string;
  issuedAt: string;
  expiresAt: string;
  kid: string;
}

/**
 * The version in a `version` field, read the same way as the Lua scripts read it: digits only, at
 * most 15 of them (exact in a double and in Lua), else 0. A record without one (written before
 * versions existed, or by hand) is version 0, and a compare-and-set based on 0 replaces it.
 */
export function versionOf(text: string | null | undefined): number {
  return typeof text === 'string' && /^[0-9]{1,15}$/.test(text) ? Number(text) : 0;
}

/**
 * The refusal mark of a token: a keyed hash, so the store never holds the token for it, and the mark
 * in a record of one key cannot be matched against a token of another.
 */
export function rejectionMark(key: string, token: string): string {
  return createHash('sha256')
    .update('nestjs-exotel-webrtc/redis rejected\n')
    .update(key)
    .update('\n')
    .update(token)
    .digest('hex')
    .slice(0, 32);
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
   * The record in `fields` ({@link RECORD_FIELDS}) of an existing hash, whatever it holds. What
   * only the store can tell (sealed under another key, or in plain text while we expect a sealed
   * one; does not decrypt) comes back as a record with a `problem`. Everything else is passed on as
   * found, missing or non-numeric times as NaN: the token service validates every record it is
   * given, whatever the store, so the rule lives in one place.
   */
  decode(key: string, fields: readonly (string | null)[]): StoredToken {
    const [sealed, issuedAtText, expiresAtText, kid, versionText, mark] = fields;
    const version = versionOf(versionText);
    const issuedAt = timeOf(issuedAtText);
    const expiresAt = timeOf(expiresAtText);
    const unusable = (problem: string): StoredToken => ({ token: '', issuedAt, expiresAt, version, problem });
    if ((kid ?? '') !== this.keyId) {
      return unusable(
        this.cipher
          ? 'sealed under another encryption key, or not sealed'
          : 'sealed under an encryption key this replica does not have',
      );
    }
    let token = sealed ?? '';
    if (this.cipher && typeof sealed === 'string') {
      const opened = this.cipher.open(sealed, context(key, issuedAtText ?? '', expiresAtText ?? ''));
      if (opened === undefined) return unusable('does not decrypt: altered, moved or corrupted');
      token = opened;
    }
    const record: StoredToken = { token, issuedAt, expiresAt, version };
    if (typeof mark === 'string' && mark === rejectionMark(key, token)) record.rejected = true;
    return record;
  }
}

/** A time field as a number; NaN when it is missing or empty (Number() would make those 0). */
function timeOf(text: string | null | undefined): number {
  return typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
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
