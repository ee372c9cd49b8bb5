export const DEFAULT_BASE_URL = 'https://integrationscore.mum1.exotel.com/v2/integrations';
export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_MS = 90 * DAY_MS;
export const DEFAULT_REFRESH_AT_RATIO = 0.6;
export const DEFAULT_MIN_REFRESH_LEAD_MS = 7 * DAY_MS;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY_BASE_DELAY_MS = 2_000;
export const DEFAULT_RETRY_MAX_DELAY_MS = HOUR_MS;
export const DEFAULT_LEASE_TTL_MS = 15_000;
export const DEFAULT_BREAKER_THRESHOLD = 3;
export const DEFAULT_BREAKER_COOLDOWN_MS = 60_000;
/** Node turns any timer delay above this into 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** The scheduler wakes at least this often to re-read the wall clock (suspend, VM pause, clock jumps). */
export const MAX_WAKE_INTERVAL_MS = DAY_MS;
export const DEFAULT_MAX_CONCURRENT_MINTS = 8;
