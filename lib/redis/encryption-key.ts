const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * The 32-byte AES key from a Buffer, 64 hex characters or base64 (standard or URL-safe), or a
 * problem description that never quotes the value.
 */
export function parseEncryptionKey(value: unknown): { key: Buffer } | { problem: string } {
  const expected = 'must be 32 bytes: a Buffer, 64 hex characters or base64 of 32 bytes';
  if (value instanceof Uint8Array) {
    return value.length === KEY_BYTES
      ? { key: Buffer.from(value) }
      : { problem: `${expected} (got ${value.length} bytes)` };
  }
  if (typeof value !== 'string')
    return { problem: `${expected} (got ${value === null ? 'null' : typeof value})` };
  const text = value.trim();
  if (HEX_KEY.test(text)) return { key: Buffer.from(text, 'hex') };
  if (BASE64.test(text)) {
    const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === KEY_BYTES) return { key: decoded };
    return { problem: `${expected} (got a string that decodes to ${decoded.length} bytes)` };
  }
  return {
    problem: `${expected} (got a string of ${text.length} characters that is neither hex nor base64)`,
  };
}
