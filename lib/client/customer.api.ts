import { EndpointGroup } from './endpoint-group.js';
import type { ExotelCustomer } from './replies.js';

/**
 * Customer endpoints (`/customer`); they use the customer token.
 * @publicApi
 */
export class ExotelCustomerApi extends EndpointGroup {
  /** `GET /customer`: the account, secret included. */
  async get(): Promise<ExotelCustomer> {
    return this.customerCall<ExotelCustomer>('GET', '/customer');
  }

  /** `DELETE /customer`: irreversible, and cascades to every app. Resolves to Exotel's `Data` (undocumented). */
  async delete(): Promise<unknown> {
    return this.customerCall<unknown>('DELETE', '/customer', { allowEmptyData: true });
  }
}
