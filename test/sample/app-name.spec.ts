import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { APP_NAME, appOf, DEFAULT_APP, slugOf } from '../../sample/apps/app-name.js';

describe('sample app names', () => {
  it.each([
    ['Support desk', 'support-desk'],
    ['Tenant Two!', 'tenant-two'],
    ['  --Sales & Ops--  ', 'sales-ops'],
    ['ops_v2.1', 'ops_v2.1'],
    ['x'.repeat(80), 'x'.repeat(64)],
    [`${'a'.repeat(63)} b`, 'a'.repeat(63)],
  ])('slugs %j to %j, which the name rule accepts', (appName, slug) => {
    expect(slugOf(appName)).toBe(slug);
    expect(APP_NAME.test(slug)).toBe(true);
  });

  it.each([['!!!'], [''], ['सहायता'], [undefined], [42]])('has no slug for %j', (appName) => {
    expect(slugOf(appName)).toBeUndefined();
  });

  it('reads ?app= as the default app when absent or empty, and refuses it repeated', () => {
    expect(appOf(undefined)).toBe(DEFAULT_APP);
    expect(appOf('')).toBe(DEFAULT_APP);
    expect(appOf('support')).toBe('support');
    expect(() => appOf(['a', 'b'])).toThrow(BadRequestException);
  });
});
