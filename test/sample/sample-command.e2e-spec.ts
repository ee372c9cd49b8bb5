import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAKE_SEED } from 'nestjs-exotel-webrtc/testing';

// The README's command; the build inside it is bounded by this test's own timeout.
const COMMAND = ['npm', ['run', 'sample']] as const;
const START_TIMEOUT_MS = 150_000;
const EXIT_TIMEOUT_MS = 15_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** This machine's own addresses other than loopback (none on a host with only `lo`). */
function outsideAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
}

/** True when a TCP connection to host:port is accepted within 2 s. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Sends `signal` to every process of the group led by `pid`; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

describe('the README sample command', () => {
  let child: ChildProcess | undefined;
  /** npm's exit code, once every process holding its stdout and stderr (the sample's node too) exited. */
  let closed: Promise<number | null> | undefined;
  let output = '';

  // Own process group, so that npm, its shell and the sample's node all get the signal.
  async function stop(): Promise<number | null | undefined> {
    if (!child?.pid || !closed) return null;
    signalGroup(child.pid, 'SIGTERM');
    const timer = new AbortController();
    const timedOut = sleep(EXIT_TIMEOUT_MS, 'timeout' as const, { signal: timer.signal }).catch(
      () => undefined,
    );
    const code = await Promise.race([closed, timedOut]);
    timer.abort();
    if (code === 'timeout') {
      signalGroup(child.pid, 'SIGKILL');
      throw new Error(`the sample did not exit within ${EXIT_TIMEOUT_MS} ms of SIGTERM`);
    }
    return code;
  }

  afterAll(async () => {
    await stop().catch(() => undefined);
  });

  it(
    'starts the sample with no account: both credentials fresh, the softphone panel served with its SDK bundle',
    async () => {
      const port = await freePort();
      child = spawn(COMMAND[0], COMMAND[1], {
        cwd: process.cwd(),
        // Empty values, not deleted ones: ConfigModule would take a developer's .env instead.
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '',
          EXOTEL_WEBRTC_BASE_URL: '',
          EXOTEL_REDIS_URL: '',
        },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const spawned = child;
      closed = new Promise((resolve) => spawned.once('close', (code) => resolve(code)));
      // The banner is written once the app listens, after the start-up mints (awaited at module init).
      const bannerWritten = new Promise<void>((resolve, reject) => {
        const keep = (chunk: Buffer) => {
          output = (output + chunk.toString()).slice(-20_000);
          if (/Token store: .*\n/.test(output)) resolve();
        };
        spawned.stdout!.on('data', keep);
        spawned.stderr!.on('data', keep);
        spawned.once('exit', (code) =>
          reject(new Error(`the sample exited (${code}) before its banner; output:\n${output}`)),
        );
      });
      await bannerWritten;
      const reply = await fetch(`http://127.0.0.1:${port}/tokens`, { signal: AbortSignal.timeout(10_000) });
      const rows = (await reply.json()) as { credential: string; state: string }[];
      expect(rows.map((r) => [r.credential, r.state])).toEqual([
        ['customer', 'fresh'],
        ['app:default', 'fresh'],
      ]);
      // The build bundled Exotel's browser SDK, and the page's softphone panel loads it from the sample.
      expect(output).toContain("Bundling Exotel's browser SDK");
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).toContain('data-testid="softphone-stage"');
      const bundlePath = /<script src="(\/websdk\/[\w-]+\.js)">/.exec(page)?.[1];
      expect(bundlePath).toBeDefined();
      const bundle = await fetch(`http://127.0.0.1:${port}${bundlePath}`);
      expect(bundle.status).toBe(200);
      expect(await bundle.text()).toContain('ExotelCRMWebSDK');

      // The banner: where the fake listens, that the credentials are demo ones, how to use the real host.
      // Loopback only by default (GET /softphone hands out the app token without authentication).
      expect(output).toContain(`listening on http://127.0.0.1:${port}\n`);
      expect(output).toContain('Token store:  in memory');
      for (const address of outsideAddresses()) expect(await accepts(address, port)).toBe(false);
      expect(output).toMatch(/embedded FakeExotelServer at http:\/\/127\.0\.0\.1:\d+\/v2\/integrations/);
      expect(output).toContain('demo credentials');
      expect(output).toContain('EXOTEL_WEBRTC_BASE_URL');
      expect(output).not.toContain(FAKE_SEED.customer.secret);
      expect(output).not.toContain(FAKE_SEED.app.secret);

      const code = await stop();
      expect(code === 0 || code === null).toBe(true);
    },
    START_TIMEOUT_MS + EXIT_TIMEOUT_MS + 10_000,
  );
});
