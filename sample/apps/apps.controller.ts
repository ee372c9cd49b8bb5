import { Body, Controller, Post } from '@nestjs/common';
import { type ExotelCreatedApp, ExotelWebrtcClient, type RegisterAppDto } from 'nestjs-exotel-webrtc';

/** The registered app as the sample answers it: the caller's own Exotel API key and token are not echoed. */
export type RegisteredApp = Omit<ExotelCreatedApp, 'ExotelApiKey' | 'ExotelApiToken'>;

@Controller('apps')
export class AppsController {
  constructor(private readonly client: ExotelWebrtcClient) {}

  /**
   * Registers an application under the customer (customer token, added by the library). The body is
   * validated by the client before anything is sent. `AppSecret` is returned because this reply is
   * the only time Exotel hands it out: the caller must store it now.
   */
  @Post()
  async register(@Body() body: RegisterAppDto): Promise<RegisteredApp> {
    const { ExotelApiKey: _key, ExotelApiToken: _token, ...app } = await this.client.apps.register(body);
    return app;
  }
}
