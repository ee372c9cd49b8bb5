import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeApp, FakeDomain } from '../model/model.js';
import type { AppPrincipal, CustomerPrincipal, FakeRouteDef, FakeState } from './state.js';
import { requireJsonObject, requireStrings } from './validate.js';

/** `POST /app`: registers an app; the only answer that carries its secrets. */
export const postApp: FakeRouteDef = {
  auth: 'customer',
  handle(ex: FakeExchange, state: FakeState, who: CustomerPrincipal): void {
    const body = requireJsonObject(ex);
    const fields = ['AppName', 'ExotelAccountSid', 'ExotelApiKey', 'ExotelApiToken', 'ExotelDomain'];
    if (!body || !requireStrings(ex, body, fields)) return;
    // Accepted in any case ('Singapore' is a common spelling); every response carries it lower-case.
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

/** `GET /app` or `GET /app?entity=app`: the app behind the token. */
export const getApp: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    sendSuccess(ex, appWire(who.app));
  },
};

/** `GET /app?entity=customer`: every app of the customer behind the token. */
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

/** `DELETE /app`: the app is identified by its token. */
export const deleteApp: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, state: FakeState, who: AppPrincipal): void {
    state.model.deleteApp(who.app.id);
    state.tokens.revoke(who.app.id);
    sendSuccess(ex, 'Deleted Successfully');
  },
};

// What a read returns: no secret, API key or API token.
function appWire(app: FakeApp): Record<string, unknown> {
  return {
    AppID: app.id,
    CustomerID: app.customerId,
    AppName: app.name,
    ExotelAccountSid: app.accountSid,
    ExotelDomain: app.domain,
    IsActive: app.isActive,
    CreatedAt: app.createdAt,
    UpdatedAt: app.updatedAt,
  };
}

// The app's secrets are returned once, by the call that creates it, and never again.
function createdAppWire(app: FakeApp): Record<string, unknown> {
  return {
    AppID: app.id,
    AppSecret: app.secret,
    CustomerID: app.customerId,
    AppName: app.name,
    ExotelAccountSid: app.accountSid,
    ExotelApiKey: app.apiKey,
    ExotelApiToken: app.apiToken,
    ExotelDomain: app.domain,
    IsActive: app.isActive,
    CreatedAt: app.createdAt,
    UpdatedAt: app.updatedAt,
  };
}
