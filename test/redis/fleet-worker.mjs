/* global setTimeout */
// One replica of the fleet tests: a Nest application context with ExotelWebrtcModule and a
// RedisTokenStore, driven by the parent test over IPC. Tokens never leave this process: the parent
// only ever sees fingerprints.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const libDir = process.env.FLEET_LIB_DIR;
const config = JSON.parse(process.env.FLEET_CONFIG ?? '{}');
const lib = await import(pathToFileURL(join(libDir, 'index.js')).href);
const { RedisTokenStore } = await import(pathToFileURL(join(libDir, 'redis', 'index.js')).href);

const send = (message) => process.connected && process.send(message);

/** Reports every lease it wins, so the parent can tell which process is minting. */
class ReportingStore extends RedisTokenStore {
  async acquireLease(key, owner, ttlMs) {
    const won = await super.acquireLease(key, owner, ttlMs);
    if (won) send({ event: 'lease', key });
    return won;
  }
}

const forward = (level) => (message) => send({ event: 'log', level, message: String(message) });
const logger = {
  log: forward('log'),
  warn: forward('warn'),
  error: forward('error'),
  debug() {},
  verbose() {},
};

// Loading Node, Nest and the library takes most of a start-up; the parent releases all replicas
// at once after that, so the fleet boots together as after a deploy.
if (config.startOnSignal) {
  await new Promise((resolve) => {
    process.once('message', resolve);
    send({ event: 'loaded' });
  });
}

/**
 * With `credentialSourceKey`: the fleet's shared credential source, a Redis hash of app name -> JSON
 * `{ id, secret }` that the test writes as a host would after creating an app. Its own connection:
 * the store's are the library's.
 */
const sourceClient = config.credentialSourceKey
  ? new Redis(config.redisUrl, { commandTimeout: config.commandTimeoutMs, maxRetriesPerRequest: 1 })
  : undefined;
sourceClient?.on('error', () => undefined); // a failed lookup rejects; the library reports it
const credentialSource = sourceClient && {
  async appCredentials(name) {
    const stored = await sourceClient.hget(config.credentialSourceKey, name);
    return stored === null ? undefined : JSON.parse(stored);
  },
};

const store = new ReportingStore({ url: config.redisUrl }, { commandTimeoutMs: config.commandTimeoutMs });
let app;
try {
  app = await NestFactory.createApplicationContext(
    lib.ExotelWebrtcModule.forRoot({
      ...config.module,
      ...(credentialSource && { credentialSource }),
      store,
      logger,
    }),
    { logger: false, abortOnError: false },
  );
} catch (error) {
  send({ event: 'fatal', message: `${error?.name}: ${error?.message}` });
  await store.close();
  sourceClient?.disconnect();
  process.exit(1);
}
const tokens = app.get(lib.TokenService);
// Which token this replica holds, cycle by cycle (fingerprints only), for the parent's counting.
tokens.events$.subscribe((e) =>
  send({ event: 'token', type: e.type, credential: e.credential, fingerprint: e.fingerprint }),
);

const traffic = { running: false, loop: undefined, ok: 0, failed: 0, failures: [] };

/**
 * Continuous downstream traffic through the library's own HTTP path: ExotelAuthInterceptor puts the
 * token on, and after a 401 retries once with a newer (adopted or minted) token.
 */
async function runTraffic(pauseMs) {
  const http = app.get(lib.ExotelHttpService);
  let turn = 0;
  while (traffic.running) {
    const path = turn++ % 2 ? '/customer' : '/app';
    try {
      await http.axiosRef.get(path);
      traffic.ok++;
    } catch (error) {
      traffic.failed++;
      traffic.failures.push(`${path} ${error?.response?.status ?? error?.name}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

const fingerprints = () =>
  Object.fromEntries(tokens.status().map((row) => [row.credential, row.fingerprint ?? null]));

const commands = {
  fingerprints: async () => fingerprints(),
  refresh: async ({ entity }) => lib.fingerprint(await tokens.refresh(entity)),
  // Runtime apps. Credentials come in (the parent has them anyway); only fingerprints go out.
  'get-token': async ({ entity, app: name }) => lib.fingerprint(await tokens.getToken(entity, name)),
  'add-app': async ({ name, credentials }) => (tokens.addApp(name, credentials), true),
  'remove-app': async ({ name }) => (await tokens.removeApp(name), true),
  'has-app': async ({ name }) => tokens.hasApp(name),
  'status-of': async ({ entity, app: name }) => tokens.statusOf(entity, name) ?? null,
  probe: async () => {
    try {
      await store.read('probe');
      return true;
    } catch {
      return false;
    }
  },
  'traffic-start': async ({ pauseMs }) => {
    if (!traffic.running) {
      traffic.running = true;
      traffic.loop = runTraffic(pauseMs);
    }
    return true;
  },
  'traffic-stats': async () => ({
    ok: traffic.ok,
    failed: traffic.failed,
    failures: traffic.failures.slice(0, 5),
  }),
  'traffic-stop': async () => {
    traffic.running = false;
    await traffic.loop;
    return commands['traffic-stats']();
  },
  close: async () => {
    traffic.running = false;
    await traffic.loop;
    await app.close();
    await store.close();
    if (sourceClient?.status === 'ready') await sourceClient.quit().catch(() => sourceClient.disconnect());
    else sourceClient?.disconnect();
    return true;
  },
};

let closing = false;
process.on('message', async ({ id, command, args }) => {
  closing ||= command === 'close';
  let reply;
  try {
    reply = { id, result: await commands[command](args ?? {}) };
  } catch (error) {
    reply = { id, error: `${error?.name}: ${error?.message}` };
  }
  // After close, drop the IPC channel: the process must then exit on its own (no leaked handles).
  if (process.connected) process.send(reply, () => closing && process.disconnect());
});
// Orphaned (the test runner died): do not linger.
process.on('disconnect', () => closing || process.exit(1));

send({ event: 'ready' });
