import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeConsumer } from './support/consumer-app.js';

// What a user gets from `npm install nestjs-exotel-webrtc`: the tarball `npm pack` makes from the
// dist/ that globalSetup just built, installed (unpacked, no network) into fresh ESM and CommonJS
// Nest 12 apps that are compiled with tsc and run as child processes.
const run = promisify(execFile);
const REPO = resolve('.');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const OFFLINE = {
  ...process.env,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

describe('packaging: npm pack, then fresh consumer apps', () => {
  let work: string;
  let tarball: string;
  let files: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'exotel-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: REPO,
      env: OFFLINE,
      timeout: 120_000,
    });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed.filename);
    files = packed.files.map((f) => f.path);
  }, 150_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships dist/, the lib/ sources, README.md, LICENSE and package.json, and nothing from test/, sample/ or bench/', () => {
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/testing/index.js',
      'dist/testing/index.d.ts',
    ]) {
      expect(files).toContain(required);
    }
    const stray = files.filter(
      (f) =>
        /^(test|sample|bench|node_modules|coverage)\//.test(f) ||
        /\.spec\.|\.tsbuildinfo$|(^|\/)\.env/.test(f),
    );
    expect(stray).toEqual([]);
    expect(
      files.every(
        (f) =>
          ['package.json', 'README.md', 'LICENSE'].includes(f) ||
          f.startsWith('dist/') ||
          /^lib\/.*\.ts$/.test(f),
      ),
    ).toBe(true);
  });

  it('has declaration maps that lead to shipped sources, for both builds', () => {
    for (const [map, source] of [
      ['dist/index.d.ts.map', 'lib/index.ts'],
      ['dist/cjs/testing/index.d.ts.map', 'lib/testing/index.ts'],
    ] as const) {
      expect(files).toContain(map);
      const { sources } = JSON.parse(readFileSync(join(REPO, map), 'utf8')) as { sources: string[] };
      expect(sources.map((s) => join(dirname(map), s))).toEqual([source]);
      expect(files).toContain(source);
    }
  });

  it('has an exports map with an import and a require build per subpath, every target in the tarball', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, Record<string, string>>>;
    };
    for (const subpath of ['.', './testing', './redis', './webhooks']) {
      const entry = pkg.exports[subpath] as Record<string, Record<string, string>>;
      expect(entry).toEqual({
        import: {
          types: expect.stringMatching(/^\.\/dist\/.*\.d\.ts$/),
          default: expect.stringMatching(/\.mjs$/),
        },
        require: {
          types: expect.stringMatching(/^\.\/dist\/cjs\/.*\.d\.ts$/),
          default: expect.stringMatching(/\.cjs$/),
        },
      });
      for (const target of [entry.import!, entry.require!]) {
        expect(files).toContain(target.types!.slice(2));
        expect(files).toContain(target.default!.slice(2));
      }
    }
    expect(files).toContain('dist/cjs/package.json');
  });

  describe.each(['esm', 'cjs'] as const)('%s consumer', (kind) => {
    let dir: string;
    beforeAll(async () => {
      dir = join(work, `consumer-${kind}`);
      mkdirSync(join(dir, 'node_modules'), { recursive: true });
      await run('tar', ['-xzf', tarball, '-C', join(dir, 'node_modules')], { timeout: 60_000 });
      renameSync(join(dir, 'node_modules', 'package'), join(dir, 'node_modules', 'nestjs-exotel-webrtc'));
      writeConsumer(dir, REPO, kind);
    }, 90_000);

    it('compiles with tsc: ".", "./testing" and "./redis" resolve with their types', async () => {
      const compiled = await run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], {
        cwd: dir,
        timeout: 180_000,
      }).catch((error: { stdout?: string }) => ({ stdout: `tsc failed:\n${error.stdout ?? String(error)}` }));
      expect(compiled.stdout).toBe('');
      expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
      const emitted = readFileSync(join(dir, 'dist', 'main.js'), 'utf8');
      // Proof of the format: CommonJS output require()s the package (its CommonJS build).
      expect(/require\("nestjs-exotel-webrtc"\)/.test(emitted)).toBe(kind === 'cjs');
    }, 200_000);

    // One process, both formats, the other format second; the CommonJS one starts from a subpath.
    it('holds one copy of the library when the other format loads it too, root or subpath', async () => {
      const compare = `const same = (a, b) => ['TokenService', 'ExotelError', 'FakeExotelServer']
          .map((name) => (a.root[name] ?? a.testing[name]) === (b.root[name] ?? b.testing[name]));
        console.log(globalThis[Symbol.for('nestjs-exotel-webrtc.format')], same(first, second).join(' '));`;
      const script =
        kind === 'esm'
          ? `import * as root from 'nestjs-exotel-webrtc';
             import * as testing from 'nestjs-exotel-webrtc/testing';
             import { createRequire } from 'node:module';
             const require = createRequire(process.cwd() + '/');
             const first = { root, testing };
             const second = { root: require('nestjs-exotel-webrtc'), testing: require('nestjs-exotel-webrtc/testing') };
             ${compare}`
          : `const first = { testing: require('nestjs-exotel-webrtc/testing'), root: require('nestjs-exotel-webrtc') };
             Promise.all([import('nestjs-exotel-webrtc'), import('nestjs-exotel-webrtc/testing')]).then(([root, testing]) => {
               const second = { root, testing };
               ${compare}
             });`;
      const { stdout } = await run(
        process.execPath,
        [`--input-type=${kind === 'esm' ? 'module' : 'commonjs'}`, '-e', script],
        { cwd: dir, timeout: 30_000 },
      );
      expect(stdout.trim()).toBe(`${kind} true true true`);
    }, 60_000);

    it('boots forRootAsync, mints against FakeExotelServer, closes and exits 0 by itself', async () => {
      // A leftover handle would keep the child alive until the timeout kills it (then killed is true).
      const result = await run(process.execPath, [join(dir, 'dist', 'main.js')], {
        cwd: dir,
        timeout: 30_000,
      }).catch((error: { code?: number; killed?: boolean; stdout?: string; stderr?: string }) => ({
        ...error,
        failed: true,
      }));
      expect(result).not.toHaveProperty('failed');
      const lines = result.stdout?.trim().split('\n') ?? [];
      expect(lines).toEqual(['OK fresh valid=true mints=1 redis=function errors=true']);
      // Node 20.20 runs require(esm) without a warning; tolerate one from other 20.x/22.x builds, nothing else.
      const stderr = (result.stderr ?? '')
        .split('\n')
        .filter((l) => l.trim() && !/ExperimentalWarning|--trace-warnings/.test(l));
      expect(stderr).toEqual([]);
    }, 60_000);
  });
});
