import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Repository root (Jest runs from it). */
export const ROOT = process.cwd();
const DIST = join(ROOT, 'dist');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(latest, newest(path));
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
      ? Math.max(latest, statSync(path).mtimeMs)
      : latest;
  }, 0);
}

function builtAt(): number {
  try {
    return Math.min(
      statSync(join(DIST, 'index.js')).mtimeMs,
      statSync(join(DIST, 'redis', 'index.js')).mtimeMs,
    );
  } catch {
    return 0;
  }
}

/**
 * The fleet's child processes run the compiled library (Node 20 cannot load TypeScript). Jest's
 * globalSetup normally rebuilds dist/ already; this covers runs without it. tsc emits even when it
 * reports type errors elsewhere in the tree, so only a missing output is fatal.
 */
export function compiledLib(): string {
  if (builtAt() < newest(join(ROOT, 'lib'))) {
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
        { cwd: ROOT, stdio: 'ignore' },
      );
    } catch {
      if (builtAt() === 0)
        throw new Error('npm run build did not produce dist/index.js and dist/redis/index.js');
    }
  }
  return DIST;
}
