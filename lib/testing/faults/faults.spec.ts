import { jest, describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeExotelServer } from '../index.js';

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function call(
  server: FakeExotelServer,
  method: string,
  path: string,
  auth?: string,
  body?: unknown,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (auth !== undefined) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const flushIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FakeExotelServer faults', () => {
  let server: FakeExotelServer;
  let customer: { id: string; secret: string };
  let creds: { Id: string; Secret: string; Entity: string };

  const postToken = (): Promise<Reply> => call(server, 'POST', '/token', undefined, creds);

  beforeEach(async () => {
    server = await new FakeExotelServer().start();
    customer = server.addCustomer();
    creds = { Id: customer.id, Secret: customer.secret, Entity: 'customer' };
  });
  afterEach(async () => {
    jest.useRealTimers();
    await server.stop();
  });

  it('status: answers the failure envelope with that status, once', async () => {
    server.fault('POST /token', { status: 503 });
    const faulted = await postToken();
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('content-type')).toBe('application/json');
    expect(faulted.json).toMatchObject({
      Status: 'Failed',
      Code: 503,
      Error: 'Service Unavailable',
      Data: null,
    });
    expect((await postToken()).status).toBe(200);
    expect(server.mintCount()).toBe(1);
    expect(server.mintAttempts(customer.id)).toBe(2);
  });

  it('retryAfter: adds a Retry-After header to a 429', async () => {
    server.fault('POST /token', { status: 429, retryAfter: 7 });
    const reply = await postToken();
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('7');
    expect(reply.json.Code).toBe(429);
  });

  it('delayMs alone: the normal answer still arrives (the delay itself is checked with fake timers below)', async () => {
    server.fault('POST /token', { delayMs: 1 });
    const reply = await postToken();
    expect(reply.status).toBe(200);
    expect(server.isTokenValid(reply.json.Data)).toBe(true);
  });

  it('delayMs is driven by Jest fake timers', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    server.fault('POST /token', { delayMs: 60_000, status: 500 });
    let settled = false;
    const pending = postToken().finally(() => (settled = true));
    while (server.requests.length === 0) await flushIo();
    for (let i = 0; i < 5; i += 1) await flushIo();
    expect(settled).toBe(false);
    jest.advanceTimersByTime(60_000);
    jest.useRealTimers();
    const reply = await pending;
    expect(reply.status).toBe(500);
  });

  it('stop() during a delay cancels it and leaves nothing pending', async () => {
    server.fault('*', { delayMs: 60_000 });
    const pending = postToken();
    while (server.requests.length === 0) await flushIo();
    await server.stop();
    await expect(pending).rejects.toThrow();
  });

  it('body: sends the raw body with the given status and content type', async () => {
    server.fault('POST /token', { body: 'plain words', contentType: 'text/plain', status: 500 });
    server.fault('POST /token', { body: '{"a":1}' });
    const first = await postToken();
    expect(first).toMatchObject({ status: 500, text: 'plain words' });
    expect(first.headers.get('content-type')).toBe('text/plain');
    const second = await postToken();
    expect(second).toMatchObject({ status: 200, text: '{"a":1}' });
    expect(second.headers.get('content-type')).toBe('application/json');
  });

  it('html: sends an HTML page, 502 by default', async () => {
    server.fault('POST /token', { html: true }).fault('POST /token', { html: true, status: 504 });
    const first = await postToken();
    expect(first.status).toBe(502);
    expect(first.headers.get('content-type')).toMatch(/^text\/html/);
    expect(first.text).toMatch(/<html>.*502 Bad Gateway/);
    expect((await postToken()).status).toBe(504);
  });

  it('malformed: sends truncated JSON with 200', async () => {
    server.fault('POST /token', { malformed: true });
    const reply = await postToken();
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.text).toBe('{"RequestId": "x", "Sta');
    expect(reply.json).toBeUndefined();
  });

  it('failedWith200: Status Failed on HTTP 200, Code 200 unless status is given', async () => {
    server
      .fault('POST /token', { failedWith200: true })
      .fault('POST /token', { failedWith200: true, status: 500 });
    const first = await postToken();
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ Status: 'Failed', Code: 200, Data: null });
    expect(first.json.Error).not.toBe('');
    const second = await postToken();
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ Status: 'Failed', Code: 500 });
    expect(server.mintCount()).toBe(0);
  });

  it("emptyData: success envelope with Data '' on /token and null elsewhere", async () => {
    server.fault('POST /token', { emptyData: true }).fault('GET /app', { emptyData: true });
    const token = await postToken();
    expect(token.json).toMatchObject({ Status: 'Success', Code: 200, Data: '' });
    const app = await call(server, 'GET', '/app');
    expect(app.status).toBe(200);
    expect(app.json).toMatchObject({ Status: 'Success', Code: 200, Data: null });
    expect(server.mintCount()).toBe(0);
  });

  it('codeMismatch: valid Data but Code 500 on HTTP 200', async () => {
    server.fault('POST /token', { codeMismatch: true });
    const reply = await postToken();
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ Status: 'Success', Code: 500, Error: '' });
    expect(server.isTokenValid(reply.json.Data)).toBe(true);
    expect(server.mintCount()).toBe(1);
  });

  it('reset: destroys the connection without an answer', async () => {
    server.fault('POST /token', { reset: true });
    await expect(postToken()).rejects.toThrow();
    expect(server.mintAttempts(customer.id)).toBe(1);
    expect((await postToken()).status).toBe(200);
  });

  it('sameToken: hands back the previous token without extending its lifetime', async () => {
    const start = Date.UTC(2031, 5, 1);
    jest.useFakeTimers({
      now: start,
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    server.setTokenTtlMs(1000);
    const first = (await postToken()).json.Data;
    jest.setSystemTime(start + 900);
    server.fault('POST /token', { sameToken: true });
    const again = await postToken();
    expect(again.json).toMatchObject({ Status: 'Success', Code: 200, Data: first });
    expect(server.mintCount(customer.id)).toBe(1);
    expect(server.tokensOf(customer.id)).toEqual([first]);
    jest.setSystemTime(start + 1000);
    expect(server.isTokenValid(first)).toBe(false);
  });

  it('sameToken still refuses wrong credentials and mints when there is no previous token', async () => {
    server.fault('POST /token', { sameToken: true }, 2);
    const refused = await call(server, 'POST', '/token', undefined, { ...creds, Secret: 'bad' });
    expect(refused.status).toBe(401);
    const fresh = await postToken();
    expect(fresh.status).toBe(200);
    expect(server.mintCount()).toBe(1);
  });

  it('times, Infinity, queue order and clearFaults', async () => {
    server.fault('POST /token', { status: 500 }, 2).fault('POST /token', { status: 502 });
    expect((await postToken()).status).toBe(500);
    expect((await postToken()).status).toBe(500);
    expect((await postToken()).status).toBe(502);
    expect((await postToken()).status).toBe(200);
    server.fault('*', { status: 503 }, Infinity);
    for (let i = 0; i < 3; i += 1) expect((await call(server, 'GET', '/customer')).status).toBe(503);
    expect((await postToken()).status).toBe(503);
    server.clearFaults();
    expect((await postToken()).status).toBe(200);
  });

  it('matches a route only on its method, path and optional query', async () => {
    server.fault('GET /app?entity=customer', { status: 418 });
    expect((await call(server, 'POST', '/token', undefined, creds)).status).toBe(200);
    expect((await call(server, 'GET', '/app')).status).toBe(401);
    expect((await call(server, 'GET', '/app?entity=customer')).status).toBe(418);
  });

  it('rejects bad routes and bad counts early', () => {
    expect(() => server.fault('token', { status: 500 })).toThrow(/route/);
    expect(() => server.fault('POST /token', { status: 500 }, 0)).toThrow(RangeError);
    expect(() => server.fault('POST /token', { status: 500 }, 1.5)).toThrow(RangeError);
  });

  it('redirectTo: answers 302 with Location, then behaves normally', async () => {
    server.redirectTo('GET /customer', 'http://127.0.0.1:9/steal', 1);
    const redirected = await call(server, 'GET', '/customer', 'whatever');
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe('http://127.0.0.1:9/steal');
    expect((await call(server, 'GET', '/customer', 'whatever')).status).toBe(401);
    expect(server.requestsTo('GET /customer')).toHaveLength(2);
  });
});
