import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { EXOTEL_WEBHOOK_ROUTES, ExotelWebhookRoutes } from '../options/webhook-routes.js';
import { ExotelConfigError } from '../errors/exotel.error.js';
import { EXOTEL_WEBHOOKS_MODULE_OPTIONS } from './exotel-webhooks.constants.js';
import { webhooksController } from './exotel-webhooks.controller.js';
import type { ExotelWebhooksModuleExtras, ExotelWebhooksModuleOptions } from './exotel-webhooks.options.js';

const DEFAULT_WEBHOOK_PATH = 'exotel/webhooks';

/**
 * `ConfigurableModuleClass` gives `ExotelWebhooksModule` its `forRoot({ secret, path })` and
 * `forRootAsync({ path, imports, inject, useFactory | useClass | useExisting })`. The path is an extra, not
 * an option: the controller's route is fixed when the module is defined, before any factory runs.
 */
export const { ConfigurableModuleClass } = new ConfigurableModuleBuilder<ExotelWebhooksModuleOptions>({
  moduleName: 'ExotelWebhooks',
  optionsInjectionToken: EXOTEL_WEBHOOKS_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createExotelWebhooksOptions')
  .setExtras<ExotelWebhooksModuleExtras>(
    { path: DEFAULT_WEBHOOK_PATH, isGlobal: true },
    (definition, extras): DynamicModule => {
      const path = normalisePath(extras.path);
      return {
        ...definition,
        global: extras.isGlobal,
        controllers: [webhooksController(path)],
        providers: [
          ...(definition.providers ?? []),
          {
            provide: EXOTEL_WEBHOOK_ROUTES,
            useFactory: (options: ExotelWebhooksModuleOptions) =>
              new ExotelWebhookRoutes(path, checkSecret(options)),
            inject: [EXOTEL_WEBHOOKS_MODULE_OPTIONS],
          },
        ],
        exports: [...(definition.exports ?? []), EXOTEL_WEBHOOK_ROUTES],
      };
    },
  )
  .build();

/** What a `useClass` / `useExisting` options factory implements. */
export interface ExotelWebhooksOptionsFactory {
  createExotelWebhooksOptions(): ExotelWebhooksModuleOptions | Promise<ExotelWebhooksModuleOptions>;
}

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** `path` without surrounding slashes; every segment URL-safe, so it needs no encoding in a setting. */
function normalisePath(path: unknown): string {
  const trimmed = typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : '';
  const segments = trimmed.split('/');
  if (!trimmed || segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new ExotelConfigError(
      ['ExotelWebhooksModule path: must be one or more URL-safe segments (A-Z a-z 0-9 - _ . ~) joined by /'],
      'ExotelWebhooksModule options',
    );
  }
  return trimmed;
}

/** The secret, or an `ExotelConfigError` that never quotes it. */
function checkSecret(options: ExotelWebhooksModuleOptions | undefined): string {
  const secret: unknown = options?.secret;
  if (typeof secret !== 'string' || secret.length < 24 || !SEGMENT.test(secret)) {
    throw new ExotelConfigError(
      ['ExotelWebhooksModule secret: is required, at least 24 URL-safe characters (A-Z a-z 0-9 - _ . ~)'],
      'ExotelWebhooksModule options',
    );
  }
  return secret;
}
