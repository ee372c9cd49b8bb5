import type { FakeApp, FakeCustomer } from './fake-model.js';

/** Customer object of §3.2/§3.3 (the secret is returned, as documented). */
export function customerWire(customer: FakeCustomer): Record<string, unknown> {
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

/** App object of §3.6 (GET: no secret, API key or token). */
export function appWire(app: FakeApp): Record<string, unknown> {
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

/** App object of §3.5: secrets are only ever returned by the create call. */
export function createdAppWire(app: FakeApp): Record<string, unknown> {
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

/** App setting object of §3.9/§3.10. */
export function settingWire(app: FakeApp, key: string, value: string): Record<string, unknown> {
  return { CustomerID: app.customerId, AppID: app.id, Key: key, Value: value };
}
