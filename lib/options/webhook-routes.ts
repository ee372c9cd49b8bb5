import { timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { Redacted, REDACTED } from '../redaction/redacted.js';

/**
 * The call notifications Exotel sends, named as the app-setting keys that hold their URLs.
 * @publicApi
 */
export const EXOTEL_CALL_KINDS = ['popup', 'incomingCallHangup', 'missedCall', 'callback'] as const;

/**
 * One of {@link EXOTEL_CALL_KINDS}: `popup` (incoming call), `incomingCallHangup`, `missedCall`,
 * `callback` (status of an outbound call).
 * @publicApi
 */
export type ExotelCallKind = (typeof EXOTEL_CALL_KINDS)[number];

/** True for one of the four notification kinds. */
export function isExotelCallKind(value: unknown): value is ExotelCallKind {
  return (EXOTEL_CALL_KINDS as readonly unknown[]).includes(value);
}

/**
 * Injection token through which `ExotelWebhooksModule` publishes its {@link ExotelWebhookRoutes}, so
 * that `client.settings.registerWebhooks()` writes the very URLs the module serves.
 * @publicApi
 */
export const EXOTEL_WEBHOOK_ROUTES = Symbol('EXOTEL_WEBHOOK_ROUTES');

/**
 * Where the webhooks module listens: `POST /<path>/<secret>/<kind>`. The one place that builds
 * these URLs. The secret is the only thing that authenticates Exotel (it cannot sign), so it is
 * kept out of `JSON.stringify` and `util.inspect`.
 * @publicApi
 */
export class ExotelWebhookRoutes {
  /** The secret, printed as a placeholder wherever this object is logged or serialised. */
  readonly secret: Redacted;
  readonly #expected: Buffer;

  constructor(
    /** Route prefix without leading or trailing slash, e.g. `exotel/webhooks`. */
    readonly path: string,
    secret: string,
  ) {
    this.secret = new Redacted(secret);
    this.#expected = Buffer.from(secret);
  }

  /** True when `candidate` is the secret; compared in constant time, so timing reveals no prefix of it. */
  matches(candidate: string): boolean {
    const given = Buffer.from(candidate);
    return given.length === this.#expected.length && timingSafeEqual(given, this.#expected);
  }

  /** `<publicBaseUrl>/<path>/<secret>/<kind>`; `publicBaseUrl` may end with a slash or a path of its own. */
  url(publicBaseUrl: string, kind: ExotelCallKind): string {
    const base = publicBaseUrl.replace(/\/+$/, '');
    return `${base}/${this.path}/${this.secret.reveal()}/${kind}`;
  }

  toJSON(): Record<string, string> {
    return { path: this.path, secret: REDACTED };
  }

  [inspect.custom](): string {
    return `ExotelWebhookRoutes { path: '${this.path}', secret: ${REDACTED} }`;
  }
}
