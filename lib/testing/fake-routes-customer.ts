import type { FakeExchange } from './fake-exchange.js';
import { sendFailure, sendSuccess } from './fake-envelope.js';
import type { FakeDomain } from './fake-model.js';
import type { AppPrincipal, CustomerPrincipal, FakeRouteDef, FakeState } from './fake-state.js';
import { appWire, createdAppWire, customerWire } from './fake-wire.js';
import { requireJsonObject, requireStrings } from './fake-validate.js';

/** `POST /customer` (§3.2): unauthenticated, `{CustomerName, Email}`. */
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

/** `GET /customer` (§3.3). */
export const getCustomer: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, _state: FakeState, who: CustomerPrincipal): void {
    sendSuccess(ex, customerWire(who.customer));
  },
};

/** `DELETE /customer` (§3.4): cascades to apps and revokes every token of the tree. */
export const deleteCustomer: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, state: FakeState, who: CustomerPrincipal): void {
    const appIds = state.model.deleteCustomer(who.customer.id);
    [who.customer.id, ...appIds].forEach((id) => state.tokens.revoke(id));
    sendSuccess(ex, 'Deleted Successfully');
  },
};

/** `POST /app` (§3.5): registers an app; the only answer that carries its secrets. */
export const postApp: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, state: FakeState, who: CustomerPrincipal): void {
    const body = requireJsonObject(ex);
    const fields = ['AppName', 'ExotelAccountSid', 'ExotelApiKey', 'ExotelApiToken', 'ExotelDomain'];
    if (!body || !requireStrings(ex, body, fields)) return;
    // L writes the domain as "Singapore/Mumbai" but every response is lower-case.
    const domain = (body.ExotelDomain as string).toLowerCase();
    if (domain !== 'mumbai' && domain !== 'singapore') {
      sendFailure(ex, 400, "Invalid request: ExotelDomain must be 'mumbai' or 'singapore'");
      return;
    }
    if (typeof body.IsActive !== 'boolean') {
      sendFailure(ex, 400, 'Invalid request: IsActive is required and must be a boolean');
      return;
    }
    const app = state.model.addApp(who.customer.id, {
      name: body.AppName as string,
      accountSid: body.ExotelAccountSid as string,
      apiKey: body.ExotelApiKey as string,
      apiToken: body.ExotelApiToken as string,
      domain: domain as FakeDomain,
      isActive: body.IsActive,
    });
    sendSuccess(ex, createdAppWire(app));
  },
};

/** `GET /app` or `GET /app?entity=app` (§3.6): the app behind the token. */
export const getApp: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    sendSuccess(ex, appWire(who.app));
  },
};

/** `GET /app?entity=customer` (§3.7): every app of the customer behind the token. */
export const listApps: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, state: FakeState, who: CustomerPrincipal): void {
    sendSuccess(ex, state.model.appsOf(who.customer.id).map(appWire));
  },
};

/** `GET /app?entity=<anything else>`: refused before any token check, like a query validator would. */
export const badAppEntity: FakeRouteDef = {
  auth: 'none',
  handle(ex: FakeExchange): void {
    sendFailure(ex, 400, "Invalid request: entity must be 'app' or 'customer'");
  },
};

/** `DELETE /app` (§3.8): the app is identified by its token. */
export const deleteApp: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, state: FakeState, who: AppPrincipal): void {
    state.model.deleteApp(who.app.id);
    state.tokens.revoke(who.app.id);
    sendSuccess(ex, 'Deleted Successfully');
  },
};
