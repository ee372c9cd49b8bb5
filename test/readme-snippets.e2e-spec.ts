import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

// Every ```ts block of the README, as a file of its own, type-checked against the built package (dist/,
// which globalSetup just built) under the strictest settings a team may have. The files sit inside the
// repository, so `nestjs-exotel-webrtc` resolves to the package itself through its "exports".
const run = promisify(execFile);
const REPO = resolve('.');
const DIR = join(REPO, '.artifacts', 'readme-snippets');

// A block whose first line is a file name comment (`// src/app.module.ts`) is written under that name, so
// later blocks can import it as the README says; the others are named after their line.
function snippets(): { file: string; code: string }[] {
  const found: { file: string; code: string }[] = [];
  const lines = readFileSync(join(REPO, 'README.md'), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[++i]!.trim() !== '```');
    const code = lines.slice(start, i).join('\n');
    const named = /^\/\/ ((?:[\w-]+\/)*[\w.-]+\.ts)$/.exec(lines[start]!.trim());
    found.push({ file: named?.[1] ?? `readme-line-${start + 1}.ts`, code });
  }
  return found;
}

describe('README', () => {
  it('has TypeScript snippets, each of which compiles exactly as shown', async () => {
    const blocks = snippets();
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    for (const { file, code } of blocks) {
      mkdirSync(dirname(join(DIR, file)), { recursive: true });
      writeFileSync(join(DIR, file), code);
    }
    expect(new Set(blocks.map((b) => b.file)).size).toBe(blocks.length);
    writeFileSync(
      join(DIR, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          moduleDetection: 'force',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        include: ['**/*.ts'],
      }),
    );
    const result = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', DIR], {
      cwd: DIR,
      timeout: 120_000,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
    // tsc names the file, and so the README line, of every error.
    expect(result.stdout).toBe('');
  }, 150_000);
});
