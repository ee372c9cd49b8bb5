import type { FakeModel } from './model.js';

/**
 * Fixed credentials created by `new FakeExotelServer({ seed: true })`, for a sample app that runs against
 * the fake with no set-up. They only ever work against the fake.
 */
export const FAKE_SEED = {
  customer: { id: 'fake-customer-id', secret: 'fake-customer-secret' },
  app: { id: 'fake-app-id', secret: 'fake-app-secret', accountSid: 'fakeaccountsid' },
} as const;

/**
 * Adds the seed customer and app, plus one app setting: Exotel's browser SDK stops on a 404 from
 * `GET /app_setting`, so an app with no settings would be unusable from a browser.
 */
export function seedModel(model: FakeModel): void {
  const { customer, app } = FAKE_SEED;
  model.addCustomer({ id: customer.id, secret: customer.secret, name: 'Seed Customer' });
  const created = model.addApp(customer.id, {
    id: app.id,
    secret: app.secret,
    name: 'Seed App',
    accountSid: app.accountSid,
  });
  created.settings.set('record', 'false');
}
