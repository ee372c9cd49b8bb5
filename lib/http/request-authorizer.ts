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
    const entity = requestEntity(method, relativePath(url, this.options), url.searchParams, wish.entity);
    if (!entity) return config;
    const app = entity === 'app' ? (wish.app ?? 'default') : undefined;
    const { token, generation } = await this.tokens.getTokenWithGeneration(entity, app);
    config.headers.set('Authorization', this.options.authScheme === 'Bearer' ? `Bearer ${token}` : token);
    setAttempt(config, new AuthAttempt(entity, app, generation));
    guardRedirects(config, (href) => tokenDestination(href, this.options) !== undefined);
    return config;
  }

  private destination(config: InternalAxiosRequestConfig, target: AxiosInstance): URL | undefined {
    let href: string;
    try {
      href = target.getUri(config);
    } catch {
      return undefined;
    }
    return tokenDestination(href, this.options);
  }
}
