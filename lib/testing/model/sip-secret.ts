import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The key Exotel's browser SDKs use to decrypt `SipSecret` (ASCII "change this password to a secret").
 * It is public in the SDK source, so this is a wire-format constant, not a secret.
 */
export const SIP_SECRET_KEY = Buffer.from(
  '6368616e676520746869732070617373776f726420746f206120736563726574',
  'hex',
);

// Node's 'aes-256-cfb' uses 128-bit segments, the same as CryptoJS CFB that the SDKs decrypt with.
const ALGORITHM = 'aes-256-cfb';

/** Encrypts a SIP password as the SDKs expect it: hex(iv, 16 bytes) + hex(AES-256-CFB ciphertext). */
export function encryptSipSecret(plain: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv(ALGORITHM, SIP_SECRET_KEY, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return iv.toString('hex') + body.toString('hex');
}

/** Reverses {@link encryptSipSecret}; what the browser SDK does with the value. */
export function decryptSipSecret(encrypted: string): string {
  if (!/^[0-9a-f]{32}([0-9a-f]{2})*$/i.test(encrypted)) {
    throw new Error('SipSecret must be hex: 32 chars of IV followed by the ciphertext');
  }
  const iv = Buffer.from(encrypted.slice(0, 32), 'hex');
  const decipher = createDecipheriv(ALGORITHM, SIP_SECRET_KEY, iv);
  const body = Buffer.from(encrypted.slice(32), 'hex');
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
