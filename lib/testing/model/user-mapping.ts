import { randomBytes } from 'node:crypto';
import type { ExotelUserMapping } from '../../index.js';
import { encryptSipSecret } from './sip-secret.js';

/**
 * The user-mapping object exactly as it goes on the wire: the client's own type, so the fake and the
 * client cannot drift apart. `SipSecret` is hex(iv) + hex(AES-256-CFB(password)).
 */
export type FakeUserMapping = ExotelUserMapping & { UserDetail: null };

/** One element of the `POST /usermapping` body. */
export interface FakeUserInput {
  AppUserId: string;
  AppUsername: string;
  Email: string;
  ExotelAccountSid: string;
  ExotelUserName: string;
  VirtualNumber: string;
  AgentNumber?: string;
}

/** Fields every element of the `POST /usermapping` body must carry as strings. */
export const REQUIRED_USER_FIELDS = [
  'AppUserId',
  'AppUsername',
  'Email',
  'ExotelAccountSid',
  'ExotelUserName',
  'VirtualNumber',
] as const;

/**
 * Builds the stored mapping with generated Exotel-side ids and an encrypted SIP password, stamped `at`.
 * `app` is typed by shape so this file needs nothing from the model that stores the result.
 */
export function createUserMapping(
  app: { readonly id: string; readonly customerId: string },
  input: FakeUserInput,
  at: string,
): FakeUserMapping {
  return {
    CustomerId: app.customerId,
    AppID: app.id,
    AppUserId: input.AppUserId,
    ExotelAccountSid: input.ExotelAccountSid,
    ExotelUserId: randomBytes(12).toString('hex'),
    AppUsername: input.AppUsername,
    ExotelUserName: input.ExotelUserName,
    AgentNumber: input.AgentNumber ?? '',
    ActiveDeviceId: '',
    PhoneDeviceID: randomBytes(8).toString('hex'),
    SipDeviceID: randomBytes(8).toString('hex'),
    VirtualNumber: input.VirtualNumber,
    Email: input.Email,
    OutboundActive: true,
    Role: 'user',
    SipId: `sip:${sipUserName(input.ExotelUserName)}`,
    // Encrypted once at creation so every read returns the same value, as a stored record would.
    SipSecret: encryptSipSecret(randomBytes(12).toString('base64url')),
    IsActive: true,
    UserDetail: null,
    CreatedAt: at,
    UpdatedAt: at,
  };
}

// Exotel's SIP user names look like 'chiragsd698753c': a slug of the name plus a random suffix.
function sipUserName(exotelUserName: string): string {
  const slug =
    exotelUserName
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 12) || 'user';
  return `${slug}${randomBytes(3).toString('hex')}`;
}
