import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';
import { EXOTEL_WEBRTC_AXIOS } from '../exotel-webrtc.constants.js';
import { installDeadline } from '../wire/deadline.js';
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

/**
 * A fresh axios instance for one module instance, bound to its baseUrl; the global instance is never
 * touched. Its defaults are the library's policies for raw `ExotelHttpService` calls too: no redirects
 * (a 3xx comes back as the reply), replies cut at `maxResponseBytes` after decompression, and a deadline
 * of `requestTimeoutMs` for the whole exchange. Axios' `timeout` stays as the connect and idle timer.
 * Host instances given to `attach()` keep their own settings.
 */
export function createExotelAxios(options: ResolvedExotelOptions): AxiosInstance {
  const instance = axios.create({
    baseURL: options.baseUrl,
    timeout: options.requestTimeoutMs,
    maxRedirects: 0,
    // Older axios versions only honour maxRedirects in the http adapter; say it to fetch as well.
    fetchOptions: { redirect: 'manual' },
    maxContentLength: options.maxResponseBytes,
  });
  // Installed before the auth interceptor attaches, so it runs after it: the deadline starts at
  // dispatch, not while the interceptor waits for a token.
  installDeadline(instance, options.requestTimeoutMs);
  return instance;
}
