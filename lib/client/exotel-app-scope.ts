import { ExotelAppsApi } from './apps.api.js';
import { ExotelCallsApi } from './calls.api.js';
import { ExotelDeviceApi } from './device.api.js';
import type { ExotelWebhookRoutes } from '../options/webhook-routes.js';
import type { ExotelCaller } from './exotel-caller.js';
import { ExotelSettingsApi } from './settings.api.js';
import { ExotelUsersApi } from './users.api.js';

/**
 * The endpoint groups bound to one named app: app-token endpoints send that app's token.
 * `ExotelWebrtcClient` is the scope of the app named `default`; `client.app('support')` gives another.
 * @publicApi
 */
export class ExotelAppScope {
  /** Applications: `register`/`list` (customer token), `get`/`delete` (this app). */
  readonly apps: ExotelAppsApi;
  /** App settings of this app. */
  readonly settings: ExotelSettingsApi;
  /** User mappings of this app. */
  readonly users: ExotelUsersApi;
  /** Device switching for users of this app. */
  readonly device: ExotelDeviceApi;
  /** Outbound calls for users of this app. */
  readonly calls: ExotelCallsApi;

  constructor(
    caller: ExotelCaller,
    /** Name of the app whose token app-token endpoints send. */
    readonly appName: string,
    /** The webhooks module's routes, for `settings.registerWebhooks()`. */
    webhooks?: ExotelWebhookRoutes,
  ) {
    this.apps = new ExotelAppsApi(caller, appName);
    this.settings = new ExotelSettingsApi(caller, appName, webhooks);
    this.users = new ExotelUsersApi(caller, appName);
    this.device = new ExotelDeviceApi(caller, appName);
    this.calls = new ExotelCallsApi(caller, appName, this.apps);
  }
}
