import { jest, describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { FakeExotelServer } from '../index.js';

const flushIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FakeExotelServer POST /token requests in flight', () => {
  let server: FakeExotelServer;
  let creds: { Id: string; Secret: string; Entity: string };

  const send = async (method: string, path: string, body?: unknown): Promise<number> => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const postToken = (body: unknown = creds): Promise<number> => send('POST', '/token', body);
  // Only setTimeout and Date are faked, so a delay fault holds its reply until the test advances the clock.
  const holdDelays = (): void => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
  };
  const releaseDelays = (): void => {
    jest.advanceTimersByTime(60_000);
    jest.useRealTimers();
  };

  beforeEach(async () => {
    server = await new FakeExotelServer().start();
    const customer = server.addCustomer();
    creds = { Id: customer.id, Secret: customer.secret, Entity: 'customer' };
  });
  afterEach(async () => {
    jest.useRealTimers();
    await server.stop();
  });

  it('counts concurrent requests while a delay fault holds them, and only POST /token ones', async () => {
    const n = 5;
    holdDelays();
    server.fault('POST /token', { delayMs: 60_000 }, n).fault('GET /customer', { delayMs: 60_000 });
    const tokens = Array.from({ length: n }, () => postToken());
    const other = send('GET', '/customer');
    while (server.requests.length < n + 1) await flushIo();

    expect(server.mintAttemptsInFlight).toBe(n);
    expect(server.maxMintAttemptsInFlight).toBe(n);
    expect(server.mintCount()).toBe(0);

    releaseDelays();
    expect(await Promise.all(tokens)).toEqual(Array(n).fill(200));
    expect(await other).toBe(401);
    expect(server.mintCount()).toBe(n);
    expect(server.mintAttemptsInFlight).toBe(0);
    expect(server.maxMintAttemptsInFlight).toBe(n);
  });

  it('stays at 1 for requests sent one after another, refused and reset ones included', async () => {
    expect(server.mintAttemptsInFlight).toBe(0);
    expect(server.maxMintAttemptsInFlight).toBe(0);
    for (let i = 0; i < 3; i += 1) {
      expect(await postToken()).toBe(200);
      expect(server.mintAttemptsInFlight).toBe(0);
    }
    expect(await postToken({ ...creds, Secret: 'wrong' })).toBe(401);
    expect(await postToken('not an object')).toBe(400);
    server.fault('POST /token', { reset: true });
    await expect(postToken()).rejects.toThrow();

    expect(server.mintAttempts()).toBe(6);
    expect(server.mintAttemptsInFlight).toBe(0);
    expect(server.maxMintAttemptsInFlight).toBe(1);
  });

  it('resetRecords restarts the maximum from the requests still in flight', async () => {
    holdDelays();
    server.fault('POST /token', { delayMs: 60_000 }, 2);
    const held = [postToken(), postToken()];
    while (server.mintAttemptsInFlight < 2) await flushIo();

    server.resetRecords();
    expect(server.mintAttemptsInFlight).toBe(2);
    expect(server.maxMintAttemptsInFlight).toBe(2);

    releaseDelays();
    expect(await Promise.all(held)).toEqual([200, 200]);
    expect(server.mintAttemptsInFlight).toBe(0);
    server.resetRecords();
    expect(server.maxMintAttemptsInFlight).toBe(0);
    expect(await postToken()).toBe(200);
    expect(server.maxMintAttemptsInFlight).toBe(1);
  });

  it('a request cut off by stop() leaves the count', async () => {
    server.fault('POST /token', { delayMs: 60_000 });
    const pending = postToken();
    while (server.mintAttemptsInFlight < 1) await flushIo();
    await server.stop();
    await expect(pending).rejects.toThrow();
    expect(server.mintAttemptsInFlight).toBe(0);
    expect(server.maxMintAttemptsInFlight).toBe(1);
  });
});
