import { sendFailure, sendSuccess } from '../http/envelope.js';
import { newCallSid, outboundNotifications } from '../delivery/call-payloads.js';
import type { FakeExchange } from '../http/exchange.js';
import { nowIso } from '../model/model.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './state.js';
import { USER_NOT_FOUND } from './users.js';
import { optionalOfType, requireJsonObject, requireStrings } from './validate.js';

/**
 * `POST /call/outbound_call`: `{customer_id, app_id, to, user_id, custom_field?}`. The ids in the
 * body are not cross-checked against the token, since nothing says the real service does. After the
 * reply, the app's `callback` URL gets the call's status notifications (`active`, then `terminal`).
 */
export const postOutboundCall: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, state: FakeState, who: AppPrincipal): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['customer_id', 'app_id', 'to', 'user_id'])) return;
    if (!optionalOfType(ex, body, 'custom_field', 'string')) return;
    const user = who.app.users.get(body.user_id as string);
    if (!user) {
      sendFailure(ex, 404, USER_NOT_FOUND);
      return;
    }
    const at = nowIso();
    const call = {
      CustomerId: who.app.customerId,
      AppId: who.app.id,
      CallSid: newCallSid(),
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
    };
    sendSuccess(ex, call);
    void state.notifier.notify(who.app, outboundNotifications(who.app, call));
  },
};
