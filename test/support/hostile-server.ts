import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Transform } from 'node:stream';
import { constants, createBrotliCompress, createDeflate, createGzip } from 'node:zlib';

// A raw node:http stand-in for Exotel whose replies are scripted per route, for what
// FakeExotelServer cannot do: bodies that trickle, never end, inflate, or point elsewhere. POST /token
// and GET/POST /app answer good envelopes unless scripted, so the module can mint and call. Every
// scripted reply counts the bytes it handed to the socket; nothing here uses a timer.

export const BASE_PATH = '/v2/integrations';

/** What one scripted reply did: the body bytes it wrote, and when the connection closed. */
export interface Exchange {
  readonly route: string;
  /** Body bytes handed to the socket so far (headers not counted). */
  sent: number;
  /** Resolves once the response's connection closed (the client hung up, or the reply finished). */
  readonly closed: Promise<void>;
  /** True once the client closed the connection before the reply was complete. */
  cutOff: boolean;
}

/** A scripted reply: gets the request, its body, and the exchange record to count into. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, exchange: Exchange) => void;

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export class HostileServer {
  readonly received: ReceivedRequest[] = [];
  readonly exchanges: Exchange[] = [];
  private readonly routes = new Map<string, Behaviour>();
  private minted = 0;
  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return `${this.origin}${BASE_PATH}`;
  }

  /** Tokens minted so far (good `POST /token` replies). */
  get mints(): number {
    return this.minted;
  }

  /** Scripts `route` (`METHOD /path`, relative to the base path, query ignored) until {@link clear}. */
  on(route: string, behaviour: Behaviour): this {
    this.routes.set(route, behaviour);
    return this;
  }

  clear(): this {
    this.routes.clear();
    this.exchanges.length = 0;
    this.received.length = 0;
    return this;
  }

  /** The newest exchange of `route`, once its request has arrived. */
  last(route: string): Exchange | undefined {
    return this.exchanges.filter((e) => e.route === route).at(-1);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) : url.pathname;
    const route = `${req.method} ${path || '/'}`;
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      this.received.push({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, bodyBytes });
      const behaviour = this.routes.get(route);
      if (!behaviour) return this.answerNormally(route, res);
      let closed!: () => void;
      const exchange: Exchange = {
        route,
        sent: 0,
        cutOff: false,
        closed: new Promise<void>((resolve) => (closed = resolve)),
      };
      res.on('close', () => {
        exchange.cutOff = !res.writableFinished;
        closed();
      });
      this.exchanges.push(exchange);
      behaviour(req, res, exchange);
    });
  }

  private answerNormally(route: string, res: ServerResponse): void {
    if (route === 'POST /token') return envelope(res, 200, `tok-${++this.minted}-hostile`);
    if (route === 'GET /app' || route === 'POST /app') {
      return envelope(res, 200, { AppID: 'app-1', CustomerID: 'cust-1', AppName: 'default' });
    }
    envelope(res, 404, null);
  }
}

/** Writes a complete Exotel envelope. */
export function envelope(res: ServerResponse, status: number, data: unknown): void {
  const body = JSON.stringify({
    RequestId: 'req-hostile',
    Status: status < 400 ? 'Success' : 'Failed',
    Code: status,
    Error: status < 400 ? '' : 'refused',
    Data: data,
  });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Writes `chunk` and waits until the socket took it (or the client is gone). Counts the bytes. */
function pump(res: ServerResponse, exchange: Exchange, chunk: Buffer | string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  exchange.sent += Buffer.byteLength(chunk);
  const more = res.write(chunk);
  if (more) return Promise.resolve(!res.destroyed);
  // Back-pressure: wait for the socket to drain, or for the client to hang up.
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

const FILLER = Buffer.alloc(64 * 1024, 'x');

/**
 * A 200 JSON reply whose body never ends (`{"Data":"xxxx…`), or ends after `declaredBytes` when given
 * (sent with that Content-Length). Writes as fast as the client reads, until it hangs up.
 */
export function hugeBody(declaredBytes?: number): Behaviour {
  return (_req, res, exchange) => {
    const head = '{"Data":"';
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ...(declaredBytes === undefined ? {} : { 'Content-Length': declaredBytes }),
    });
    void (async () => {
      if (!(await pump(res, exchange, head))) return;
      for (;;) {
        const left = declaredBytes === undefined ? FILLER.length : declaredBytes - exchange.sent;
        if (left <= 0) return void res.end();
        if (!(await pump(res, exchange, left < FILLER.length ? FILLER.subarray(0, left) : FILLER))) return;
      }
    })();
  };
}

export type Encoding = 'gzip' | 'deflate' | 'br';

/** `inflated` bytes of spaces, compressed with `encoding`: a decompression bomb (spaces keep it JSON-ish). */
export async function compressionBomb(encoding: Encoding, inflated: number): Promise<Buffer> {
  const zip: Transform =
    encoding === 'gzip'
      ? createGzip({ level: 9 })
      : encoding === 'deflate'
        ? createDeflate({ level: 9 })
        : createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  const out: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => zip.on('end', resolve).on('error', reject));
  const block = Buffer.alloc(1 << 20, ' ');
  for (let written = 0; written < inflated; written += block.length) {
    if (!zip.write(block)) await new Promise((resolve) => zip.once('drain', resolve));
  }
  zip.end();
  await ended;
  return Buffer.concat(out);
}

/**
 * Sends the first half of `bomb` with `Content-Encoding: encoding`, then waits for the client to hang
 * up: a client that counts inflated bytes stops on its own long before; one that counts wire bytes
 * would wait for the rest (and hit its deadline instead).
 */
export function bombBody(encoding: Encoding, bomb: Buffer): Behaviour {
  return (_req, res, exchange) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
    void pump(res, exchange, bomb.subarray(0, Math.ceil(bomb.length / 2)));
  };
}

/** A 3xx with `location` (and a small body, as servers send). */
export function redirectTo(status: number, location: string): Behaviour {
  return (_req, res) => {
    res.writeHead(status, { Location: location, 'Content-Type': 'text/plain', 'Content-Length': 9 });
    res.end('redirect!');
  };
}

/** Drives a trickled reply: headers and the start of the body at once, then one byte per `drip()`. */
export class Trickle {
  private res?: ServerResponse;
  private exchange?: Exchange;
  private arrived!: () => void;
  /** Resolves once the request arrived and the headers and first bytes went out. */
  readonly started = new Promise<void>((resolve) => (this.arrived = resolve));

  /** The behaviour to script: a 200 JSON reply (chunked) whose body comes a byte per drip. */
  readonly behaviour: Behaviour = (_req, res, exchange) => {
    this.res = res;
    this.exchange = exchange;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    void pump(res, exchange, '{"Data":"').then(() => this.arrived());
  };

  /** Sends one more byte; false once the client has hung up. */
  drip(): Promise<boolean> {
    if (!this.res || !this.exchange) return Promise.resolve(false);
    return pump(this.res, this.exchange, 'x');
  }

  /** Ends the body properly, so that a patient client gets a good envelope. */
  finish(): void {
    this.res?.end('","Status":"Success","Code":200}');
  }

  get closed(): Promise<void> | undefined {
    return this.exchange?.closed;
  }
}
