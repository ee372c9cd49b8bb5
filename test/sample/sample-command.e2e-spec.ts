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

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freshTokens(url: string): Promise<any[] | undefined> {
  try {
    const reply = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    const rows = (await reply.json()) as any[];
    return rows.length === 2 && rows.every((r) => r.state === 'fresh') ? rows : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

describe('the README sample command', () => {
  let child: ChildProcess | undefined;
  let output = '';

  // Own process group, so that npm, its shell and the sample's node all get the signal.
  async function stop(): Promise<number | null | undefined> {
    if (!child?.pid || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(-child.pid, 'SIGTERM');
    const deadline = Date.now() + EXIT_TIMEOUT_MS;
    const timer = new AbortController();
    const timedOut = sleep(EXIT_TIMEOUT_MS, 'timeout' as const, { signal: timer.signal }).catch(
      () => undefined,
    );
    const code = await Promise.race([exited, timedOut]);
    timer.abort();
    while (groupAlive(child.pid) && Date.now() < deadline) await sleep(100);
    if (code === 'timeout' || groupAlive(child.pid)) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`the sample did not exit within ${EXIT_TIMEOUT_MS} ms of SIGTERM`);
    }
    return code;
  }

  afterAll(async () => {
    await stop().catch(() => undefined);
  });

  it(
    'starts the sample with no account and answers /tokens with both credentials fresh',
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
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);

      const deadline = Date.now() + START_TIMEOUT_MS;
      let rows: any[] | undefined;
      while (!rows && Date.now() < deadline && child.exitCode === null) {
        await sleep(500);
        rows = await freshTokens(`http://127.0.0.1:${port}/tokens`);
      }
      if (!rows) throw new Error(`the sample never answered /tokens with fresh tokens; output:\n${output}`);
      expect(rows.map((r) => r.credential)).toEqual(['customer', 'app:default']);

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
