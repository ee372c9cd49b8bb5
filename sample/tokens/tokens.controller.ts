import { Controller, Get, HttpCode, Param, ParseEnumPipe, Post, Query } from '@nestjs/common';
import { TokenService, type TokenStatus } from 'nestjs-exotel-webrtc';

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

  /** Mints now and answers the credential's new status row (not the token). */
  @Post(':entity/refresh')
  @HttpCode(200)
  async refresh(
    @Param('entity', new ParseEnumPipe(Entity)) entity: Entity,
    @Query('app') app?: string,
  ): Promise<TokenStatus | undefined> {
    await this.tokens.refresh(entity, app);
    const key = entity === Entity.customer ? 'customer' : `app:${app ?? 'default'}`;
    return this.tokens.status().find((row) => row.credential === key);
  }
}
