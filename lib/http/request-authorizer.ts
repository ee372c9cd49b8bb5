import type { AxiosInstance, AxiosRequestConfig, InternalAxiosRequestConfig } from 'axios';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';
import { credentialKey, credentialLabel, DEFAULT_APP } from '../options/credential-identity.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { TokenService } from '../token/token.service.js';
import { authorizationValue } from '../wire/send.js';
import './exotel-request-options.js';
import { guardRedirects, relativePath, requestEntity, tokenDestination } from './token-destination.js';

/**
 * Request side of the auth interceptor: decides whether a request gets a token and which one, sets
 * the Authorization header and records the token generation on the config for the 401 handling.
 */
export class RequestAuthorizer {
  constructor(
    private readonly tokens: TokenService,
    private readonly options: ResolvedExotelOptions,
  ) {}

  async authorize(
    config: InternalAxiosRequestConfig,
    target: AxiosInstance,
  ): Promise<InternalAxiosRequestConfig> {
    const prior = attemptOf(config);
    if (prior?.pending) {
      // Our own 401 retry: its header was chosen by the response side.
      prior.pending = false;
      return config;
    }
    if (prior) {
      // A config sent again by the caller (e.g. `error.config`): its Authorization was ours, not theirs.
      config.headers.delete('Authorization');
      setAttempt(config, undefined);
    }
    const wish = config.exotel ?? {};
    if (wish.skipAuth || config.headers.has('Authorization')) return config;
    const url = this.destination(config, target);
    if (!url) return config;
    const method = config.method ?? 'get';
    const entity = requestEntity(
      method,
      relativePath(url, this.options),
      queryOf(url, config.params),
      wish.entity,
    );
    if (!entity) return config;
    const app = entity === 'app' ? (wish.app ?? DEFAULT_APP) : undefined;
    const { token, generation } = await this.tokens.getTokenWithGeneration(entity, app);
    config.headers.set('Authorization', authorizationValue(this.options.authScheme, token));
    const attempt = new AuthAttempt(entity, app, generation);
    setAttempt(config, attempt);
    // Only host instances follow redirects (the library's own follow none). A hop out of scope loses
    // the token, and whatever answers there cannot speak for it: the attempt remembers the hop.
    guardRedirects(config, (href) => {
      const allowed = tokenDestination(href, this.options) !== undefined;
      if (!allowed) attempt.route.leftScope = true;
      return allowed;
    });
    return config;
  }

  private destination(config: InternalAxiosRequestConfig, target: AxiosInstance): URL | undefined {
    const href = fullPath(config) ?? safeGetUri(target, config);
    return href === undefined ? undefined : tokenDestination(href, this.options);
  }
}

const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The URL the request goes to, without its params, computed the way axios' buildFullPath does but
 * without `getUri()`, which merges the whole config again on every request. Only the origin and path
 * matter for where a token may go; the `entity` query is read separately. Undefined when a custom
 * params serializer or an unusual URL makes the cheap path unsure.
 */
function fullPath(config: InternalAxiosRequestConfig): string | undefined {
  const url = config.url ?? '';
  if (config.paramsSerializer || typeof url !== 'string') return undefined;
  const absolute = ABSOLUTE.test(url) && config.allowAbsoluteUrls !== false;
  if (absolute || !config.baseURL) return url;
  return url ? `${config.baseURL.replace(/\/?\/$/, '')}/${url.replace(/^\/+/, '')}` : config.baseURL;
}

function safeGetUri(target: AxiosInstance, config: InternalAxiosRequestConfig): string | undefined {
  try {
    return target.getUri(config);
  } catch {
    return undefined;
  }
}

/** The query the endpoint rule looks at: the URL's own query plus the `entity` of `config.params`. */
function queryOf(url: URL, params: unknown): URLSearchParams {
  const entity =
    params instanceof URLSearchParams
      ? params.get('entity')
      : params && typeof params === 'object'
        ? (params as Record<string, unknown>).entity
        : undefined;
  if (entity === undefined || entity === null) return url.searchParams;
  const query = new URLSearchParams(url.searchParams);
  query.set('entity', String(entity));
  return query;
}

// A symbol keeps the bookkeeping out of JSON output and away from any field a caller could set.
const AUTH_ATTEMPT = Symbol('nestjs-exotel-webrtc:auth-attempt');

/**
 * What a request config remembers about the token the interceptor put on it: enough to renew that
 * very token after a 401 and to count the retry. Holds no token, so printing a config reveals nothing.
 */
export class AuthAttempt {
  /** Set on a retry until the request side has seen it, so it keeps the header chosen for it. */
  pending = false;

  constructor(
    readonly entity: ExotelEntity,
    /** App name for app tokens (`default` unless chosen); undefined for the customer token. */
    readonly app: string | undefined,
    readonly generation: number,
    /** True on the one retry a request may get. */
    readonly retried = false,
    /**
     * Whether a followed redirect left the token's scope. Shared with the retry, whose redirects run
     * through the same guard (a retry is a copy of the config, guard included); a retry is only made
     * when the first exchange stayed in scope, so a mark always belongs to the exchange being judged.
     */
    readonly route: { leftScope: boolean } = { leftScope: false },
  ) {}

  /** Credential key (`customer`, `app:<name>`), as the token service names slots; the breaker counts per key. */
  get credential(): string {
    return credentialKey(this.entity, this.app);
  }

  /** Human name of the credential for messages (`customer`, `app 'support'`). */
  get label(): string {
    return credentialLabel(this.entity, this.app);
  }

  /** The attempt a retry with a renewed token makes. */
  renewed(generation: number): AuthAttempt {
    const next = new AuthAttempt(this.entity, this.app, generation, true, this.route);
    next.pending = true;
    return next;
  }
}

type WithAttempt = AxiosRequestConfig & { [AUTH_ATTEMPT]?: AuthAttempt };

/** The attempt recorded on a config, if the interceptor authorised it. */
export function attemptOf(config: AxiosRequestConfig | undefined): AuthAttempt | undefined {
  return (config as WithAttempt | undefined)?.[AUTH_ATTEMPT];
}

/** Records (or with `undefined`, forgets) the attempt on a config. */
export function setAttempt(config: AxiosRequestConfig, attempt: AuthAttempt | undefined): void {
  if (attempt) (config as WithAttempt)[AUTH_ATTEMPT] = attempt;
  else delete (config as WithAttempt)[AUTH_ATTEMPT];
}
