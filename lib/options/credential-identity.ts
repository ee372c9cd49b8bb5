import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

/** The app that `options.app` configures and that app-token calls use when they name none. */
export const DEFAULT_APP = 'default';

/** Which credential a call means: the customer, or one named app. */
export interface CredentialIdentity {
  readonly entity: ExotelEntity;
  /** App name for app credentials; undefined for the customer. */
  readonly app?: string;
  /** Stable key: `customer`, `app:<name>`. Status rows, events and timers use it. */
  readonly key: string;
  /** Human name for messages: `customer`, `app 'support'`. */
  readonly label: string;
}

/**
 * A name as it may be quoted in a message: at most 64 characters, anything outside printable ASCII
 * replaced by '?'. Names come from callers and credential sources; control characters could forge
 * log lines.
 */
export function printableName(name: unknown): string {
  return String(name)
    .slice(0, 64)
    .replace(/[^\x20-\x7e]/g, '?');
}

/** The identity of the customer credential or of the app `app` (`default` when omitted). */
export function credentialIdentity(entity: ExotelEntity, app?: string): CredentialIdentity {
  if (entity === 'customer') return CUSTOMER;
  const name = app ?? DEFAULT_APP;
  return { entity, app: name, key: credentialKey(entity, name), label: credentialLabel(entity, name) };
}

/** `customer` or `app:<name>`. */
export function credentialKey(entity: ExotelEntity, app?: string): string {
  return entity === 'customer' ? 'customer' : `app:${app ?? DEFAULT_APP}`;
}

/** `customer` or `app '<name>'`. */
export function credentialLabel(entity: ExotelEntity, app?: string): string {
  return entity === 'customer' ? 'customer' : `app '${app ?? DEFAULT_APP}'`;
}

/**
 * Which credential `(entity, app)` asks for: the app name, or undefined for the customer. No entity
 * and no app: the default app when one is managed, else the customer. An app name alone implies the
 * app entity.
 */
export function requestedApp(
  entity: ExotelEntity | undefined,
  app: string | undefined,
  hasDefaultApp: boolean,
): string | undefined {
  if (entity === 'customer') return undefined;
  if (entity === 'app' || app !== undefined) return app ?? DEFAULT_APP;
  return hasDefaultApp ? DEFAULT_APP : undefined;
}

const CUSTOMER: CredentialIdentity = Object.freeze({
  entity: 'customer',
  key: 'customer',
  label: 'customer',
});
