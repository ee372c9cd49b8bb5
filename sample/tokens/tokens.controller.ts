import { Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query } from '@nestjs/common';
import { TokenService, type TokenStatus } from 'nestjs-exotel-webrtc';
import { appOf } from '../apps/app-name.js';

enum Entity {
  customer = 'customer',
  app = 'app',
}

/** Token status for people (the page) and probes; never a token or a secret. */
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokenService) {}

  @Get()
  list(): TokenStatus[] {
    return this.tokens.status();
  }

  /**
   * Mints now and answers the credential's new status row (not the token). For `app`, `?app=<name>`
   * picks the app (default `default`); an app that is not managed answers 404.
   */
  @Post(':entity/refresh')
  @HttpCode(200)
  async refresh(
    @Param('entity', new ParseEnumPipe(Entity)) entity: Entity,
    @Query('app') app?: unknown,
  ): Promise<TokenStatus | undefined> {
    if (entity === Entity.customer) {
      await this.tokens.refresh('customer');
      return this.tokens.statusOf('customer');
    }
    const name = appOf(app);
    await this.tokens.refresh('app', name);
    return this.tokens.statusOf('app', name);
  }
}
