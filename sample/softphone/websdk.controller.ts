import { Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { WEBSDK_DIR, WEBSDK_PATH } from './websdk.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.wav': 'audio/wav' };

// Only the names esbuild writes (`exotel-websdk.js`, `ringtone-ABC123.wav`): no path can leave the folder.
const FILE_NAME = /^[\w-]+\.(js|wav)$/;

/** Serves Exotel's browser SDK bundle that `npm run sample:build` writes (see `bundleWebSdk`). */
@Controller(WEBSDK_PATH.slice(1))
export class WebSdkController {
  @Get(':file')
  @Header('Cache-Control', 'no-cache')
  async file(@Param('file') file: string): Promise<StreamableFile> {
    if (FILE_NAME.test(file)) {
      const body = await readFile(join(WEBSDK_DIR, file)).catch(() => undefined);
      if (body) return new StreamableFile(body, { type: TYPES[extname(file)] });
    }
    throw new NotFoundException(
      `${WEBSDK_PATH}/${file} is not there: Exotel's browser SDK is bundled by \`npm run sample:build\``,
    );
  }
}
