import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Packages a consumer gets from the repo's node_modules (by symlink: no network, no install). */
const LINKED = [
  '@nestjs',
  '@types',
  'axios',
  'rxjs',
  'reflect-metadata',
  'class-validator',
  'class-transformer',
  'ioredis',
  'tslib',
];

/**
 * The consumer's whole program: boots the module with forRootAsync (options from an injected provider)
 * against FakeExotelServer from the testing subpath, mints once, prints one line, closes, and leaves the
 * process to exit by itself. No top-level await, so the same source compiles as ESM and as CommonJS.
 */
function mainSource(): string {
  return `import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExotelError, ExotelWebrtcModule, type ExotelWebrtcModuleOptions, TokenService } from 'nestjs-exotel-webrtc';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';

async function main(): Promise<void> {
  const fake = await new FakeExotelServer().start();
  const customer = fake.addCustomer();

  @Module({ providers: [{ provide: 'EXOTEL_URL', useValue: fake.baseUrl }], exports: ['EXOTEL_URL'] })
  class ConfigModule {}

  @Module({
    imports: [
      ExotelWebrtcModule.forRootAsync({
        imports: [ConfigModule],
        inject: ['EXOTEL_URL'],
        useFactory: async (baseUrl: string): Promise<ExotelWebrtcModuleOptions> => ({ baseUrl, customer, logger: false }),
      }),
    ],
  })
  class AppModule {}

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const tokens = app.get(TokenService);
  const token: string = await tokens.getToken('customer');
  const [status] = tokens.status();
  const { RedisTokenStore: redis } = await import('nestjs-exotel-webrtc/redis');
  const facts = [\`valid=\${fake.isTokenValid(token)}\`, \`mints=\${fake.mintCount()}\`, \`redis=\${typeof redis}\`, \`errors=\${new ExotelError('x') instanceof Error}\`];
  console.log(\`OK \${status.state} \${facts.join(' ')}\`);
  await app.close();
  await fake.stop();
}

main().catch((error: unknown) => {
  console.error('FAIL', error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
`;
}

/**
 * Writes a consumer project into `dir`: package.json (ESM with `"type": "module"`, or CommonJS),
 * tsconfig (module NodeNext either way: TS picks the format from the package type), src/main.ts and
 * node_modules with the unpacked tarball (moved there by the caller) plus symlinks for the rest.
 */
export function writeConsumer(dir: string, repo: string, kind: 'esm' | 'cjs'): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  const pkg = {
    name: `consumer-${kind}`,
    version: '1.0.0',
    private: true,
    ...(kind === 'esm' ? { type: 'module' } : {}),
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    skipLibCheck: false, // the published .d.ts files must type-check in a strict consumer
    types: ['node'],
    outDir: 'dist',
    rootDir: 'src',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  writeFileSync(join(dir, 'src', 'main.ts'), mainSource());
  for (const name of LINKED)
    symlinkSync(join(repo, 'node_modules', name), join(dir, 'node_modules', name), 'dir');
}
