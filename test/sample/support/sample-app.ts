import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import type { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { AppModule } from '../../../sample/app.module.js';
import { EmbeddedExotel } from '../../../sample/embedded-exotel/embedded-exotel.js';
import { EXOTEL_VARIABLES } from '../../../sample/exotel/exotel-options.factory.js';

/**
 * Every variable the sample reads. Each boot sets all of them, empty unless given: the sample treats
 * '' as unset, and a value that is present (even empty) keeps ConfigModule from taking the one in a
 * developer's `.env`.
 */
export const SAMPLE_VARIABLES = [...EXOTEL_VARIABLES, 'EXOTEL_REDIS_URL'] as const;

export type SampleEnv = Partial<Record<(typeof SAMPLE_VARIABLES)[number], string>>;

/** Sets the sample's variables (empty unless given); the returned function puts back exactly what was there. */
export function setSampleEnv(env: SampleEnv): () => void {
  const saved = SAMPLE_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of SAMPLE_VARIABLES) process.env[name] = env[name] ?? '';
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface BootedSample {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` of the sample. */
  url: string;
  /** What the sample decided about its embedded fake (`fake` is undefined when none was started). */
  embedded: EmbeddedExotel;
  /** Closes the app, then restores the environment. Idempotent. */
  close(): Promise<void>;
}

/**
 * Boots the sample's own AppModule on an ephemeral loopback port with `env` (see {@link setSampleEnv});
 * the environment stays set until `close()`, and is restored at once if the boot fails.
 */
export async function bootSample(env: SampleEnv = {}): Promise<BootedSample> {
  const restore = setSampleEnv(env);
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close().catch(() => undefined);
    restore();
    throw error;
  }
  const booted = app;
  const { port } = booted.getHttpServer().address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    app: booted,
    url: `http://127.0.0.1:${port}`,
    embedded: booted.get(EmbeddedExotel),
    close() {
      closed ??= booted.close().finally(restore);
      return closed;
    },
  };
}

export interface RunningSample extends BootedSample {
  /** The sample's embedded fake Exotel. */
  fake: FakeExotelServer;
}

/** Boots the sample with its embedded fake (no Exotel host configured), plus any other `env`. */
export async function startSample(
  env: Omit<SampleEnv, 'EXOTEL_WEBRTC_BASE_URL'> = {},
): Promise<RunningSample> {
  const sample = await bootSample({ ...env, EXOTEL_WEBRTC_BASE_URL: '' });
  const fake = sample.embedded.fake;
  if (!fake) {
    await sample.close();
    throw new Error('the sample did not start its embedded fake');
  }
  return { ...sample, fake };
}

/** A reply with its JSON body (or text when it is not JSON). */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch() that reads the body once, as JSON when possible; bounded by a 10 s timeout. */
export async function call<T = any>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Reply<T>> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
    signal: AbortSignal.timeout(10_000),
    ...rest,
    ...(json === undefined
      ? {}
      : { body: JSON.stringify(json), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body, text };
}
