import type { ExotelAppsApi } from './apps.api.js';
import { OutboundCallDto } from './dto.js';
import { EndpointGroup } from './endpoint-group.js';
import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelOutboundCall } from './replies.js';
import { validateInput } from './validate-input.js';

/**
 * Calls placed for users of the bound app (`/call`); app token.
 * @publicApi
 */
export class ExotelCallsApi extends EndpointGroup {
  constructor(
    caller: ExotelCaller,
    app: string,
    /** Reads the app's ids when a call leaves them out. */
    private readonly apps: ExotelAppsApi,
  ) {
    super(caller, app);
  }

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
    return this.call<ExotelOutboundCall>('POST', '/call/outbound_call', { body });
  }
}
