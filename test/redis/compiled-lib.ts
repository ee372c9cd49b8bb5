import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Repository root (Jest runs from it). */
export const ROOT = process.cwd();
const DIST = join(ROOT, 'dist');

/**
 * The fleet's child processes run the compiled library (Node 20 cannot load TypeScript). Jest's
 * globalSetup normally rebuilds dist/ already; this covers runs without it, through the same check.
 */
export function compiledLib(): string {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return DIST;
}
