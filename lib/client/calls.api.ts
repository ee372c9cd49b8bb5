import { OutboundCallDto } from './dto/outbound-call.dto.js';
import type { ExotelAppsApi } from './apps.api.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelOutboundCall } from './interfaces/exotel-outbound-call.interface.js';
import { validateInput } from './validate-input.js';

/**
 * Calls placed for users of the bound app (exotel-api.md §3.16); app token.
 * @publicApi
 */
export class ExotelCallsApi {
  constructor(
    private readonly caller: ExotelCaller,
    private readonly app: string,
    private readonly apps: ExotelAppsApi,
  ) {}

  /**
   * `POST /call/outbound_call`: rings the user's active device, then dials `to`. Without `customer_id`
   * and `app_id` they are read from `GET /app` first.
   */
  async outbound(input: OutboundCallDto): Promise<ExotelOutboundCall> {
    const body = validateInput(OutboundCallDto, input, 'POST /call/outbound_call');
    if (body.customer_id === undefined || body.app_id === undefined) {
      const app = await this.apps.get();
      body.customer_id ??= app.CustomerID;
      body.app_id ??= app.AppID;
    }
    const call = { method: 'POST', path: '/call/outbound_call', body, entity: 'app', app: this.app } as const;
    return (await this.caller.send<ExotelOutboundCall>(call)).data;
  }
}
