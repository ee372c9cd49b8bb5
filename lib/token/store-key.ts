import { createHash } from 'node:crypto';
import type { CredentialConfig } from '../options/resolved-options.js';

/** Store key of a credential: a hash of baseUrl, entity and Id. The secret never takes part. */
export function storeKeyOf(baseUrl: string, credential: CredentialConfig): string {
  return createHash('sha256')
    .update(`${baseUrl}\n${credential.entity}\n${credential.id}`)
    .digest('hex')
    .slice(0, 32);
}
