import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** Every name `lib/index.ts` exports, values and types, as TypeScript sees them. */
function rootExports(): string[] {
  const program = ts.createProgram(['lib/index.ts'], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    experimentalDecorators: true,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile('lib/index.ts')!)!;
  return checker
    .getExportsOfModule(entry)
    .map((symbol) => symbol.name)
    .sort();
}

/** The names listed in the README's export table. */
function readmeExports(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.slice(
    readme.indexOf('<!-- exports:start -->'),
    readme.indexOf('<!-- exports:end -->'),
  );
  const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Group'));
  const cells = rows.flatMap((row) => row.split('|').slice(2, 4));
  return [...cells.join(',').matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1]).sort();
}

describe('public API of the main entry', () => {
  it('is exactly what the README lists, and small', () => {
    const exported = rootExports();
    expect(readmeExports()).toEqual(exported);
    expect(exported.length).toBeLessThanOrEqual(48);
    // The interceptor's handshake and internal option tokens stay internal.
    for (const internal of [
      'TokenWithGeneration',
      'EXOTEL_WEBRTC_MODULE_OPTIONS',
      'CredentialConfig',
      'ExotelAppsApi',
    ])
      expect(exported).not.toContain(internal);
  });
});
