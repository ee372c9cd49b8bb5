import { Inject, Injectable, Optional } from '@nestjs/common';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import { ExotelUnknownCredentialError } from '../errors/exotel.error.js';
import { ExotelHttpService } from '../http/exotel-http.service.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { credentialLabel, printableName } from '../options/credential-identity.js';
import { EXOTEL_WEBHOOK_ROUTES, type ExotelWebhookRoutes } from '../options/webhook-routes.js';
import { TokenService } from '../token/token.service.js';
import { ExotelCustomerApi } from './customer.api.js';
import { ExotelAppScope } from './exotel-app-scope.js';
import { ExotelCaller, type ExotelCall, type ExotelReply } from './exotel-caller.js';
import { validateCall } from './validate-input.js';

/**
 * Typed Exotel integrations API: `client.customer.get()`, `client.apps.register(dto)`,
 * `client.users.get(id)`, `client.calls.outbound(dto)`, … Tokens are added and renewed by the
 * interceptor; inputs are validated before anything is sent; replies are unwrapped into `Data`; every
 * failure is a typed `ExotelError` with Exotel's `RequestId`. App-token groups use the app named
 * `default`; `client.app('support')` binds them to another configured app.
 * @publicApi
 */
@Injectable()
export class ExotelWebrtcClient extends ExotelAppScope {
  /** The customer account (customer token). */
  readonly customer: ExotelCustomerApi;
  private readonly caller: ExotelCaller;
  private readonly scopes = new Map<string, ExotelAppScope>();

  constructor(
    http: ExotelHttpService,
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) private readonly options: ResolvedExotelOptions,
    private readonly tokens: TokenService,
    @Optional() @Inject(EXOTEL_WEBHOOK_ROUTES) private readonly webhooks?: ExotelWebhookRoutes,
  ) {
    const caller = new ExotelCaller(http);
    super(caller, 'default', webhooks);
    this.caller = caller;
    this.customer = new ExotelCustomerApi(caller);
  }

  /**
   * The app-token groups bound to a managed app: configured (`apps: { support: {...} }`), added with
   * `TokenService.addApp()`, or known to the credential source. Throws `ExotelUnknownCredentialError`
   * for an app that is none of these.
   * @publicApi
   */
  app(name: string): ExotelAppScope {
    if (name === 'default') return this;
    const known = this.scopes.get(name);
    if (known) return known;
    this.assertKnownApp(name);
    const scope = new ExotelAppScope(this.caller, name, this.webhooks);
    // Bounded: with apps added at runtime the names are unbounded, and a scope is cheap to rebuild.
    if (this.scopes.size >= MAX_CACHED_SCOPES) this.scopes.delete(this.scopes.keys().next().value!);
    this.scopes.set(name, scope);
    return scope;
  }

  /**
   * Any call (for endpoints without a typed method): the token follows `entity`/`app`, the reply is
   * judged like the typed methods' and resolves to `{ data, requestId }`. `path` is relative to
   * baseUrl: an absolute or protocol-relative URL, a body that cannot be sent as JSON or text that
   * cannot be encoded is refused with `ExotelRequestError`, and nothing is sent.
   * @publicApi
   */
  async request<T = unknown>(call: ExotelCall): Promise<ExotelReply<T>> {
    return this.caller.send<T>(validateCall(call));
  }

  // The one place that decides which apps exist, so that apps added at runtime need only change it.
  /** Managed apps (configured, added or learned) pass; with a credential source, any name may be learnable. */
  private assertKnownApp(name: string): void {
    if (this.tokens.hasApp(name) || this.options.credentialSource) return;
    throw new ExotelUnknownCredentialError(
      `No ${credentialLabel('app', printableName(name))} is managed; add it with TokenService.addApp() or configure it in the options`,
    );
  }
}

const MAX_CACHED_SCOPES = 1_000;
