import { randomBytes } from 'node:crypto';
import type { FakeExchange } from './fake-exchange.js';
import { sendFailure, sendSuccess } from './fake-envelope.js';
import { nowIso } from './fake-model.js';
import { USER_NOT_FOUND } from './fake-routes-users.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './fake-state.js';
import { optionalOfType, requireJsonObject, requireStrings } from './fake-validate.js';

/**
 * `PUT /device` (§3.15): `{UserId, DeviceName?: 'phone'|'sip', DeviceStatus?: boolean}`.
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

/**
 * `POST /call/outbound_call` (§3.16): `{customer_id, app_id, to, user_id, custom_field?}`. The ids in the
 * body are not cross-checked against the token, since nothing says the real service does.
 */
export const postOutboundCall: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['customer_id', 'app_id', 'to', 'user_id'])) return;
    if (!optionalOfType(ex, body, 'custom_field', 'string')) return;
    const user = who.app.users.get(body.user_id as string);
    if (!user) {
      sendFailure(ex, 404, USER_NOT_FOUND);
      return;
    }
    const at = nowIso();
    sendSuccess(ex, {
      CustomerId: who.app.customerId,
      AppId: who.app.id,
      CallSid: randomBytes(16).toString('hex'),
      ExotelAccountSid: user.ExotelAccountSid,
      DialWhomNumber: body.to,
      AppUserID: user.AppUserId,
      VirtualNumber: user.VirtualNumber,
      Direction: 'outbound',
      CallStatus: '',
      CallState: 'active',
      ToNumber: body.to,
      FromNumber: user.SipId,
      TotalDuration: 0,
      CallRecordings: '',
      AccountDomain: who.app.domain,
      TicketId: '',
      CallDetail: null,
      CreatedAt: at,
      UpdatedAt: at,
    });
  },
};
