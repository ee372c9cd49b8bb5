import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { EXOTEL_WEBRTC_AXIOS } from '../exotel-webrtc.constants.js';
import './exotel-request-options.js';

/**
 * An `@nestjs/axios` HttpService on the module instance's own axios instance, with `baseURL` set to
 * the configured baseUrl. `ExotelAuthInterceptor` puts the right token on every request to Exotel and
 * nothing on requests elsewhere. Inject this (not `HttpService`) to call Exotel endpoints directly.
 * @publicApi
 */
@Injectable()
export class ExotelHttpService extends HttpService {
  // @Inject is explicit: without it Nest would read HttpService's own constructor metadata.
  constructor(@Inject(EXOTEL_WEBRTC_AXIOS) instance: AxiosInstance) {
    super(instance);
  }
}
