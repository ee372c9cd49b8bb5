import { ValidateBy } from 'class-validator';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { baseUrlProblem } from '../options/validate-base-url.js';
import { EXOTEL_CALL_KINDS, type ExotelWebhookRoutes } from '../options/webhook-routes.js';
import { AddSettingDto } from './dto.js';
import { asList, EndpointGroup } from './endpoint-group.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelAppSetting } from './replies.js';
import { requireId, validateInput } from './validate-input.js';

/** The public base URL rule: the baseUrl one (https unless loopback), since the URL carries the secret. */
class WebhookBaseDto {
  @ValidateBy({
    name: 'isWebhookBase',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && baseUrlProblem(value) === undefined,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? baseUrlProblem(args.value)! : 'must be a string',
    },
  })
  publicBaseUrl!: string;
}

/** Options of {@link ExotelSettingsApi.registerWebhooks}. */
export interface RegisterWebhooksOptions {
  /** Named app whose settings are written (its token is sent); default: the app this group is bound to. */
  app?: string;
}

/**
 * App settings of the bound app (`/app_setting`); app token.
 * @publicApi
 */
export class ExotelSettingsApi extends EndpointGroup {
  constructor(
    caller: ExotelCaller,
    app: string,
    /** Published by `ExotelWebhooksModule`; absent when the app does not receive webhooks. */
    private readonly webhooks?: ExotelWebhookRoutes,
  ) {
    super(caller, app);
  }

  /** `POST /app_setting`: adds (or, on the fake, overwrites) one setting. */
  async add(input: AddSettingDto): Promise<ExotelAppSetting> {
    const body = validateInput(AddSettingDto, input, 'POST /app_setting');
    return this.call<ExotelAppSetting>('POST', '/app_setting', { body });
  }

  /** `GET /app_setting?key=`: one setting; `ExotelNotFoundError` when the key is not set. */
  async get(key: string): Promise<ExotelAppSetting> {
    requireId(key, 'key', 'GET /app_setting');
    return this.call<ExotelAppSetting>('GET', '/app_setting', { params: { key } });
  }

  /** `GET /app_setting`: every setting. Exotel answers 404 (`ExotelNotFoundError`) while the app has none. */
  async list(): Promise<ExotelAppSetting[]> {
    return asList(await this.call<ExotelAppSetting[] | ExotelAppSetting>('GET', '/app_setting'));
  }

  /**
   * Points the app's four notification settings (`popup`, `incomingCallHangup`, `missedCall`,
   * `callback`) at the routes `ExotelWebhooksModule` serves: `<publicBaseUrl>/<path>/<secret>/<kind>`,
   * one `POST /app_setting` each. `publicBaseUrl` is where Exotel reaches this app from the internet
   * (https; plain http only for loopback hosts, since the URL carries the secret). Throws
   * `ExotelConfigError` when `ExotelWebhooksModule` is not imported (it publishes the routes globally).
   */
  async registerWebhooks(
    publicBaseUrl: string,
    options: RegisterWebhooksOptions = {},
  ): Promise<ExotelAppSetting[]> {
    const what = 'settings.registerWebhooks()';
    if (!this.webhooks) {
      throw new ExotelConfigError(
        [`${what}: ExotelWebhooksModule is not imported, so there are no webhook routes to register`],
        'webhook setup',
      );
    }
    validateInput(WebhookBaseDto, { publicBaseUrl }, what);
    const app = options.app ?? this.app;
    const written: ExotelAppSetting[] = [];
    for (const kind of EXOTEL_CALL_KINDS) {
      const body = { Key: kind, Value: this.webhooks.url(publicBaseUrl, kind) };
      const reply = await this.caller.send<ExotelAppSetting>({
        method: 'POST',
        path: '/app_setting',
        body,
        entity: 'app',
        app,
        secrets: [this.webhooks.secret.reveal()],
      });
      written.push(reply.data);
    }
    return written;
  }
}
