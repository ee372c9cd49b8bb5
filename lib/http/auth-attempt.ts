import type { AxiosRequestConfig } from 'axios';
import type { ExotelEntity } from '../interfaces/exotel-webrtc-options.interface.js';

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
  ) {}

  /** Credential key (`customer`, `app:<name>`), as the token service names slots; the breaker counts per key. */
  get credential(): string {
    return this.entity === 'customer' ? 'customer' : `app:${this.app}`;
  }

  /** Human name of the credential for messages (`customer`, `app 'support'`). */
  get label(): string {
    return this.entity === 'customer' ? 'customer' : `app '${this.app}'`;
  }

  /** The attempt a retry with a renewed token makes. */
  renewed(generation: number): AuthAttempt {
    const next = new AuthAttempt(this.entity, this.app, generation, true);
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
