import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
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

/** A fresh axios instance for one module instance, bound to its baseUrl; the global instance is never touched. */
export function createExotelAxios(options: ResolvedExotelOptions): AxiosInstance {
  return axios.create({ baseURL: options.baseUrl, timeout: options.requestTimeoutMs });
}
