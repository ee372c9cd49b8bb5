import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// The layering rule of `npm run lint`, run on small trees shaped like lib/: it must pass the real
// library and an allowed import, and fail a forbidden import and a cycle.
const root = resolve('.');
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [cli, 'lib', '--config', config, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const fixture = (name: string): string => join(root, 'test', 'fixtures', 'layering', name);

describe('layering rule (dependency-cruiser, run by npm run lint)', () => {
  it('passes the library itself', () => {
    const { status, output } = cruise(root);
    expect(output).toContain('no dependency violations');
    expect(status).toBe(0);
  });

  it('passes an import that goes down the layers', () => {
    expect(cruise(fixture('allowed')).status).toBe(0);
  });

  it('fails when token/ imports http/', () => {
    const { status, output } = cruise(fixture('forbidden'));
    expect(status).not.toBe(0);
    expect(output).toContain('layer-5-imports-upward');
    expect(output).toContain('lib/token/minter.ts');
  });

  it('fails on an import cycle', () => {
    const { status, output } = cruise(fixture('cycle'));
    expect(status).not.toBe(0);
    expect(output).toContain('no-circular');
  });
});
