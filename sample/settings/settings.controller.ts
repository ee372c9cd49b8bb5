import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { type AddSettingDto, type ExotelAppSetting, ExotelWebrtcClient } from 'nestjs-exotel-webrtc';
import { EXOTEL_WEBHOOK_ROUTES, type ExotelWebhookRoutes } from 'nestjs-exotel-webrtc/webhooks';
import { appOf } from '../apps/app-name.js';

/**
 * App settings of one app (app token): `?app=<name>`, default `default`. A new app has none, and
 * Exotel's browser SDK stops on the 404 `GET /app_setting` then answers: `/softphone` needs one.
 * The notification URLs the sample registered carry its webhook secret: answered with it redacted.
 */
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly client: ExotelWebrtcClient,
    @Inject(EXOTEL_WEBHOOK_ROUTES) private readonly webhooks: ExotelWebhookRoutes,
  ) {}

  /** Adds one setting `{ "Key": "...", "Value": "..." }`; the client validates it before sending. */
  @Post()
  add(@Body() body: AddSettingDto, @Query('app') app?: unknown): Promise<ExotelAppSetting> {
    return this.client.app(appOf(app)).settings.add(body);
  }

  /** Every setting; 404 (Exotel's answer) while the app has none. */
  @Get()
  async list(@Query('app') app?: unknown): Promise<ExotelAppSetting[]> {
    const settings = await this.client.app(appOf(app)).settings.list();
    return settings.map((setting) => this.printable(setting));
  }

  /** One setting by its key; 404 when it is not set. */
  @Get(':key')
  async get(@Param('key') key: string, @Query('app') app?: unknown): Promise<ExotelAppSetting> {
    return this.printable(await this.client.app(appOf(app)).settings.get(key));
  }

  private printable(setting: ExotelAppSetting): ExotelAppSetting {
    const secret = this.webhooks.secret.reveal();
    return setting.Value.includes(secret)
      ? { ...setting, Value: setting.Value.replaceAll(secret, String(this.webhooks.secret)) }
      : setting;
  }
}
