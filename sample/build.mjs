// Builds what `npm run sample` runs: the library into dist/ (only when a lib/ source is newer, so that a
// run never rewrites dist/ under tests or other processes reading it), the sample into dist-sample/,
// where 'nestjs-exotel-webrtc' resolves to dist/ through the package's own "exports", and Exotel's
// browser SDK into dist-sample/websdk/ for the page's softphone panel.
import { execFileSync } from 'node:child_process';

const tsc = (project) =>
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { stdio: 'inherit' });

execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
console.log('Building the sample (dist-sample/)...');
tsc('sample/tsconfig.build.json');
console.log("Bundling Exotel's browser SDK (dist-sample/websdk/)...");
// Compiled just above; the same function the browser tests call, so both serve the same bundle.
const { bundleWebSdk } = await import('../dist-sample/softphone/websdk-bundle.js');
await bundleWebSdk();
