import { randomBytes, randomUUID } from 'node:crypto';
import type { FakeUserMapping } from './user-mapping.js';

/** Exotel regions an app can be bound to. */
export type FakeDomain = 'mumbai' | 'singapore';

/** A customer account, the root of its apps. */
export interface FakeCustomer {
  id: string;
  secret: string;
  name: string;
  email: string;
  createdAt: string;
  updatedAt: string;
}

/** An application under a customer, with its settings and user mappings. */
export interface FakeApp {
  id: string;
  secret: string;
  customerId: string;
  name: string;
  accountSid: string;
  apiKey: string;
  apiToken: string;
  domain: FakeDomain;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
  settings: Map<string, string>;
  /** Keyed by AppUserId; a Map keeps registration order for pagination. */
  users: Map<string, FakeUserMapping>;
}

/** Input accepted by {@link FakeModel.addCustomer}. */
export interface FakeCustomerInput {
  id?: string;
  secret?: string;
  name?: string;
  email?: string;
}

/** Input accepted by {@link FakeModel.addApp}. */
export interface FakeAppInput {
  id?: string;
  secret?: string;
  name?: string;
  accountSid?: string;
  domain?: FakeDomain;
  apiKey?: string;
  apiToken?: string;
  isActive?: boolean;
}

/** Current time as the ISO string every timestamp field carries. */
export function nowIso(): string {
  return new Date(Date.now()).toISOString();
}

/** The in-memory customer -> apps -> settings / users tree. */
export class FakeModel {
  readonly customers = new Map<string, FakeCustomer>();
  readonly apps = new Map<string, FakeApp>();

  addCustomer(input: FakeCustomerInput = {}): FakeCustomer {
    const id = input.id ?? randomUUID();
    this.assertFreeId(id);
    const at = nowIso();
    const customer: FakeCustomer = {
      id,
      secret: input.secret ?? randomUUID(),
      name: input.name ?? 'Fake Customer',
      email: input.email ?? `${id}@example.test`,
      createdAt: at,
      updatedAt: at,
    };
    this.customers.set(id, customer);
    return customer;
  }

  addApp(customerId: string, input: FakeAppInput = {}): FakeApp {
    if (!this.customers.has(customerId))
      throw new Error(`FakeExotelServer: unknown customer '${customerId}'`);
    const id = input.id ?? randomUUID();
    this.assertFreeId(id);
    const at = nowIso();
    const app: FakeApp = {
      id,
      secret: input.secret ?? randomUUID(),
      customerId,
      name: input.name ?? 'Fake App',
      accountSid: input.accountSid ?? `fake${randomBytes(4).toString('hex')}`,
      apiKey: input.apiKey ?? randomBytes(16).toString('hex'),
      apiToken: input.apiToken ?? randomBytes(16).toString('hex'),
      domain: input.domain ?? 'mumbai',
      isActive: input.isActive ?? true,
      createdAt: at,
      updatedAt: at,
      settings: new Map(),
      users: new Map(),
    };
    this.apps.set(id, app);
    return app;
  }

  appsOf(customerId: string): FakeApp[] {
    return [...this.apps.values()].filter((app) => app.customerId === customerId);
  }

  /** Removes an app with its settings and users. */
  deleteApp(appId: string): void {
    this.apps.delete(appId);
  }

  /** Removes a customer and, with it, its apps; returns the ids of the apps removed. */
  deleteCustomer(customerId: string): string[] {
    const appIds = this.appsOf(customerId).map((app) => app.id);
    appIds.forEach((id) => this.apps.delete(id));
    this.customers.delete(customerId);
    return appIds;
  }

  // Tokens are counted per Id, so a customer and an app sharing an Id would blur every per-Id helper.
  private assertFreeId(id: string): void {
    if (this.customers.has(id) || this.apps.has(id)) {
      throw new Error(`FakeExotelServer: id '${id}' is already in use`);
    }
  }
}
