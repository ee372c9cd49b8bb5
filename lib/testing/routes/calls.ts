import { randomBytes } from 'node:crypto';
import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import { nowIso } from '../model/model.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './state.js';
import { USER_NOT_FOUND } from './users.js';
import { optionalOfType, requireJsonObject, requireStrings } from './validate.js';

/**
 * `POST /call/outbound_call`: `{customer_id, app_id, to, user_id, custom_field?}`. The ids in the
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
