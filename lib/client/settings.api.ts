import { AddSettingDto } from './dto/add-setting.dto.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelAppSetting } from './interfaces/exotel-app-setting.interface.js';
import { validateInput } from './validate-input.js';
import { requireText } from './require-text.js';

/**
 * App settings of the bound app (exotel-api.md §3.9, §3.10); app token.
 * @publicApi
 */
export class ExotelSettingsApi {
  constructor(
    private readonly caller: ExotelCaller,
    private readonly app: string,
  ) {}

  /** `POST /app_setting`: adds (or, on the fake, overwrites) one setting. */
  async add(input: AddSettingDto): Promise<ExotelAppSetting> {
    const body = validateInput(AddSettingDto, input, 'POST /app_setting');
    return (
      await this.caller.send<ExotelAppSetting>({
        method: 'POST',
        path: '/app_setting',
        body,
        entity: 'app',
        app: this.app,
      })
    ).data;
  }

  /** `GET /app_setting?key=`: one setting; `ExotelNotFoundError` when the key is not set. */
  async get(key: string): Promise<ExotelAppSetting> {
    requireText(key, 'key', 'GET /app_setting');
    const call = {
      method: 'GET',
      path: '/app_setting',
      params: { key },
      entity: 'app',
      app: this.app,
    } as const;
    return (await this.caller.send<ExotelAppSetting>(call)).data;
  }

  /** `GET /app_setting`: every setting. Exotel answers 404 (`ExotelNotFoundError`) while the app has none. */
  async list(): Promise<ExotelAppSetting[]> {
    const { data } = await this.caller.send<ExotelAppSetting[] | ExotelAppSetting>({
      method: 'GET',
      path: '/app_setting',
      entity: 'app',
      app: this.app,
    });
    return Array.isArray(data) ? data : [data];
  }
}
