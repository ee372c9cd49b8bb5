import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { type AddSettingDto, type ExotelAppSetting, ExotelWebrtcClient } from 'nestjs-exotel-webrtc';
import { appOf } from '../apps/app-name.js';

/**
 * App settings of one app (app token): `?app=<name>`, default `default`. A new app has none, and
 * Exotel's browser SDK stops on the 404 `GET /app_setting` then answers: `/softphone` needs one.
 */
@Controller('settings')
export class SettingsController {
  constructor(private readonly client: ExotelWebrtcClient) {}

  /** Adds one setting `{ "Key": "...", "Value": "..." }`; the client validates it before sending. */
  @Post()
  add(@Body() body: AddSettingDto, @Query('app') app?: unknown): Promise<ExotelAppSetting> {
    return this.client.app(appOf(app)).settings.add(body);
  }

  /** Every setting; 404 (Exotel's answer) while the app has none. */
  @Get()
  list(@Query('app') app?: unknown): Promise<ExotelAppSetting[]> {
    return this.client.app(appOf(app)).settings.list();
  }

  /** One setting by its key; 404 when it is not set. */
  @Get(':key')
  get(@Param('key') key: string, @Query('app') app?: unknown): Promise<ExotelAppSetting> {
    return this.client.app(appOf(app)).settings.get(key);
  }
}
