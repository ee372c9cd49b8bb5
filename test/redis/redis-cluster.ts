import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import {
  closeClient,
  connectAdmin,
  describeWithRedis,
  freePorts,
  HOST,
  RedisServer,
} from './redis-server.js';
import { waitFor } from './wait-for.js';

const CREATE_TIMEOUT_MS = 30_000;
const SLOTS = 16_384;

/** `describe` for tests on a Redis Cluster: like describeWithRedis, needing redis-cli as well. */
export function describeWithRedisCluster(name: string, body: () => void): void {
  describeWithRedis(name, body, ['redis-server', 'redis-cli']);
}

/**
 * A private Redis Cluster of `masters` masters (no replicas) on loopback ports, without persistence,
 * every node protected by one random password. Node configuration lives in a temporary directory
 * that stop() removes. Use it through `client()` (an ioredis Cluster the test owns) and `admin`,
 * plain connections to each node to inspect them.
 */
export class RedisCluster {
  private readonly admins: Redis[] = [];

  private constructor(
    private readonly dir: string,
    readonly nodes: readonly RedisServer[],
    /** Every node's password (tests check it never leaks). */
    readonly password: string,
  ) {}

  /** Starts the nodes, joins them into a cluster, and waits until every node reports it healthy. */
  static async start(masters = 3): Promise<RedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'exotel-redis-cluster-'));
    let cluster: RedisCluster | undefined;
    try {
      cluster = await RedisCluster.startNodes(dir, masters);
      await cluster.create();
      return cluster;
    } catch (error) {
      if (cluster) await cluster.stop();
      else await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Ports picked free can be taken before a node binds them: try a few sets. */
  private static async startNodes(dir: string, masters: number): Promise<RedisCluster> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      // Each node needs its client port and its cluster bus port.
      const ports = await freePorts(masters * 2);
      const password = randomBytes(12).toString('hex');
      const nodes = Array.from({ length: masters }, (_, i) => {
        const [port, busPort] = [ports[2 * i], ports[2 * i + 1]];
        return new RedisServer(port, {
          password,
          dir,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${port}.conf`),
            '--cluster-port',
            String(busPort),
            // The nodes talk to each other with this password too.
            '--masterauth',
            password,
          ],
        });
      });
      try {
        await Promise.all(nodes.map((node) => node.start()));
        return new RedisCluster(dir, nodes, password);
      } catch (error) {
        lastError = error;
        await Promise.all(nodes.map((node) => node.stop()));
      }
    }
    throw lastError;
  }

  /** Startup nodes for an ioredis Cluster. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: HOST, port: node.port }));
  }

  /** `host:port` of every master. */
  get addresses(): string[] {
    return this.nodes.map((node) => `${HOST}:${node.port}`);
  }

  /**
   * A connected ioredis Cluster for the test to own (close it with closeClient). Errors are left to
   * the commands that meet them, so none is printed with a node's address.
   */
  async client(options: ClusterOptions = {}): Promise<Cluster> {
    const client = new Cluster(this.startupNodes, {
      ...options,
      lazyConnect: true,
      redisOptions: { password: this.password, disconnectTimeout: 200, ...options.redisOptions },
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** The slot of `key` (or channel name), as the cluster computes it. */
  async slotOf(key: string): Promise<number> {
    return Number(await (await this.admin(0)).cluster('KEYSLOT', key));
  }

  /** `host:port` of the master serving `key`, from the cluster's own slot map. */
  async masterOf(key: string): Promise<string> {
    const slot = await this.slotOf(key);
    const ranges = await (await this.admin(0)).cluster('SLOTS');
    // Each range: first slot, last slot, then its master and any replicas.
    const range = ranges.find(([first, last]) => first <= slot && slot <= last);
    if (!range?.[2]) throw new Error(`no master serves slot ${slot}`);
    const [host, port] = range[2];
    return `${host}:${port}`;
  }

  /** Whether `key` exists, asked of the master that serves it (a plain connection, no redirects). */
  async exists(key: string): Promise<boolean> {
    const address = await this.masterOf(key);
    const index = this.addresses.indexOf(address);
    return (await (await this.admin(index)).exists(key)) === 1;
  }

  /** Connections subscribed to `channel`, summed over the nodes (each counts only its own). */
  async subscribers(channel: string): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.nodes.length; i++) {
      total += ((await (await this.admin(i)).call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
    }
    return total;
  }

  /** Kills every node, closes the admin connections and removes the configuration directory. Idempotent. */
  async stop(): Promise<void> {
    await Promise.all(this.admins.splice(0).map((admin) => closeClient(admin)));
    await Promise.all(this.nodes.map((node) => node.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** A plain connection to node `index`, opened on first use. */
  private async admin(index: number): Promise<Redis> {
    this.admins[index] ??= await connectAdmin(this.nodes[index].url);
    return this.admins[index];
  }

  /**
   * `redis-cli --cluster create` splits the slots evenly over the nodes and waits for them to agree;
   * then every node must report cluster_state:ok with all slots assigned before a test may begin.
   * The password goes through the environment, never the command line.
   */
  private async create(): Promise<void> {
    const args = ['--cluster', 'create', ...this.addresses, '--cluster-replicas', '0', '--cluster-yes'];
    await new Promise<void>((resolve, reject) => {
      execFile(
        'redis-cli',
        args,
        { env: { ...process.env, REDISCLI_AUTH: this.password }, timeout: CREATE_TIMEOUT_MS },
        (error, stdout, stderr) => {
          if (!error) return resolve();
          const output = `${stdout}${stderr}`.split(this.password).join('***').trim().slice(-2_000);
          reject(new Error(`redis-cli --cluster create failed (${error.message}): ${output}`));
        },
      );
    });
    await waitFor(
      'cluster_state:ok on every node',
      async () => {
        for (let i = 0; i < this.nodes.length; i++) {
          const info = String(await (await this.admin(i)).cluster('INFO'));
          if (!/cluster_state:ok/.test(info) || !info.includes(`cluster_slots_assigned:${SLOTS}`))
            return false;
        }
        return true;
      },
      CREATE_TIMEOUT_MS,
    );
  }
}
