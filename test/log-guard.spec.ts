import { afterAll, describe, expect, it } from '@jest/globals';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { FakeExotelServer } from 'nestjs-exotel-webrtc/testing';
import { CaptureLogger } from './support/capture-logger.js';
import { fingerprintOf, LogGuard, logGuard } from './support/log-guard-core.js';

// Proves the whole-suite guard can fail: leaks go into a private LogGuard (so this file still passes),
// and the global one is only checked for having recorded harmless probe lines.
describe('log guard', () => {
  const fake = new FakeExotelServer();
  afterAll(() => fake.stop());

  it('reports a leaked watched value by fingerprint, never by value', () => {
    const guard = new LogGuard();
    const secret = 'leaky-secret-0b1c2d3e';
    guard.watch(secret);
    guard.record('test', ['all good']);
    guard.record('test', [`oops ${secret} in a line`]);
    guard.record('test', [{ nested: { value: secret } }]);
    const leaks = guard.leaks();
    expect(leaks.map((l) => l.line)).toEqual([1, 2]);
    expect(leaks[0].fingerprint).toBe(fingerprintOf(secret));
    const report = guard.report();
    expect(report).toContain(fingerprintOf(secret));
    expect(report).not.toContain(secret);
  });

  it("catches a FakeExotelServer's secrets and the tokens it issued, including ones issued after the line", async () => {
    await fake.start();
    const customer = fake.addCustomer();
    const guard = new LogGuard();
    guard.watchSource(() => fake.knownSecrets());
    const mint = await fetch(`${fake.baseUrl}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Id: customer.id, Secret: customer.secret, Entity: 'customer' }),
    });
    const token = ((await mint.json()) as { Data: string }).Data;
    guard.record('test', [new Error(`refused ${customer.secret}`)]);
    guard.record('test', [`Authorization: ${token}`]);
    expect(guard.leaks().map((l) => l.fingerprint)).toEqual([
      fingerprintOf(customer.secret),
      fingerprintOf(token),
    ]);
    expect(guard.report()).not.toContain(token);
    // A wrong secret sent by a client counts too: tests send those on purpose.
    await fetch(`${fake.baseUrl}/token`, {
      method: 'POST',
      body: JSON.stringify({ Id: customer.id, Secret: 'wrong-secret-on-purpose', Entity: 'customer' }),
    });
    expect(fake.knownSecrets()).toContain('wrong-secret-on-purpose');
  });

  it('records Nest Logger, ConsoleLogger, console, stderr and CaptureLogger lines of this file', () => {
    Logger.overrideLogger(false); // keep the probes off the terminal; the patched methods record first
    const before = logGuard.lines.length;
    new Logger('Probe').log('probe-logger');
    Logger.warn('probe-static');
    new ConsoleLogger('Probe', { logLevels: [] }).error('probe-console-logger'); // disabled level: records, prints nothing
    new CaptureLogger().debug('probe-capture');
    process.stderr.write(Buffer.from('log-guard probe line (expected output)\n'));
    const texts = logGuard.lines.slice(before).map((l) => `${l.source} ${l.text}`);
    for (const probe of [
      'probe-logger',
      'probe-static',
      'probe-console-logger',
      'probe-capture',
      'log-guard probe line',
    ]) {
      expect(texts.some((t) => t.includes(probe))).toBe(true);
    }
  });

  it('tracks every FakeExotelServer started in the file', () => {
    expect(logGuard.secrets()).toEqual(
      expect.arrayContaining(fake.knownSecrets().filter((s) => s.length >= 8)),
    );
  });
});
