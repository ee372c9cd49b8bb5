import { createCipheriv } from 'node:crypto';
import { describe, it, expect } from '@jest/globals';
import { decryptSipSecret, encryptSipSecret, SIP_SECRET_KEY } from './sip-secret.js';

describe('SipSecret encryption', () => {
  it('uses the key from Exotel SDKs ("change this password to a secret")', () => {
    expect(SIP_SECRET_KEY.toString('ascii')).toBe('change this password to a secret');
  });

  it('emits hex IV (32 chars) followed by unpadded CFB ciphertext of the same length as the input', () => {
    const encrypted = encryptSipSecret('pässwörd!');
    expect(encrypted).toMatch(/^[0-9a-f]+$/);
    expect(encrypted.length).toBe(32 + 2 * Buffer.byteLength('pässwörd!'));
    expect(decryptSipSecret(encrypted)).toBe('pässwörd!');
  });

  it('uses a fresh IV each time and matches a direct aes-256-cfb encryption for a fixed IV', () => {
    expect(encryptSipSecret('same')).not.toBe(encryptSipSecret('same'));
    const iv = Buffer.alloc(16, 7);
    const cipher = createCipheriv('aes-256-cfb', SIP_SECRET_KEY, iv);
    const expected =
      iv.toString('hex') + Buffer.concat([cipher.update('secret'), cipher.final()]).toString('hex');
    expect(encryptSipSecret('secret', iv)).toBe(expected);
  });

  it('refuses input that is not IV-prefixed hex', () => {
    expect(() => decryptSipSecret('zz')).toThrow(/hex/);
    expect(() => decryptSipSecret('abc')).toThrow(/hex/);
  });
});
