import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExotelWebrtcClient } from 'nestjs-exotel-webrtc';
import { EmbeddedExotel } from '../embedded-exotel/embedded-exotel.js';

/**
 * Points the default app's notification settings at this sample once it listens: at
 * EXOTEL_WEBHOOK_PUBLIC_URL when set (where Exotel reaches this app, e.g. a tunnel), else, with the
 * embedded fake, at the sample's own loopback address, so the fake's calls reach the handlers.
 * With a real Exotel and no public URL nothing is registered.
 */
@Injectable()
export class WebhookRegistration implements OnApplicationBootstrap {
  private readonly logger = new Logger('Webhooks');
  private settle!: (registered: boolean) => void;
  /** Resolves once registration was tried after listen: true when the settings were written. */
  readonly registered = new Promise<boolean>((resolve) => (this.settle = resolve));

  constructor(
    private readonly client: ExotelWebrtcClient,
    private readonly config: ConfigService,
    private readonly embedded: EmbeddedExotel,
    private readonly adapter: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapter.httpAdapter?.getHttpServer() as Server | undefined;
    server?.once('listening', () => void this.register(server).then(this.settle));
  }

  private async register(server: Server): Promise<boolean> {
    const { port } = server.address() as AddressInfo;
    const base =
      this.config.get<string>('EXOTEL_WEBHOOK_PUBLIC_URL') ||
      (this.embedded.fake ? `http://127.0.0.1:${port}` : undefined);
    if (!base) return false;
    try {
      await this.client.settings.registerWebhooks(base);
      this.logger.log('Call notification settings registered');
      return true;
    } catch (error) {
      this.logger.warn(`Call notification settings not registered: ${(error as Error).message}`);
      return false;
    }
  }
}
