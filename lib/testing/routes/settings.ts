import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeApp } from '../model/model.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './state.js';
import { requireJsonObject, requireStrings } from './validate.js';

/**
 * `POST /app_setting`: `{Key, Value}`, both strings. Re-posting a key overwrites it; Exotel does not
 * document what the real service does, and overwriting is what keeps idempotent set-up code working.
 */
export const postAppSetting: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['Key'])) return;
    if (typeof body.Value !== 'string') {
      sendFailure(ex, 400, 'Invalid request: Value is required and must be a string');
      return;
    }
    who.app.settings.set(body.Key as string, body.Value);
    sendSuccess(ex, settingWire(who.app, body.Key as string, body.Value));
  },
};

/**
 * `GET /app_setting?key=` -> one setting; `GET /app_setting` -> all of them. Both answer 404 when
 * there is nothing to return, which is what stops Exotel's browser SDK on an app without settings.
 */
export const getAppSetting: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const { settings } = who.app;
    const key = ex.query.key;
    if (key !== undefined) {
      const value = settings.get(key);
      if (value === undefined) sendFailure(ex, 404, 'App setting not found');
      else sendSuccess(ex, settingWire(who.app, key, value));
      return;
    }
    if (settings.size === 0) {
      sendFailure(ex, 404, 'App setting not found');
      return;
    }
    sendSuccess(
      ex,
      [...settings].map(([name, value]) => settingWire(who.app, name, value)),
    );
  },
};

function settingWire(app: FakeApp, key: string, value: string): Record<string, unknown> {
  return { CustomerID: app.customerId, AppID: app.id, Key: key, Value: value };
}
