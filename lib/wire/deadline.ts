import { AxiosError, type AxiosInstance, type AxiosRequestConfig, type GenericAbortSignal } from 'axios';

// A total deadline for one HTTP exchange. Axios' `timeout` is a socket idle timer once the headers
// are in: a body trickled a byte at a time keeps it pending for ever. The deadline is an abort signal
// armed when the exchange starts and disarmed when it ends, whatever the bytes do.

// A symbol keeps the bookkeeping out of JSON output and away from anything a caller could set.
const DEADLINE = Symbol('nestjs-exotel-webrtc:deadline');

/**
 * One armed deadline, recorded on the request config it guards. A class, not a plain object: axios'
 * config merge deep-copies plain objects, and every copy of a config must share this one record.
 */
class Deadline {
  expired = false;
  disarm: () => void = () => undefined;

  constructor(
    /** The caller's own signal, which still cancels the exchange; re-used when the config is sent again. */
    readonly caller: GenericAbortSignal | undefined,
    readonly ms: number,
  ) {}
}

type WithDeadline = AxiosRequestConfig & { [DEADLINE]?: Deadline };

/** Instances that arm the deadline themselves, right before each request is dispatched. */
const ARMING_INSTANCES = new WeakSet<AxiosInstance>();

/**
 * Gives `config` a signal that aborts after `ms`, or when the caller's own signal aborts. The timer
 * is the global `setTimeout` read at call time, so fake timers drive it in tests. A config sent again
 * (a 401 retry is a copy) gets a fresh deadline tied to the caller's original signal.
 */
export function armDeadline(config: AxiosRequestConfig, ms: number): void {
  const prior = (config as WithDeadline)[DEADLINE];
  prior?.disarm();
  const caller = prior ? prior.caller : config.signal;
  // A caller signal that cannot be listened to is left in charge on its own.
  if (caller && typeof caller.addEventListener !== 'function') return;
  const controller = new AbortController();
  const onCallerAbort = (): void => controller.abort();
  const deadline = new Deadline(caller, ms);
  const timer = setTimeout(() => {
    deadline.expired = true;
    controller.abort();
  }, ms);
  deadline.disarm = () => {
    clearTimeout(timer);
    // Removed when the exchange ends, so a long-lived caller signal collects no listeners.
    caller?.removeEventListener?.('abort', onCallerAbort);
  };
  // The socket keeps the process alive while the exchange runs; the timer itself need not.
  (timer as { unref?: () => void }).unref?.();
  if (caller?.aborted) controller.abort();
  else caller?.addEventListener?.('abort', onCallerAbort);
  config.signal = controller.signal;
  (config as WithDeadline)[DEADLINE] = deadline;
}

/**
 * Disarms the deadline of `config` (if any). An error that the deadline caused (axios reports the
 * abort as a cancellation) becomes axios' own timeout error, with the code axios would give it, so
 * callers and the reply mapping see one kind of timeout.
 */
export function endDeadline(config: AxiosRequestConfig | undefined, error?: unknown): unknown {
  const deadline = config ? (config as WithDeadline)[DEADLINE] : undefined;
  if (!deadline) return error;
  deadline.disarm();
  if (!deadline.expired || error === undefined) return error;
  const code = config?.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
  const request = (error as { request?: unknown } | null)?.request;
  return new AxiosError(
    `timeout of ${deadline.ms}ms exceeded (the whole exchange)`,
    code,
    config as never,
    request,
  );
}

/**
 * Arms the deadline on every request of `instance`, right before dispatch: this interceptor is added
 * when the instance is created, so it runs after any request interceptor added later (the auth
 * interceptor, which may wait for a mint that has a deadline of its own). Replies and errors disarm it.
 */
export function installDeadline(instance: AxiosInstance, ms: number): void {
  instance.interceptors.request.use((config) => {
    armDeadline(config, ms);
    return config;
  });
  instance.interceptors.response.use(
    (response) => {
      endDeadline(response.config);
      return response;
    },
    (error: unknown) => {
      throw endDeadline((error as { config?: AxiosRequestConfig } | null)?.config, error);
    },
  );
  ARMING_INSTANCES.add(instance);
}

/** True when `instance` arms the deadline itself (see {@link installDeadline}). */
export function armsDeadline(instance: AxiosInstance): boolean {
  return ARMING_INSTANCES.has(instance);
}
