import type { HttpService } from '@nestjs/axios';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { ExotelTelemetry } from '../telemetry/exotel-telemetry.js';
import { TokenService } from '../token/token.service.js';
import { ExotelHttpService } from './exotel-http.service.js';
import { redactAxiosError } from './redact-axios-error.js';
import { attemptOf, RequestAuthorizer } from './request-authorizer.js';
import { UnauthorizedBreaker, UnauthorizedRecovery } from './unauthorized-recovery.js';

/**
 * Puts the right Exotel token on requests to baseUrl's origin and path, and nothing anywhere else;
 * renews and retries once after a 401; redacts Authorization from errors. Attached to
 * `ExotelHttpService` for the module's lifetime. The global axios instance and the host's own
 * HttpService are left alone unless passed to {@link attach}.
 * @publicApi
 */
@Injectable()
export class ExotelAuthInterceptor implements OnModuleInit, OnModuleDestroy {
  private readonly authorizer: RequestAuthorizer;
  private readonly recovery: UnauthorizedRecovery;
  private readonly attached = new Map<AxiosInstance, () => void>();

  constructor(
    tokens: TokenService,
    private readonly http: ExotelHttpService,
    @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) options: ResolvedExotelOptions,
    telemetry: ExotelTelemetry,
  ) {
    const breaker = new UnauthorizedBreaker({
      threshold: options.unauthorizedBreakerThreshold,
      cooldownMs: options.unauthorizedBreakerCooldownMs,
    });
    this.authorizer = new RequestAuthorizer(tokens, options);
    this.recovery = new UnauthorizedRecovery(tokens, breaker, options.authScheme, options.logger, telemetry);
  }

  onModuleInit(): void {
    this.attach(this.http);
  }

  /** Ejects every attachment, including those made by `attach()` on host instances. */
  onModuleDestroy(): void {
    for (const eject of [...this.attached.values()]) eject();
  }

  /**
   * Gives another axios instance (or an `HttpService`, e.g. the host's own `HttpModule.register()`) the
   * same behaviour: tokens for requests to baseUrl, 401 renewal, redacted errors. Attaching the same
   * instance twice attaches once. Returns a function that ejects it again. The instance keeps its own
   * timeout, size and redirect settings (the module's deadline, `maxResponseBytes` and no-redirect
   * policy are not imposed on it); when it follows a redirect, the token is stripped on any hop out of
   * baseUrl's scope, and a 401 from such a hop renews nothing.
   * @publicApi
   */
  attach(target: AxiosInstance | HttpService): () => void {
    const instance = 'axiosRef' in target ? target.axiosRef : target;
    const existing = this.attached.get(instance);
    if (existing) return existing;
    const requestId = instance.interceptors.request.use((config) =>
      this.authorizer.authorize(config, instance),
    );
    const responseId = instance.interceptors.response.use(
      (response) => this.onReply(response, instance),
      (error: unknown) => this.onError(error, instance),
    );
    const eject = (): void => {
      if (this.attached.get(instance) !== eject) return;
      instance.interceptors.request.eject(requestId);
      instance.interceptors.response.eject(responseId);
      this.attached.delete(instance);
    };
    this.attached.set(instance, eject);
    return eject;
  }

  private onReply(response: AxiosResponse, instance: AxiosInstance): AxiosResponse | Promise<AxiosResponse> {
    // Most replies are not 401s and not retries: hand them back without a promise hop.
    if (response.status !== 401 && !attemptOf(response.config)?.retried) return response;
    return this.recovery.afterReply(response, instance).then((retried) => retried ?? response);
  }

  private async onError(error: unknown, instance: AxiosInstance): Promise<AxiosResponse> {
    if (isAxiosError(error) && error.response) {
      let retried: AxiosResponse | undefined;
      try {
        retried = await this.recovery.afterReply(error.response, instance);
      } catch (failure) {
        throw redactAxiosError(failure);
      }
      if (retried) return retried;
    }
    throw redactAxiosError(error);
  }
}
