import { sendFailure } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeEntity } from '../model/tokens.js';
import type { AppPrincipal, CustomerPrincipal, FakeState } from './state.js';

/** The start of the 401 text Exotel documents for a bad token; the fake appends why it refused. */
const INVALID_TOKEN = 'Unauthorized / Invalid token';

/**
 * Checks the `Authorization` header for a live token of the wanted entity whose owner still exists.
 * Answers 401 and returns undefined otherwise.
 */
export function authorize(
  ex: FakeExchange,
  state: FakeState,
  need: 'customer',
): CustomerPrincipal | undefined;
export function authorize(ex: FakeExchange, state: FakeState, need: 'app'): AppPrincipal | undefined;
export function authorize(
  ex: FakeExchange,
  state: FakeState,
  need: FakeEntity,
): CustomerPrincipal | AppPrincipal | undefined {
  const deny = (why: string): undefined => {
    sendFailure(ex, 401, `${INVALID_TOKEN}: ${why}`);
    return undefined;
  };
  const header = ex.req.headers.authorization;
  if (header === undefined || header === '') return deny('missing Authorization header');
  let token = header;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) {
    // All evidence says the real service wants the bare token, so strict mode refuses the scheme.
    if (!state.config.acceptBearer) return deny('send the raw token, without a Bearer prefix');
    token = bearer[1];
  }
  const record = state.tokens.lookup(token);
  if (!record) return deny('unknown token');
  if (record.revoked) return deny('token revoked');
  if (Date.now() >= record.expiresAt) return deny('token expired');
  if (record.entity !== need) return deny(`this route needs a ${need} token`);
  if (need === 'app') return appPrincipal(state, record.id, deny);
  const customer = state.model.customers.get(record.id);
  return customer ? { entity: 'customer', customer } : deny('the customer no longer exists');
}

function appPrincipal(
  state: FakeState,
  id: string,
  deny: (why: string) => undefined,
): AppPrincipal | undefined {
  const app = state.model.apps.get(id);
  const customer = app && state.model.customers.get(app.customerId);
  if (!app || !customer) return deny('the app no longer exists');
  return { entity: 'app', app, customer };
}
