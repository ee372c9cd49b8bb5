import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for tokens at rest. The associated data binds a ciphertext to its store key and
 * lifetime, so a value copied to another credential or given a later expiry no longer decrypts.
 */
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
