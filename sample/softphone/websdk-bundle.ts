import { build } from 'esbuild';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WEBSDK_DIR, WEBSDK_FILE, WEBSDK_GLOBAL, WEBSDK_PATH } from './websdk.js';

/**
 * Bundles Exotel's published CRM WebSDK, as installed in node_modules and never modified, into one
 * browser script (plus the ringtone files its phone library loads) in `outdir`. Only the sample's build
 * and tests call this: the running sample just serves the files.
 */
export async function bundleWebSdk(outdir: string = WEBSDK_DIR): Promise<void> {
  const { outputFiles } = await build({
    stdin: {
      contents: `export { ExotelCRMWebSDK, icoreBaseURL } from '@exotel-npm-dev/exotel-ip-calling-crm-websdk';`,
      resolveDir: process.cwd(),
      sourcefile: 'exotel-websdk-entry.js',
    },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: WEBSDK_GLOBAL,
    target: 'es2020',
    minify: true,
    outfile: join(outdir, WEBSDK_FILE),
    // The phone library `require`s its .wav tones (a webpack file-loader habit): copied next to the bundle.
    loader: { '.wav': 'file' },
    assetNames: '[name]-[hash]',
    publicPath: WEBSDK_PATH,
    logLevel: 'warning',
    write: false,
  });
  // Each file replaced in one rename: a sample serving the folder (or a test bundling at the same
  // time) never reads half a file.
  await mkdir(outdir, { recursive: true });
  for (const file of outputFiles) {
    const partial = `${file.path}.${process.pid}.partial`;
    await writeFile(partial, file.contents);
    await rename(partial, file.path);
  }
}
