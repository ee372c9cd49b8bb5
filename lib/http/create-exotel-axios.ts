import axios, { type AxiosInstance } from 'axios';
import type { ResolvedExotelOptions } from '../options/resolved-options.js';

/** A fresh axios instance for one module instance, bound to its baseUrl; the global instance is never touched. */
export function createExotelAxios(options: ResolvedExotelOptions): AxiosInstance {
  return axios.create({ baseURL: options.baseUrl, timeout: options.requestTimeoutMs });
}
