import { createHash } from 'node:crypto';
import { ExotelUnknownCredentialError } from '../errors/exotel.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import { credentialLabel, DEFAULT_APP, printableName, requestedApp } from '../options/credential-identity.js';
import type { CredentialConfig, ResolvedExotelOptions } from '../options/resolved-options.js';
import type { RefreshPolicy } from '../scheduling/refresh-policy.js';
import { CredentialSlot } from './credential-slot.js';

/** The slots of all managed credentials, and the lookup from `(entity, app)` to one of them. */
export class SlotRegistry {
  private customer?: CredentialSlot;
  /** App slots by app name: looked up without building a key on every request. */
  private readonly apps = new Map<string, CredentialSlot>();

  constructor(
    private readonly options: ResolvedExotelOptions,
    private readonly policy: RefreshPolicy,
  ) {
    for (const credential of options.credentials) this.add(credential);
  }

  all(): CredentialSlot[] {
    const apps = [...this.apps.values()];
    return this.customer ? [this.customer, ...apps] : apps;
  }

  get size(): number {
    return this.apps.size + (this.customer ? 1 : 0);
  }

  add(credential: CredentialConfig, learned = false): CredentialSlot {
    const key = storeKeyOf(this.options.baseUrl, credential);
    const slot = new CredentialSlot(credential, key, this.policy, learned);
    if (credential.entity === 'customer') this.customer = slot;
    else this.apps.set(credential.app!, slot);
    return slot;
  }

  /** Gives a slot new credentials (its store key follows the Id). */
  rotate(slot: CredentialSlot, credential: CredentialConfig): void {
    slot.rotate(credential, storeKeyOf(this.options.baseUrl, credential));
  }

  /** The app slots, for sweeps over all apps. */
  appSlots(): IterableIterator<CredentialSlot> {
    return this.apps.values();
  }

  /** The slot of app `name`, if managed. */
  app(name: string): CredentialSlot | undefined {
    return this.apps.get(name);
  }

  delete(slot: CredentialSlot): void {
    if (slot === this.customer) this.customer = undefined;
    else if (this.apps.get(slot.config.app!) === slot) this.apps.delete(slot.config.app!);
  }

  /** The slot `(entity, app)` asks for, or undefined when that credential is not managed. */
  find(entity?: ExotelEntity, app?: string): CredentialSlot | undefined {
    const name = requestedApp(entity, app, this.apps.has(DEFAULT_APP));
    return name === undefined ? this.customer : this.apps.get(name);
  }

  /** Like `find`, but throws `ExotelUnknownCredentialError` naming what is managed. */
  resolve(entity?: ExotelEntity, app?: string): CredentialSlot {
    const slot = this.find(entity, app);
    if (slot) return slot;
    throw this.unknown(entity, app);
  }

  unknown(entity?: ExotelEntity, app?: string): ExotelUnknownCredentialError {
    const name = requestedApp(entity, app, this.apps.has(DEFAULT_APP));
    const wanted = credentialLabel(name === undefined ? 'customer' : 'app', printableName(name));
    const managed =
      this.size > 20
        ? `${this.size} credentials`
        : this.all()
            .map((s) => s.config.label)
            .join(', ');
    return new ExotelUnknownCredentialError(
      `No ${wanted} credential is configured; configured: ${managed || 'none'}. Configure it in the ExotelWebrtcModule options or add it with TokenService.addApp().`,
    );
  }
}

/** Store key of a credential: a hash of baseUrl, entity and Id. The secret never takes part. */
export function storeKeyOf(baseUrl: string, credential: Pick<CredentialConfig, 'entity' | 'id'>): string {
  return createHash('sha256')
    .update(`${baseUrl}\n${credential.entity}\n${credential.id}`)
    .digest('hex')
    .slice(0, 32);
}
