import { spawn } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';

const CHILD = fileURLToPath(new URL('./loopback-child.js', import.meta.url));

/**
 * The smallest Exotel look-alike (see loopback-child.js), started as a child process on 127.0.0.1 so
 * that neither its CPU nor its heap is counted against the code under test. Keep-alive on.
 */
export async function startLoopbackServer() {
  const child = spawn(process.execPath, [CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: `${origin}/v2/integrations`,
    mints: async () => (await (await globalThis.fetch(`${origin}/__stats`)).json()).Data.mints,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
