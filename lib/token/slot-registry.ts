import { ExotelUnknownCredentialError } from '../errors/exotel-unknown-credential.error.js';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { CredentialSlot } from './credential-slot.js';
import { storeKeyOf } from './store-key.js';

/** The slots of all configured credentials, and the rule that picks one from `(entity, app)`. */
export class SlotRegistry {
  private readonly slots = new Map<string, CredentialSlot>();

  constructor(options: ResolvedExotelOptions) {
    for (const credential of options.credentials) {
      this.slots.set(credential.key, new CredentialSlot(credential, storeKeyOf(options.baseUrl, credential)));
    }
  }

  all(): CredentialSlot[] {
    return [...this.slots.values()];
  }

  /**
   * No entity and no app: the default app if configured, else the customer. An app name alone
   * implies the app entity.
   */
  resolve(entity?: ExotelEntity, app?: string): CredentialSlot {
    // Hot path (every downstream request): the two common lookups without building a key.
    if (app === undefined && entity !== 'customer') {
      const byDefault = this.slots.get('app:default');
      if (byDefault) return byDefault;
    }
    let key: string;
    if (entity === 'customer') key = 'customer';
    else if (entity === 'app' || app !== undefined) key = `app:${app ?? 'default'}`;
    else key = this.slots.has('app:default') ? 'app:default' : 'customer';
    const slot = this.slots.get(key);
    if (slot) return slot;
    const wanted = key === 'customer' ? 'customer' : `app '${key.slice(4)}'`;
    const configured = this.all()
      .map((s) => s.config.label)
      .join(', ');
    throw new ExotelUnknownCredentialError(
      `No ${wanted} credential is configured; configured: ${configured}. Add it to the ExotelWebrtcModule options.`,
    );
  }
}
