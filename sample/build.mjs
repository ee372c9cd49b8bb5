// Builds what `npm run sample` runs: the library into dist/ (only when a lib/ source is newer, so that a
// run never rewrites dist/ under tests or other processes reading it) and the sample into dist-sample/,
// where 'nestjs-exotel-webrtc' resolves to dist/ through the package's own "exports".
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt() {
  try {
    return statSync('dist/index.js').mtimeMs;
  } catch {
    return 0;
  }
}

if (newestSource('lib') > builtAt()) {
  console.log('Building the library (dist/)...');
  tsc('tsconfig.build.json');
}
console.log('Building the sample (dist-sample/)...');
tsc('sample/tsconfig.build.json');
