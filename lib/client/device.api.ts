import { UpdateDeviceDto } from './dto/update-device.dto.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelUserMapping } from './interfaces/exotel-user-mapping.interface.js';
import { validateInput } from './validate-input.js';

/**
 * Device of a user of the bound app (exotel-api.md §3.15); app token.
 * @publicApi
 */
export class ExotelDeviceApi {
  constructor(
    private readonly caller: ExotelCaller,
    private readonly app: string,
  ) {}

  /** `PUT /device`: turns a user's phone or browser (sip) device on or off; resolves to the updated user. */
  async update(input: UpdateDeviceDto): Promise<ExotelUserMapping> {
    const body = validateInput(UpdateDeviceDto, input, 'PUT /device');
    return (
      await this.caller.send<ExotelUserMapping>({
        method: 'PUT',
        path: '/device',
        body,
        entity: 'app',
        app: this.app,
      })
    ).data;
  }
}
