/** Options for {@link FakeExotelServer}. Every field is optional; the defaults imitate the real service. */
export interface FakeExotelServerOptions {
  /**
   * Lifetime of a minted token in ms. Default 90 days (the documented lifetime).
   * Expiry is checked against `Date.now()`, so Jest fake timers that fake `Date` move tokens towards expiry.
   */
  tokenTtlMs?: number;
  /**
   * Default `false`: `Authorization: Bearer <token>` is rejected with 401, as all evidence says the real
   * service only takes the raw token. `true` accepts both the raw and the Bearer form.
   */
  acceptBearer?: boolean;
  /** Default `false`. When `true`, a new mint for an Id revokes every earlier token of that Id. */
  revokeOnMint?: boolean;
  /** Port to listen on. Default `0` (an ephemeral port). The host is always 127.0.0.1. */
  port?: number;
  /**
   * Default `false`. When `true`, the server starts with a fixed customer, app and one app setting
   * (see `FAKE_SEED`), so a sample app can run against it with no set-up.
   */
  seed?: boolean;
}

/**
 * A route as `'<METHOD> <path>'` with the path relative to `/v2/integrations`, e.g. `'POST /token'`,
 * `'GET /usermapping'`; or `'*'` for every route. A query may be appended (`'GET /app?entity=customer'`)
 * to match only requests carrying those exact query values.
 */
export type FakeRoute = string;

/**
 * One scripted misbehaviour. Fields combine: `delayMs` and `retryAfter` decorate whatever answer is sent;
 * of the answer-shaping fields the first one set wins, in the order they are listed here.
 */
export interface FakeFault {
  /** Wait this long (via `setTimeout`, so Jest fake timers control it) before answering. */
  delayMs?: number;
  /** Add a `Retry-After: <seconds>` header (typically with `status: 429`). */
  retryAfter?: number;
  /** Destroy the socket without answering (the client sees a connection reset). */
  reset?: boolean;
  /** Send an HTML error page (`text/html`) with `status` (default 502), like a proxy in front of the API. */
  html?: boolean;
  /** Send truncated JSON (`{"RequestId": "x", "Sta`) with HTTP 200 and `application/json`. */
  malformed?: boolean;
  /** Send this raw body as-is, with `status` (default 200) and `contentType`. */
  body?: string;
  /** Content type for `body`. Default `application/json`. */
  contentType?: string;
  /**
   * HTTP 200 with `{Status: 'Failed', Code, Error, Data: null}`. `Code` is `status` when given, else 200
   * (so only `Status` signals the failure; pass `status: 500` to also make `Code` disagree).
   */
  failedWith200?: boolean;
  /** HTTP 200 success envelope whose `Data` is empty: `''` on `POST /token`, `null` elsewhere. */
  emptyData?: boolean;
  /** Reply with this HTTP status and the PascalCase failure envelope (`Code` = status, `Data: null`). */
  status?: number;
  /** HTTP 200 success envelope with the normal, valid `Data` but `Code: 500`. */
  codeMismatch?: boolean;
  /**
   * `POST /token` only: after the normal credential checks, answer with the token issued last to that Id
   * (if any) instead of minting a new one, without extending its lifetime.
   */
  sameToken?: boolean;
}

/** One request as the fake received it, with secrets and tokens masked. */
export interface RecordedRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path without the query and without the `/v2/integrations` prefix, e.g. `'/token'`. */
  path: string;
  /** Query parameters (the last value wins when one repeats). */
  query: Record<string, string>;
  /**
   * Lower-case header names. `authorization` is masked as `<fingerprint:xxxxxxxx>` (first 8 hex chars of the
   * token's SHA-256), prefixed with the scheme when one was sent (`Bearer <fingerprint:xxxxxxxx>`).
   */
  headers: Record<string, string>;
  /**
   * Parsed JSON when the body is JSON (properties named Secret, CustomerSecret, AppSecret, ExotelApiToken or
   * SipSecret replaced by `'***'` at any depth), the raw text otherwise, `undefined` when empty.
   */
  body: unknown;
  /** `Date.now()` when the request was received. */
  at: number;
}
