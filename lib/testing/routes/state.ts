import type { FakeCallNotifier } from '../delivery/call-notifier.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeApp, FakeCustomer, FakeModel } from '../model/model.js';
import type { FakeTokenRegistry } from '../model/tokens.js';
import type { FakeRecorder } from '../records/recorder.js';

/** Settings the server can change at runtime (setTokenTtlMs, setAcceptBearer, setRevokeOnMint). */
export interface FakeConfig {
  tokenTtlMs: number;
  acceptBearer: boolean;
  revokeOnMint: boolean;
}

/** Everything route handlers may read or change. */
export interface FakeState {
  readonly model: FakeModel;
  readonly tokens: FakeTokenRegistry;
  readonly recorder: FakeRecorder;
  readonly config: FakeConfig;
  /** Sends call notifications to the URLs in app settings. */
  readonly notifier: FakeCallNotifier;
}

/** The caller behind a customer token. */
export interface CustomerPrincipal {
  entity: 'customer';
  customer: FakeCustomer;
}

/** The caller behind an app token. */
export interface AppPrincipal {
  entity: 'app';
  app: FakeApp;
  customer: FakeCustomer;
}

/** A route handler, typed by the token it needs so handlers never re-check the entity. */
export type FakeRouteDef =
  | { auth: 'none'; handle: (ex: FakeExchange, state: FakeState) => void }
  | { auth: 'customer'; handle: (ex: FakeExchange, state: FakeState, who: CustomerPrincipal) => void }
  | { auth: 'app'; handle: (ex: FakeExchange, state: FakeState, who: AppPrincipal) => void };
