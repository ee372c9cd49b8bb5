import { AddSettingDto } from './dto.js';
import { asList, EndpointGroup } from './endpoint-group.js';
import type { ExotelAppSetting } from './replies.js';
import { requireId, validateInput } from './validate-input.js';

/**
 * App settings of the bound app (`/app_setting`); app token.
 * @publicApi
 */
export class ExotelSettingsApi extends EndpointGroup {
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
}
