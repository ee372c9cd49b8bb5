import { Body, Controller, Delete, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { RegisterAppDto } from 'nestjs-exotel-webrtc';
import { type ManagedApp, AppsService } from './apps.service.js';

export type { ManagedApp, RegisteredApp } from './apps.service.js';

@Controller('apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  /**
   * Registers an application under the customer (customer token, added by the library; the body is
   * validated by the client before anything is sent) and manages it under `?name=` (default: a slug
   * of `AppName`). Exotel hands out `AppSecret` only in this reply: the sample keeps it (in memory
   * only) and never returns it. 409 when the name is already managed.
   */
  @Post()
  register(@Body() body: RegisterAppDto, @Query('name') name?: unknown): Promise<ManagedApp> {
    return this.apps.register(body, name);
  }

  /**
   * Stops managing an app added by `POST /apps` (its token refresh stops, its token is dropped); the
   * app itself stays at Exotel. 204; 404 for a name that was not added (or already removed); 409 for
   * an app configured in the options (`default`).
   */
  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.apps.remove(name);
  }
}
