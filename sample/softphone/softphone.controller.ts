import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { appOf } from '../apps/app-name.js';
import { type SoftphoneBootstrap, SoftphoneService } from './softphone.service.js';

@Controller('softphone')
export class SoftphoneController {
  constructor(private readonly softphone: SoftphoneService) {}

  /**
   * The app token and SIP identity for one user's browser. In a real app, authenticate the caller
   * and check that it is that user first: the token acts for the whole app. `?app=<name>` picks the
   * app (default `default`); an app that is not managed answers 404.
   */
  @Get(':appUserId')
  @Header('Cache-Control', 'no-store')
  start(@Param('appUserId') appUserId: string, @Query('app') app?: unknown): Promise<SoftphoneBootstrap> {
    return this.softphone.bootstrap(appUserId, appOf(app));
  }
}
