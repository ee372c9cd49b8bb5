import { sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeCustomer } from '../model/model.js';
import type { CustomerPrincipal, FakeRouteDef, FakeState } from './state.js';
import { requireJsonObject, requireStrings } from './validate.js';

/** `POST /customer`: unauthenticated, `{CustomerName, Email}`. */
export const postCustomer: FakeRouteDef = {
  auth: 'none',
  handle(ex: FakeExchange, state: FakeState): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['CustomerName', 'Email'])) return;
    const customer = state.model.addCustomer({
      name: body.CustomerName as string,
      email: body.Email as string,
    });
    sendSuccess(ex, customerWire(customer));
  },
};

/** `GET /customer`: the customer behind the token. */
export const getCustomer: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, _state: FakeState, who: CustomerPrincipal): void {
    sendSuccess(ex, customerWire(who.customer));
  },
};

/** `DELETE /customer`: cascades to apps and revokes every token of the tree. */
export const deleteCustomer: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, state: FakeState, who: CustomerPrincipal): void {
    const appIds = state.model.deleteCustomer(who.customer.id);
    [who.customer.id, ...appIds].forEach((id) => state.tokens.revoke(id));
    sendSuccess(ex, 'Deleted Successfully');
  },
};

// Unlike an app, a customer object carries its secret on every read, as Exotel documents it.
function customerWire(customer: FakeCustomer): Record<string, unknown> {
  return {
    CustomerID: customer.id,
    CustomerSecret: customer.secret,
    CustomerName: customer.name,
    Email: customer.email,
    CustomerSetting: null,
    CreatedAt: customer.createdAt,
    UpdatedAt: customer.updatedAt,
    DeletedAt: false,
  };
}
