import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import { nowIso } from '../model/model.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './state.js';
import { USER_NOT_FOUND } from './users.js';
import { optionalOfType, requireJsonObject, requireStrings } from './validate.js';

/**
 * `PUT /device`: `{UserId, DeviceName?: 'phone'|'sip', DeviceStatus?: boolean}`.
 * Turning on needs a DeviceName; turning off without one (or naming the active device) clears the active device.
 */
export const putDevice: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['UserId'])) return;
    if (
      !optionalOfType(ex, body, 'DeviceName', 'string') ||
      !optionalOfType(ex, body, 'DeviceStatus', 'boolean')
    ) {
      return;
    }
    const name = body.DeviceName as string | undefined;
    if (name !== undefined && name !== 'phone' && name !== 'sip') {
      sendFailure(ex, 400, "Invalid request: DeviceName must be 'phone' or 'sip'");
      return;
    }
    const on = (body.DeviceStatus as boolean | undefined) ?? true;
    if (on && name === undefined) {
      sendFailure(ex, 400, 'Invalid request: DeviceName is required when turning a device on');
      return;
    }
    const user = who.app.users.get(body.UserId as string);
    if (!user) {
      sendFailure(ex, 404, USER_NOT_FOUND);
      return;
    }
    const deviceId = name === 'phone' ? user.PhoneDeviceID : name === 'sip' ? user.SipDeviceID : undefined;
    if (on) user.ActiveDeviceId = deviceId as string;
    else if (deviceId === undefined || user.ActiveDeviceId === deviceId) user.ActiveDeviceId = '';
    user.UpdatedAt = nowIso();
    sendSuccess(ex, user);
  },
};
