import type { LoggerService } from '@nestjs/common';

const noop = (): void => undefined;

/** Used when `logger: false`. */
export const NOOP_LOGGER: LoggerService = { log: noop, error: noop, warn: noop, debug: noop, verbose: noop };
