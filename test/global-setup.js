// Jest globalSetup: the fleet and packaging tests run compiled code (child processes, npm pack), so
// dist/ must match lib/. Rebuilt once per run, before any worker starts, when a source is newer.
import { execFileSync } from 'node:child_process';

export default function globalSetup() {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  } catch {
    // The tests that run dist/ report what is wrong.
    console.warn('globalSetup: the build of dist/ reported errors');
  }
}
