import { sendFailure } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import { badAppEntity, deleteApp, getApp, listApps, postApp } from './apps.js';
import { authorize } from './auth.js';
import { postOutboundCall } from './calls.js';
import { deleteCustomer, getCustomer, postCustomer } from './customer.js';
import { putDevice } from './device.js';
import { getAppSetting, postAppSetting } from './settings.js';
import type { FakeRouteDef, FakeState } from './state.js';
import { postToken } from './token.js';
import { deleteUserMapping, getUserMapping, postUserMapping } from './users.js';

const ROUTES = new Map<string, FakeRouteDef>([
  ['POST /token', postToken],
  ['POST /customer', postCustomer],
  ['GET /customer', getCustomer],
  ['DELETE /customer', deleteCustomer],
  ['POST /app', postApp],
  ['DELETE /app', deleteApp],
  ['POST /app_setting', postAppSetting],
  ['GET /app_setting', getAppSetting],
  ['POST /usermapping', postUserMapping],
  ['GET /usermapping', getUserMapping],
  ['DELETE /usermapping', deleteUserMapping],
  ['PUT /device', putDevice],
  ['POST /call/outbound_call', postOutboundCall],
]);

/** Finds the handler for a request; `GET /app` serves two routes, told apart by its `entity` query. */
export function resolveRoute(ex: FakeExchange): FakeRouteDef | undefined {
  if (!ex.underBase) return undefined;
  const path = ex.path.length > 1 ? ex.path.replace(/\/+$/, '') : ex.path;
  if (ex.method === 'GET' && path === '/app') {
    const entity = ex.query.entity;
    if (entity === undefined || entity === 'app') return getApp;
    return entity === 'customer' ? listApps : badAppEntity;
  }
  return ROUTES.get(`${ex.method} ${path}`);
}

/** Runs the normal (fault-free) handling: route lookup, token check, handler. */
export function dispatch(ex: FakeExchange, state: FakeState): void {
  const route = resolveRoute(ex);
  if (!route) {
    sendFailure(ex, 404, `Not found: ${ex.method} ${ex.path}`);
    return;
  }
  switch (route.auth) {
    case 'none':
      route.handle(ex, state);
      return;
    case 'customer': {
      const who = authorize(ex, state, 'customer');
      if (who) route.handle(ex, state, who);
      return;
    }
    case 'app': {
      const who = authorize(ex, state, 'app');
      if (who) route.handle(ex, state, who);
      return;
    }
  }
}
