import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import type { TokenService } from '../token/token.service.js';
import { attemptOf, AuthAttempt, setAttempt } from './auth-attempt.js';
import { requestEntity } from './endpoint-entity.js';
import './exotel-request-options.js';
import { guardRedirects } from './redirect-guard.js';
import { relativePath, tokenDestination } from './token-destination.js';

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
    const app = entity === 'app' ? (wish.app ?? 'default') : undefined;
    const { token, generation } = await this.tokens.getTokenWithGeneration(entity, app);
    config.headers.set('Authorization', this.options.authScheme === 'Bearer' ? `Bearer ${token}` : token);
    setAttempt(config, new AuthAttempt(entity, app, generation));
    guardRedirects(config, (href) => tokenDestination(href, this.options) !== undefined);
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
