import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { bannerOf } from './banner.js';
import { listenHost } from './listen-host.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGTERM/SIGINT run the shutdown hooks: timers cleared, Redis closed, embedded fake stopped.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT || 3000);
  await app.listen(port, listenHost());
  process.stdout.write(bannerOf(app));
}

void bootstrap();
