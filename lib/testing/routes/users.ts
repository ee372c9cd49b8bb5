import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import { nowIso } from '../model/model.js';
import {
  createUserMapping,
  REQUIRED_USER_FIELDS,
  type FakeUserInput,
  type FakeUserMapping,
} from '../model/user-mapping.js';
import type { AppPrincipal, FakeRouteDef, FakeState } from './state.js';
import { firstBadString, isJsonObject, queryInt } from './validate.js';

/** Text of the 404 Exotel's SDK reports for an unmapped user. */
export const USER_NOT_FOUND = 'User mapping not found for user_id';

/** `POST /usermapping`: a JSON array of users, all validated before any is stored. */
export const postUserMapping: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const inputs = validateUsers(ex, who);
    if (!inputs) return;
    const at = nowIso();
    const created = inputs.map((input) => createUserMapping(who.app, input, at));
    created.forEach((user) => who.app.users.set(user.AppUserId, user));
    sendSuccess(ex, created);
  },
};

/** `GET /usermapping?user_id=` for one user or, without `user_id`, the paginated list. */
export const getUserMapping: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    const userId = ex.query.user_id;
    if (userId !== undefined) {
      const user = who.app.users.get(userId);
      if (user) sendSuccess(ex, user);
      else sendFailure(ex, 404, USER_NOT_FOUND);
      return;
    }
    // last_value is documented as an integer "value from the previous page": modelled as an offset.
    const offset = queryInt(ex, 'last_value', 0, 0);
    if (offset === undefined) return;
    const pageSize = queryInt(ex, 'page_size', 20, 1);
    if (pageSize === undefined) return;
    const users: FakeUserMapping[] = [...who.app.users.values()].slice(offset, offset + pageSize);
    sendSuccess(ex, {
      Users: users,
      PageSize: pageSize,
      LastEvaluatedValue: String(offset + users.length),
    });
  },
};

/** `DELETE /usermapping`: removes every user of the app. The misspelling is Exotel's. */
export const deleteUserMapping: FakeRouteDef = {
  auth: 'app',
  handle(ex: FakeExchange, _state: FakeState, who: AppPrincipal): void {
    who.app.users.clear();
    sendSuccess(ex, 'Deleted Successfuly');
  },
};

function validateUsers(ex: FakeExchange, who: AppPrincipal): FakeUserInput[] | undefined {
  const fail = (message: string): undefined => {
    sendFailure(ex, 400, `Invalid request: ${message}`);
    return undefined;
  };
  if (ex.bodyNotJson) return fail('body is not valid JSON');
  if (!Array.isArray(ex.body)) return fail('body must be a JSON array of users');
  if (ex.body.length === 0) return fail('at least one user is required');
  const seen = new Set<string>();
  for (const [index, item] of ex.body.entries()) {
    if (!isJsonObject(item)) return fail(`user ${index} must be a JSON object`);
    const bad = firstBadString(item, REQUIRED_USER_FIELDS);
    if (bad !== undefined) return fail(`user ${index}: ${bad} is required and must be a non-empty string`);
    if (item.AgentNumber !== undefined && typeof item.AgentNumber !== 'string') {
      return fail(`user ${index}: AgentNumber must be a string`);
    }
    const id = item.AppUserId as string;
    if (seen.has(id) || who.app.users.has(id)) return fail(`duplicate user ${id}`);
    seen.add(id);
  }
  return ex.body as FakeUserInput[];
}
