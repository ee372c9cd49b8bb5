import { BadRequestException } from '@nestjs/common';

/** The library's rule for app names (`TokenService.addApp`, `?app=`). */
export const APP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The app the sample's routes act on when `?app=` is absent or empty. */
export const DEFAULT_APP = 'default';

/**
 * A name for an app from its `AppName`: lower case, every run of other characters turned into `-`,
 * trimmed, at most 64 characters. Undefined when nothing usable is left (e.g. only punctuation).
 * `'Support desk'` -> `'support-desk'`.
 */
export function slugOf(appName: unknown): string | undefined {
  if (typeof appName !== 'string') return undefined;
  const slug = appName
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '-')
    .slice(0, 64)
    .replace(/^[-.]+|[-.]+$/g, '');
  return APP_NAME.test(slug) ? slug : undefined;
}

/** `?app=` of the users, softphone and token routes: `default` when absent or empty; 400 when repeated. */
export function appOf(query: unknown): string {
  if (query === undefined || query === '') return DEFAULT_APP;
  if (typeof query !== 'string') throw new BadRequestException('Give ?app= once, as one app name');
  return query;
}
