// `npm run build`: the library twice from the same sources, and one entry file per format for each subpath.
//   dist/**        the ES module build (tsc -p tsconfig.build.json)
//   dist/cjs/**    the CommonJS build (tsc -p tsconfig.cjs.json), with its own package.json type
//   dist/X.mjs     what `import` loads, dist/X.cjs what `require` loads (the package's "exports")
// A process may load the package both ways (an ESM app with one CommonJS dependency that requires it,
// or a CommonJS app that import()s it). Two copies would mean two TokenService classes and two sets of DI
// tokens, and Nest would fail to resolve one against the other. So the entry files let the first format
// loaded serve every later import or require in that process, in every subpath: see dist/copy.cjs.
//
// `--if-stale` builds only when a lib/ source is newer than the last complete build: dist/.complete,
// written last, so a build that failed half-way is redone. The test setup, the sample and the consumer
// matrix all ask this, so "is dist/ current" is decided in one place.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const COMPLETE = 'dist/.complete';

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

function completedAt() {
  try {
    return statSync(COMPLETE).mtimeMs;
  } catch {
    return 0;
  }
}

if (process.argv.includes('--if-stale') && newestSource('lib') <= completedAt()) process.exit(0);
console.log('Building the library (dist/, dist/cjs/)...');

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.cjs.json');
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');

writeFileSync(
  'dist/copy.cjs',
  `'use strict';
// The format ('esm' or 'cjs') whose copy of nestjs-exotel-webrtc serves this process: the first one
// loaded. Later entries of the other format hand out that copy's exports instead of their own, so that
// classes and DI tokens have one identity whichever way they were loaded.
const KEY = Symbol.for('nestjs-exotel-webrtc.format');
exports.serves = (format) => (globalThis[KEY] ??= format) === format;
`,
);

const { exports: entries } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const [subpath, target] of Object.entries(entries)) {
  if (typeof target === 'string') continue; // ./package.json
  const base = target.import.default.replace(/^\.\/dist\//, '').replace(/\.mjs$/, ''); // e.g. testing/index
  const up = '../'.repeat(base.split('/').length - 1) || './';
  const names = Object.keys(await import(pathToFileURL(`dist/${base}.js`).href)).sort();
  if (names.length === 0) throw new Error(`${subpath} exports nothing`);
  const file = base.split('/').pop();
  writeFileSync(
    `dist/${base}.mjs`,
    `// ES module entry of '${subpath}': this build's exports, or the CommonJS build's if that loaded first.
import { createRequire } from 'node:module';
import copy from '${up}copy.cjs';
import * as own from './${file}.js';
const chosen = copy.serves('esm') ? own : createRequire(import.meta.url)('${up}cjs/${base}.js');
export const { ${names.join(', ')} } = chosen;
`,
  );
  writeFileSync(
    `dist/${base}.cjs`,
    `'use strict';
// CommonJS entry of '${subpath}': this build's exports, or the ES module build's if that loaded first.
const copy = require('${up}copy.cjs');
module.exports = copy.serves('cjs') ? require('${up}cjs/${base}.js') : require('./${file}.js');
`,
  );
}
writeFileSync(COMPLETE, `${new Date().toISOString()}\n`);
