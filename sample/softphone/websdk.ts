import { join } from 'node:path';

// Where Exotel's browser SDK bundle is written and served. Apart from the bundler, so that the running
// sample (the controller and the page) never loads esbuild.

/** Where `npm run sample:build` writes Exotel's browser SDK bundle, relative to the repository root. */
export const WEBSDK_DIR = join('dist-sample', 'websdk');

/** The URL path the sample serves {@link WEBSDK_DIR} under (the SDK's ringtones are fetched from it too). */
export const WEBSDK_PATH = '/websdk';

/** The bundle's entry file in {@link WEBSDK_DIR}. */
export const WEBSDK_FILE = 'exotel-websdk.js';

/**
 * Global the bundle defines in the page: `{ ExotelCRMWebSDK, icoreBaseURL }`. `icoreBaseURL` is the
 * host the SDK calls, fixed in its code; the page reads it from the SDK itself rather than repeating it.
 */
export const WEBSDK_GLOBAL = 'ExotelWebSdk';
