import { Inject, Injectable } from '@nestjs/common';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import { ExotelUnknownCredentialError } from '../errors/exotel-unknown-credential.error.js';
import { ExotelHttpService } from '../http/exotel-http.service.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { ExotelCustomerApi } from './customer.api.js';
import { ExotelAppScope } from './exotel-app-scope.js';
import { ExotelCaller, type ExotelCall, type ExotelReply } from './exotel-caller.js';

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
  ) {
    const caller = new ExotelCaller(http);
    super(caller, 'default');
    this.caller = caller;
    this.customer = new ExotelCustomerApi(caller);
  }

  /**
   * The app-token groups bound to a configured named app (`apps: { support: {...} }` in the options).
   * Throws `ExotelUnknownCredentialError` for an app that is not configured.
   * @publicApi
   */
  app(name: string): ExotelAppScope {
    if (name === 'default') return this;
    const known = this.scopes.get(name);
    if (known) return known;
    const apps = this.options.credentials.filter((c) => c.entity === 'app').map((c) => c.app as string);
    if (!apps.includes(name)) {
      throw new ExotelUnknownCredentialError(
        `No app '${String(name).slice(0, 64)}' is configured; configured apps: ${apps.join(', ') || 'none'}`,
      );
    }
    const scope = new ExotelAppScope(this.caller, name);
    this.scopes.set(name, scope);
    return scope;
  }

  /**
   * Any call (for endpoints without a typed method): the token follows `entity`/`app`, the reply is
   * judged like the typed methods' and resolves to `{ data, requestId }`.
   * @publicApi
   */
  request<T = unknown>(call: ExotelCall): Promise<ExotelReply<T>> {
    return this.caller.send<T>(call);
  }
}
