import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './compiled-lib.js';
import { waitFor } from './wait-for.js';

const WORKER = join(ROOT, 'test', 'redis', 'fleet-worker.mjs');
const REQUEST_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 5_000;

/** What a worker needs: module options (JSON only) and where Redis is. */
export interface WorkerConfig {
  redisUrl: string;
  commandTimeoutMs: number;
  /** Load, report 'loaded', and bootstrap the module only on `go()`. */
  startOnSignal?: boolean;
  /**
   * A Redis hash (app name -> JSON `{ id, secret }`) the worker's `credentialSource` reads: the
   * source every replica shares, as a host's database of apps would be.
   */
  credentialSourceKey?: string;
  module: Record<string, unknown>;
}

export interface WorkerEvent {
  event: 'loaded' | 'ready' | 'fatal' | 'lease' | 'log' | 'token';
  key?: string;
  level?: string;
  message?: string;
  /** For 'token': the TokenService event type, its credential ('customer', 'app:default') and fingerprint. */
  type?: string;
  credential?: string;
  fingerprint?: string;
  /** Order of arrival across the whole fleet. */
  seq: number;
}

let sequence = 0;

/** One replica in its own Node process, talked to over IPC. */
export class FleetWorker {
  readonly events: WorkerEvent[] = [];
  /** Everything the process wrote to stdout/stderr (checked for leaked secrets). */
  output = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(
    readonly name: string,
    libDir: string,
    config: WorkerConfig,
  ) {
    this.child = fork(WORKER, [], {
      execArgv: [],
      env: { ...process.env, FLEET_LIB_DIR: libDir, FLEET_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.on(
      'message',
      (message: { id?: number; result?: unknown; error?: string } & Partial<WorkerEvent>) => {
        if (message.event) {
          this.events.push({ ...(message as WorkerEvent), seq: sequence++ });
          return;
        }
        const call = this.pending.get(message.id!);
        this.pending.delete(message.id!);
        if (message.error !== undefined) call?.reject(new Error(`${this.name}: ${message.error}`));
        else call?.resolve(message.result);
      },
    );
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        for (const call of this.pending.values()) call.reject(new Error(`${this.name} exited`));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process reported `stage` ('loaded' with startOnSignal, else 'ready'). */
  async reached(stage: 'loaded' | 'ready', timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${this.name} to be ${stage}`,
      () => {
        const fatal = this.events.find((e) => e.event === 'fatal');
        if (fatal) throw new Error(`${this.name} failed to start: ${fatal.message}`);
        if (!this.alive) throw new Error(`${this.name} exited during start-up`);
        return this.events.some((e) => e.event === stage);
      },
      timeoutMs,
    );
  }

  ready(timeoutMs?: number): Promise<void> {
    return this.reached('ready', timeoutMs);
  }

  /** Lets a worker started with `startOnSignal` bootstrap its module. */
  go(): void {
    this.child.send({ go: true });
  }

  request<T>(command: string, args?: Record<string, unknown>, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${command} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.send({ id, command, args });
    });
  }

  /**
   * The tokens this process took on for `credential` (minted, refreshed or adopted) after event
   * number `since` and up to `until`, by fingerprint, a repeat of the one before dropped.
   */
  tokensHeld(credential: string, since: number, until = Infinity): string[] {
    const held: string[] = [];
    for (const e of this.events) {
      if (e.event !== 'token' || e.credential !== credential || e.seq <= since || e.seq > until) continue;
      if (!['minted', 'refreshed', 'adopted'].includes(e.type!)) continue;
      if (held.at(-1) !== e.fingerprint) held.push(e.fingerprint!);
    }
    return held;
  }

  /** Fingerprints of the tokens this process minted itself (not adopted) for `credential` in the same window. */
  tokensMinted(credential: string, since: number, until = Infinity): string[] {
    return this.events
      .filter((e) => e.event === 'token' && e.credential === credential && e.seq > since && e.seq <= until)
      .filter((e) => e.type === 'minted' || e.type === 'refreshed')
      .map((e) => e.fingerprint!);
  }

  /** Warnings and logs the library wrote in this process since event number `since`. */
  logs(level: string, since = -1): string[] {
    return this.events
      .filter((e) => e.event === 'log' && e.level === level && e.seq > since)
      .map((e) => e.message!);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }

  /** Asks for a clean shutdown; returns the exit code (SIGKILL and null when it would not exit by itself). */
  async close(): Promise<number | null> {
    if (!this.alive) return this.exited;
    await this.request('close').catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.exited,
      new Promise<'stuck'>((r) => (timer = setTimeout(() => r('stuck'), EXIT_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (code !== 'stuck') return code;
    await this.kill();
    return null;
  }
}

/** Event counter for "since now" queries. */
export function currentSeq(): number {
  return sequence - 1;
}
