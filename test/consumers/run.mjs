// `npm run test:consumers`: the packed library in fresh apps of the kinds teams have, each installed with
// `npm ci` from its own committed lockfile (no --legacy-peer-deps, no overrides) and tested with its own
// runner. Needs the npm registry, so it runs in CI beside `npm test`, not inside it.
//   nest12-vitest    Nest 12, ES modules, Vitest (as `nest new` 12 makes it)
//   nest12-jest-esm  Nest 12, ES modules, Jest in ESM mode
//   nest11-jest-cjs  Nest 11, CommonJS, Jest (as `nest new` 11 made it)
// The lockfiles name the tarball without an integrity hash: the tarball changes with every build, and
// with a hash npm would install its cached copy of an older build instead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const consumers = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['nest12-vitest', 'nest12-jest-esm', 'nest11-jest-cjs'];
const npm = (cwd, ...args) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  });

execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repo, stdio: 'inherit' });
const pack = join(here, '.pack');
rmSync(pack, { recursive: true, force: true });
mkdirSync(pack);
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', pack], { cwd: repo, encoding: 'utf8' }),
);
renameSync(join(pack, packed.filename), join(pack, 'nestjs-exotel-webrtc.tgz'));

const failed = [];
for (const name of consumers) {
  const dir = join(here, name);
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  if (lock.packages['node_modules/nestjs-exotel-webrtc']?.integrity) {
    throw new Error(`${name}/package-lock.json: remove the integrity of nestjs-exotel-webrtc (see above)`);
  }
  console.log(`\n=== consumer ${name} ===`);
  try {
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    // A resolution from package.json alone, as `npm install` of the tarball does: fails on ERESOLVE.
    npm(dir, 'install', '--dry-run');
    npm(dir, 'ci');
    npm(dir, 'test');
    console.log(`consumer ${name}: passed`);
  } catch {
    console.log(`consumer ${name}: FAILED`);
    failed.push(name);
  }
}
console.log(`consumers: ${consumers.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
