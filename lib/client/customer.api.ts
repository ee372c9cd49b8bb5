import type { ExotelCaller } from './exotel-caller.js';
import type { ExotelCustomer } from './interfaces/exotel-customer.interface.js';

/**
 * Customer endpoints; they use the customer token (exotel-api.md §3.3, §3.4).
 * @publicApi
 */
export class ExotelCustomerApi {
  constructor(private readonly caller: ExotelCaller) {}

  /** `GET /customer`: the account, secret included. */
  async get(): Promise<ExotelCustomer> {
    return (await this.caller.send<ExotelCustomer>({ method: 'GET', path: '/customer', entity: 'customer' }))
      .data;
  }

  /** `DELETE /customer`: irreversible, and cascades to every app. Resolves to Exotel's `Data` (undocumented). */
  async delete(): Promise<unknown> {
    const call = { method: 'DELETE', path: '/customer', entity: 'customer', allowEmptyData: true } as const;
    return (await this.caller.send<unknown>(call)).data;
  }
}
