import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { EXOTEL_WEBRTC_RESOLVED_OPTIONS } from '../exotel-webrtc.constants.js';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import './exotel-request-options.js';

/**
 * An `@nestjs/axios` HttpService on the module's own axios instance, with `baseURL` set to the
 * configured baseUrl. `ExotelAuthInterceptor` puts the right token on every request to Exotel and
 * nothing on requests elsewhere. Inject this (not `HttpService`) to call Exotel endpoints directly.
 * @publicApi
 */
@Injectable()
export class ExotelHttpService extends HttpService {
  constructor(@Inject(HttpService) http: HttpService, @Inject(EXOTEL_WEBRTC_RESOLVED_OPTIONS) options: ResolvedExotelOptions) {
    super(http.axiosRef);
    // The instance belongs to this module alone (HttpModule.register), so its defaults are ours to set.
    http.axiosRef.defaults.baseURL = options.baseUrl;
    http.axiosRef.defaults.timeout = options.requestTimeoutMs;
  }
}
