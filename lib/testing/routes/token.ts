import { sendFailure, sendSuccess } from '../http/envelope.js';
import type { FakeExchange } from '../http/exchange.js';
import type { FakeEntity } from '../model/tokens.js';
import type { FakeRouteDef, FakeState } from './state.js';
import { isJsonObject, requireJsonObject, requireStrings } from './validate.js';

/** The 401 text Exotel documents for a wrong Id/secret pair. */
const BAD_CREDENTIALS = 'Unauthorized. Check the entity id and secret.';

/** The Id a `POST /token` body names, for counting attempts even when the request is then refused. */
export function tokenRequestId(ex: FakeExchange): string | undefined {
  return isJsonObject(ex.body) && typeof ex.body.Id === 'string' ? ex.body.Id : undefined;
}

/** `POST /token`: `{Id, Secret, Entity}` -> the token string in `Data`. */
export const postToken: FakeRouteDef = {
  auth: 'none',
  handle(ex: FakeExchange, state: FakeState): void {
    const body = requireJsonObject(ex);
    if (!body || !requireStrings(ex, body, ['Id', 'Secret', 'Entity'])) return;
    const { Id: id, Secret: secret, Entity: entity } = body as Record<string, string>;
    if (entity !== 'customer' && entity !== 'app') {
      sendFailure(ex, 400, "Invalid request: Entity must be 'customer' or 'app'");
      return;
    }
    if (!credentialsMatch(state, entity, id, secret)) {
      sendFailure(ex, 401, BAD_CREDENTIALS);
      return;
    }
    const previous = state.tokens.latest(id);
    if (ex.tweaks.sameToken && previous) {
      // Deliberately not re-dated: the client must cope with a token whose real expiry did not move.
      sendSuccess(ex, previous.token);
      return;
    }
    const { tokenTtlMs, revokeOnMint } = state.config;
    const record = state.tokens.mint(id, entity, tokenTtlMs, revokeOnMint);
    state.recorder.countMint(id);
    sendSuccess(ex, record.token);
  },
};

// The Entity must match the kind of the Id: an app Id minted as 'customer' is a wrong pair, not a 400.
function credentialsMatch(state: FakeState, entity: FakeEntity, id: string, secret: string): boolean {
  const owner = entity === 'customer' ? state.model.customers.get(id) : state.model.apps.get(id);
  return owner !== undefined && owner.secret === secret;
}
