// Jest globalSetup: the fleet and packaging tests run compiled code (child processes, npm pack), so
// dist/ must match lib/. Rebuild once per run, before any worker starts, when a source is newer.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export default function globalSetup() {
  let built;
  try {
    built = statSync('dist/index.js').mtimeMs;
  } catch {
    built = 0;
  }
  if (newestMtime('lib') > built) {
    try {
      execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    } catch {
      // The tests that run dist/ report what is wrong.
      console.warn('globalSetup: the build of dist/ reported errors');
    }
  }
}
