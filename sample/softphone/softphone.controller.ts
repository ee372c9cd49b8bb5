import { Controller, Get, Header, Param } from '@nestjs/common';
import { type SoftphoneBootstrap, SoftphoneService } from './softphone.service.js';

@Controller('softphone')
export class SoftphoneController {
  constructor(private readonly softphone: SoftphoneService) {}

  /**
   * The app token and SIP identity for one user's browser. In a real app, authenticate the caller
   * and check that it is that user first: the token acts for the whole app.
   */
  @Get(':appUserId')
  @Header('Cache-Control', 'no-store')
  start(@Param('appUserId') appUserId: string): Promise<SoftphoneBootstrap> {
    return this.softphone.bootstrap(appUserId);
  }
}
