import { createHash } from 'node:crypto';

/** Names a token or secret in logs without revealing it: the first 8 hex chars of its SHA-256. */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}
