import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExotelHttpService, ExotelWebrtcModule, TokenService } from '../../dist/index.js';

/** A Nest application context with the module from dist/ (what users run), Nest logging off. */
export async function createExotelContext(options) {
  const app = await NestFactory.createApplicationContext(
    ExotelWebrtcModule.forRoot({ logger: false, ...options }),
    { logger: false },
  );
  return { app, tokens: app.get(TokenService), http: app.get(ExotelHttpService) };
}
