import { UpdateDeviceDto } from './dto.js';
import { EndpointGroup } from './endpoint-group.js';
import type { ExotelUserMapping } from './replies.js';
import { validateInput } from './validate-input.js';

/**
 * Device of a user of the bound app (`/device`); app token.
 * @publicApi
 */
export class ExotelDeviceApi extends EndpointGroup {
  /** `PUT /device`: turns a user's phone or browser (sip) device on or off; resolves to the updated user. */
  async update(input: UpdateDeviceDto): Promise<ExotelUserMapping> {
    const body = validateInput(UpdateDeviceDto, input, 'PUT /device');
    return this.call<ExotelUserMapping>('PUT', '/device', { body });
  }
}
