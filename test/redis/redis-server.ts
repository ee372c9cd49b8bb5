import { describe, it } from '@jest/globals';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** True when a `redis-server` binary is on PATH. */
export function redisServerInstalled(): boolean {
  return !spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error;
}

/**
 * `describe` when redis-server is installed. Without it: in CI (process.env.CI set) a failing test,
 * because these tests must never be skipped there; elsewhere a skipped block and a visible message.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (redisServerInstalled()) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs redis-server on PATH (CI must install it: apt-get install -y redis-server)', () => {
        throw new Error('redis-server is not installed; Redis tests must not be skipped in CI');
      });
    });
  } else {
    console.warn(
      `SKIPPED "${name}": redis-server is not on PATH (apt-get install -y redis-server to run these tests)`,
    );
    describe.skip(name, body);
  }
}

/**
 * Closes a test's own ioredis client and waits until its socket is gone. quit() on a client that is
 * reconnecting (after a Redis restart) would leave ioredis' 2 s disconnect timer running.
 */
/** A plain ioredis client for a test to inspect the server with (close it with closeClient). */
export async function connectAdmin(url: string): Promise<Redis> {
  const admin = new Redis(url, { lazyConnect: true, disconnectTimeout: 200 });
  admin.on('error', () => undefined); // a stopped server is part of some tests; the next command reports it
  await admin.connect();
  return admin;
}

export async function closeClient(client: Redis | undefined): Promise<void> {
  if (!client || client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Any reply to PING (PONG, or NOAUTH when a password is set) means the server accepts connections. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^[+-]/.test(data.toString('latin1'))));
    socket.connect(port, HOST, () => socket.write('PING\r\n'));
  });
}

/**
 * A private redis-server on a free loopback port, without persistence, protected by a random
 * password (so tests can check it never leaks). `stop()` then `start()` restarts it on the same
 * port with an empty data set, like a Redis that lost its memory.
 */
export class RedisServer {
  readonly password = randomBytes(12).toString('hex');
  private process?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    let lastError: unknown;
    // The port is free when picked but could be taken before redis binds it: try a few.
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = new RedisServer(await freePort());
      try {
        await server.start();
        return server;
      } catch (error) {
        lastError = error;
        await server.stop();
      }
    }
    throw lastError;
  }

  /** `redis://:<password>@127.0.0.1:<port>`. */
  get url(): string {
    return `redis://:${this.password}@${HOST}:${this.port}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  async start(): Promise<void> {
    if (this.process) return;
    const args = [
      '--port',
      String(this.port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      tmpdir(),
    ];
    args.push('--requirepass', this.password, '--loglevel', 'warning', '--daemonize', 'no');
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let failed: Error | undefined;
    child.once('error', (error) => (failed = error));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (failed || child.exitCode !== null) break;
      if (await answersPing(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `redis-server did not answer PING on port ${this.port}${failed ? ` (${failed.message})` : ''}`,
    );
  }

  /** SIGSTOP / SIGCONT: a server that accepts connections but answers nothing, like an overloaded one. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills the server and waits for it to exit. Idempotent. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child) return;
    this.process = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.exited,
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }
}
