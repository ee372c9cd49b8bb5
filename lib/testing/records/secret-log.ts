import { isExotelCallKind } from '../../options/webhook-routes.js';
import type { FakeModel } from '../model/model.js';
import type { FakeTokenRegistry } from '../model/tokens.js';

// Compared lower-case so 'secret' or 'SIPSECRET' sent by a sloppy client counts too.
const SECRET_KEYS = new Set(['secret', 'customersecret', 'appsecret', 'exotelapitoken', 'sipsecret']);

/** True for a property name whose value is a secret: the log keeps such values, the recorder masks them. */
export function isSecretName(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/**
 * True when `owner[key]` holds a secret: a secret-named property, or the `Value` of an app setting that
 * names a call notification URL (`{ Key: 'callback', Value }`), whose path carries the webhook secret.
 */
export function isSecretField(owner: object, key: string): boolean {
  if (isSecretName(key)) return true;
  const settingKey = (owner as { Key?: unknown }).Key;
  return key === 'Value' && typeof settingKey === 'string' && isExotelCallKind(settingKey);
}

/**
 * Every secret-like value the fake has seen or handed out, so a test suite can scan its logs for them.
 * Values received are kept too: a wrong secret a test sends on purpose must not leak either.
 */
export class FakeSecretLog {
  private readonly values = new Set<string>();

  add(value: unknown): void {
    if (typeof value === 'string' && value !== '') this.values.add(value);
  }

  /** Collects the values of secret-named properties of a parsed request body, at any depth. */
  collect(body: unknown, depth = 0): void {
    if (body === null || typeof body !== 'object' || depth > 8) return;
    for (const [key, inner] of Object.entries(body)) {
      if (isSecretField(body, key)) this.add(inner);
      else this.collect(inner, depth + 1);
    }
  }

  /** Seen values plus everything the model and the token registry hold right now. */
  list(model: FakeModel, tokens: FakeTokenRegistry): string[] {
    const all = new Set(this.values);
    for (const customer of model.customers.values()) all.add(customer.secret);
    for (const app of model.apps.values()) {
      [app.secret, app.apiToken].forEach((value) => all.add(value));
      for (const user of app.users.values()) all.add(user.SipSecret);
    }
    for (const token of tokens.allTokens()) all.add(token);
    return [...all].filter((value) => value !== '');
  }
}
