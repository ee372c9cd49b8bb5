import type { FakeExchange } from './fake-exchange.js';
import { sendFailure, sendSuccess } from './fake-envelope.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './fake-state.js';
import { settingWire } from './fake-wire.js';
import { requireJsonObject, requireStrings } from './fake-validate.js';

/**
 * `POST /app_setting` (§3.9): `{Key, Value}`, both strings. Re-posting a key overwrites it; the real
 * behaviour is undocumented (Q6) and overwriting is what keeps idempotent set-up code working.
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
 * `GET /app_setting?key=` -> one setting; `GET /app_setting` -> all of them (§3.10). Both answer 404 when
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
