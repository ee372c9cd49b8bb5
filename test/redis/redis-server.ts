import { describe, it } from '@jest/globals';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { type Cluster, Redis } from 'ioredis';

export const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** True when `binary` (redis-server, redis-cli) is on PATH. */
export function installed(binary: string): boolean {
  return !spawnSync(binary, ['--version'], { stdio: 'ignore' }).error;
}

/**
 * `describe` when the Redis binaries are installed (redis-cli comes with redis-server, in Debian's
 * redis-tools). Without them: in CI (process.env.CI set) a failing test, because these tests must
 * never be skipped there; elsewhere a skipped block and a visible message.
 */
export function describeWithRedis(
  name: string,
  body: () => void,
  binaries: readonly string[] = ['redis-server'],
): void {
  const missing = binaries.filter((binary) => !installed(binary)).join(' and ');
  if (!missing) {
    describe(name, body);
  } else if (process.env.CI) {
    describe(name, () => {
      it(`needs ${missing} on PATH (CI must install it: apt-get install -y redis-server)`, () => {
        throw new Error(`${missing} not installed; Redis tests must not be skipped in CI`);
      });
    });
  } else {
    console.warn(
      `SKIPPED "${name}": ${missing} not on PATH (apt-get install -y redis-server to run these tests)`,
    );
    describe.skip(name, body);
  }
}

/** A plain ioredis client for a test to inspect the server with (close it with closeClient). */
export async function connectAdmin(url: string): Promise<Redis> {
  const admin = new Redis(url, { lazyConnect: true, disconnectTimeout: 200 });
  admin.on('error', () => undefined); // a stopped server is part of some tests; the next command reports it
  await admin.connect();
  return admin;
}

/**
 * Closes a test's own ioredis client (or Cluster) and waits until its sockets are gone. quit() on a
 * client that is reconnecting (after a Redis restart) would leave ioredis' 2 s disconnect timer running.
 */
export async function closeClient(client: Redis | Cluster | undefined): Promise<void> {
  if (!client || client.status === 'end') return;
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/**
 * `count` different loopback ports that were free a moment ago: all are held open until the last
 * is picked, so the system cannot hand out one of them twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, HOST, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
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

/** How a {@link RedisServer} is run besides its port and password. */
export interface RedisServerSetup {
  /** The password; a random one by default. */
  password?: string;
  /** Working directory; the system temp directory by default (nothing is persisted there). */
  dir?: string;
  /** More redis-server arguments. */
  args?: readonly string[];
}

/**
 * A private redis-server on a loopback port, without persistence, protected by a random password
 * (so tests can check it never leaks). `stop()` then `start()` restarts it on the same port with an
 * empty data set, like a Redis that lost its memory.
 */
export class RedisServer {
  readonly password: string;
  private process?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly port: number,
    private readonly setup: RedisServerSetup = {},
  ) {
    this.password = setup.password ?? randomBytes(12).toString('hex');
  }

  /** A server on a free port. */
  static async start(): Promise<RedisServer> {
    let lastError: unknown;
    // The port is free when picked but could be taken before redis binds it: try a few.
    for (let attempt = 0; attempt < 3; attempt++) {
      const [port] = await freePorts(1);
      const server = new RedisServer(port);
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
      this.setup.dir ?? tmpdir(),
    ];
    args.push('--requirepass', this.password, '--loglevel', 'warning', '--daemonize', 'no');
    args.push(...(this.setup.args ?? []));
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
