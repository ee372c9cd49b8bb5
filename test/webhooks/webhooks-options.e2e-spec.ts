import { describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { inspect } from 'node:util';
import { ExotelConfigError } from 'nestjs-exotel-webrtc';
import { ExotelWebhookRoutes, ExotelWebhooksModule, OnExotelCall } from 'nestjs-exotel-webrtc/webhooks';
import { newSecret } from './webhook-app.js';

const boot = async (module: ReturnType<typeof ExotelWebhooksModule.forRoot>) => {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  await moduleRef.close();
};

describe('ExotelWebhooksModule options', () => {
  it('refuses a short or non-URL-safe secret at bootstrap without quoting it', async () => {
    for (const secret of ['short-secret', `${newSecret()}/../x`, '']) {
      const failure = await boot(ExotelWebhooksModule.forRoot({ secret })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ExotelConfigError);
      expect((failure as ExotelConfigError).problems.join(' ')).toMatch(/secret: is required, at least 24/);
      if (secret) expect(String((failure as Error).message)).not.toContain(secret);
    }
  });

  it('refuses a path with unsafe segments when the module is defined', () => {
    for (const path of ['', '/', 'a/../b', 'hooks/{x}', 'a b']) {
      expect(() => ExotelWebhooksModule.forRoot({ secret: newSecret(), path })).toThrow(ExotelConfigError);
    }
    expect(() => ExotelWebhooksModule.forRoot({ secret: newSecret(), path: '/api/hooks/' })).not.toThrow();
  });

  it('refuses out-of-range numbers, listing every one', async () => {
    const failure = await boot(
      ExotelWebhooksModule.forRoot({
        secret: newSecret(),
        handlerTimeoutMs: 0,
        maxBodyBytes: 1.5,
        dedupeTtlMs: -1,
      }),
    ).catch((error: unknown) => error);
    expect((failure as ExotelConfigError).problems.map((p) => p.split(':')[0])).toEqual([
      'ExotelWebhooksModule handlerTimeoutMs',
      'ExotelWebhooksModule maxBodyBytes',
      'ExotelWebhooksModule dedupeTtlMs',
    ]);
  });

  it('@OnExotelCall refuses an unknown kind or an empty list', () => {
    expect(() => OnExotelCall('hangup' as never)).toThrow(TypeError);
    expect(() => OnExotelCall([])).toThrow(TypeError);
  });

  it('the routes never print their secret', () => {
    const secret = newSecret();
    const routes = new ExotelWebhookRoutes('hooks', secret);
    expect(routes.url('https://api.example.test/', 'popup')).toBe(
      `https://api.example.test/hooks/${secret}/popup`,
    );
    expect(routes.matches(secret)).toBe(true);
    expect(routes.matches(secret.slice(1))).toBe(false);
    expect(JSON.stringify(routes) + inspect(routes) + String(Object.values(routes))).not.toContain(secret);
  });
});
