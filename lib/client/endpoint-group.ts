import type { ExotelCall, ExotelCaller } from './exotel-caller.js';

/** What an endpoint sends besides method and path; the token follows the helper used. */
type CallOptions = Pick<ExotelCall, 'params' | 'body' | 'allowEmptyData'>;

/**
 * Base of the typed endpoint groups, so that each endpoint is one `call` (token of the bound app) or
 * `customerCall` (customer token) resolving to the reply's `Data`. Inputs are validated by the endpoint
 * before either is reached.
 */
export abstract class EndpointGroup {
  constructor(
    protected readonly caller: ExotelCaller,
    /** Named app whose token `call` sends (default `default`); customer-token groups need none. */
    protected readonly app?: string,
  ) {}

  /** Sends `method path` with the bound app's token; resolves to `Data`. */
  protected async call<T>(method: ExotelCall['method'], path: string, options: CallOptions = {}): Promise<T> {
    return (await this.caller.send<T>({ method, path, ...options, entity: 'app', app: this.app })).data;
  }

  /** Sends `method path` with the customer token; resolves to `Data`. */
  protected async customerCall<T>(
    method: ExotelCall['method'],
    path: string,
    options: CallOptions = {},
  ): Promise<T> {
    return (await this.caller.send<T>({ method, path, ...options, entity: 'customer' })).data;
  }
}

/** Some list replies come as a single object: list endpoints resolve to an array regardless. */
export function asList<T>(data: T | T[]): T[] {
  return Array.isArray(data) ? data : [data];
}
