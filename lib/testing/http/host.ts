import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type FakeCorsOptions, handleCors } from './cors.js';
import type { FakeExchange } from './exchange.js';

/** The loopback address the fake always binds to; it must never be reachable from elsewhere. */
export const FAKE_HOST = '127.0.0.1';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Owns the `node:http` server and everything that could keep a test process alive: sockets (keep-alive
 * connections outlive `server.close()`) and the timers of delayed answers. With `cors`, browser
 * preflights are answered here, before the handler sees the request.
 */
export class FakeHttpHost {
  private server: Server | undefined;
  private starting: Promise<number> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly sleepers = new Set<() => void>();
  private boundPort: number | undefined;

  constructor(
    private readonly handler: Handler,
    private readonly cors?: FakeCorsOptions,
  ) {}

  /** The port of the last successful listen, or undefined before the first start. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** Listens on 127.0.0.1; concurrent calls share one listen. */
  start(port: number): Promise<number> {
    if (this.server) return Promise.resolve(this.boundPort as number);
    this.starting ??= this.listen(port).finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Closes the server, destroys every socket and cancels pending delays; idempotent. */
  stop(): Promise<void> {
    const server = this.server;
    if (!server) return this.stopping ?? Promise.resolve();
    this.server = undefined;
    this.stopping = new Promise<void>((resolve) => {
      [...this.sleepers].forEach((cancel) => cancel());
      server.close(() => resolve());
      server.closeAllConnections();
      this.sockets.forEach((socket) => socket.destroy());
      this.sockets.clear();
    }).finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  /**
   * Waits `ms` with the global `setTimeout` (so Jest fake timers drive it). Resolves false early when the
   * client goes away or the server stops, so no timer outlives the exchange.
   */
  sleep = (ms: number, ex: FakeExchange): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const finish = (completed: boolean): void => {
        clearTimeout(timer);
        ex.res.off('close', abandon);
        this.sleepers.delete(abandon);
        resolve(completed);
      };
      const abandon = (): void => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      ex.res.on('close', abandon);
      this.sleepers.add(abandon);
    });

  private async listen(port: number): Promise<number> {
    await this.stopping;
    const server = createServer((req, res) => {
      if (!handleCors(req, res, this.cors)) this.handler(req, res);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A deep accept queue: tests fire 1,000 requests at once, and a busy machine must not turn the
      // overflow into connection resets (Node's default backlog is 511).
      server.listen({ port, host: FAKE_HOST, backlog: 4096 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // A late server error must not crash the test process, and the fake never logs.
    server.on('error', () => undefined);
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return this.boundPort;
  }
}
