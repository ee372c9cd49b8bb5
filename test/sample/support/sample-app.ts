import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import type { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { AppModule } from '../../../sample/app.module.js';
import { EmbeddedExotel } from '../../../sample/embedded-exotel/embedded-exotel.js';

export interface RunningSample {
  app: INestApplication;
  /** `http://127.0.0.1:<port>` of the sample. */
  url: string;
  /** The sample's embedded fake Exotel. */
  fake: FakeExotelServer;
  close(): Promise<void>;
}

/**
 * Boots the sample's own AppModule on an ephemeral loopback port, with the embedded fake (the
 * variable that would point it at a real host is cleared for the duration).
 */
export async function startSample(): Promise<RunningSample> {
  const saved = process.env.EXOTEL_WEBRTC_BASE_URL;
  delete process.env.EXOTEL_WEBRTC_BASE_URL;
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const fake = app.get(EmbeddedExotel).fake;
  if (!fake) throw new Error('the sample did not start its embedded fake');
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    fake,
    async close() {
      await app.close();
      if (saved !== undefined) process.env.EXOTEL_WEBRTC_BASE_URL = saved;
    },
  };
}

/** A reply with its JSON body (or text when it is not JSON). */
export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch() that reads the body once, as JSON when possible. */
export async function call<T = any>(
  url: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Reply<T>> {
  const { json, ...rest } = init;
  const response = await fetch(url, {
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
