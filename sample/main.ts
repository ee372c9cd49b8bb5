import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import {
  EXOTEL_WEBRTC_RESOLVED_OPTIONS,
  type ResolvedExotelOptions,
  TokenService,
} from 'nestjs-exotel-webrtc';
import { AppModule } from './app.module.js';
import { banner } from './banner.js';
import { EmbeddedExotel } from './embedded-exotel/embedded-exotel.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGTERM/SIGINT run the shutdown hooks: timers cleared, embedded fake stopped.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const { port: actual } = app.getHttpServer().address() as AddressInfo;
  const options = app.get<ResolvedExotelOptions>(EXOTEL_WEBRTC_RESOLVED_OPTIONS);
  const url = `http://localhost:${actual}`;
  process.stdout.write(banner(url, app.get(EmbeddedExotel), options.baseUrl, app.get(TokenService).status()));
}

void bootstrap();
