import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExotelHttpService, ExotelWebrtcModule, TokenService } from '../../dist/index.js';

/**
 * A Nest application context with the module from dist/ (what users run), Nest logging off. With
 * abortOnError off, a failing build throws its error here instead of exiting silently with status 1.
 */
export async function createExotelContext(options) {
  const app = await NestFactory.createApplicationContext(
    ExotelWebrtcModule.forRoot({ logger: false, ...options }),
    { logger: false, abortOnError: false },
  );
  return { app, tokens: app.get(TokenService), http: app.get(ExotelHttpService) };
}
