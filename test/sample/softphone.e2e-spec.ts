import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import {
  FAKE_SEED,
  FakeExotelServer,
  fingerprintToken,
  type RecordedRequest,
} from 'nestjs-exotel-webrtc/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bundleWebSdk } from '../../sample/softphone/websdk-bundle.js';
import { describeWithChromium, launchChromium, screenshot } from './support/chromium.js';
import {
  type BootedSample,
  bootSample,
  call,
  type RunningSample,
  startSample,
} from './support/sample-app.js';

const user = (id: string) => ({
  AppUserId: id,
  AppUsername: 'Asha Rao',
  Email: 'asha@example.com',
  ExotelAccountSid: FAKE_SEED.app.accountSid,
  ExotelUserName: 'Asha Rao',
  VirtualNumber: '+911234567890',
});

/**
 * Exotel's real browser SDK (bundled from node_modules, unmodified) started from the sample's page in
 * headless Chromium, against the sample's embedded fake. SIP registration is not part of it.
 */
describeWithChromium('softphone panel: Exotel WebSDK in headless Chromium', () => {
  let sample: RunningSample;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let websdkReplies: number[];
  let offLoopback: string[];

  beforeAll(async () => {
    browser = await launchChromium();
    // What `npm run sample:build` writes, and the sample serves.
    await bundleWebSdk();
    sample = await startSample();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext();
    // Anything not sent to loopback (the SDK's real host, had the shim missed a call) is refused and noted.
    offLoopback = [];
    await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, async (route) => {
      offLoopback.push(route.request().url());
      await route.abort();
    });
    page = await context.newPage();
    pageErrors = [];
    websdkReplies = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/websdk/')) websdkReplies.push(response.status());
    });
    sample.fake.resetRecords();
  });

  afterEach(async () => {
    await context?.close();
  });

  const stage = () => page.getByTestId('softphone-stage');
  const api = (path: string, init?: Parameters<typeof call>[1]) => call(`${sample.url}${path}`, init);
  /** What the browser sent to the fake: only the page has an Origin; the sample's own calls have none. */
  const sdkCalls = (): RecordedRequest[] =>
    sample.fake.requests.filter((r) => r.headers.origin === sample.url);
  const rawAppToken = () =>
    `<fingerprint:${fingerprintToken(sample.fake.tokensOf(FAKE_SEED.app.id).at(-1)!)}>`;

  /** Waits until the panel has an outcome, success or not, and returns the stage's words. */
  async function outcome(): Promise<string> {
    await stage()
      .filter({ hasText: /phone initialised|Stopped/ })
      .waitFor({ timeout: 15_000 });
    return (await stage().textContent()) ?? '';
  }

  async function startSoftphone(appUserId: string): Promise<void> {
    await page.goto(`${sample.url}/`);
    await page.locator('#softphone-app').selectOption('default');
    await page.locator('#softphone-user').fill(appUserId);
    await page.getByRole('button', { name: 'Start softphone' }).click();
  }

  it('starts the SDK for a user created through the API, up to "SIP info built", with the raw app token', async () => {
    // A "+" that the SDK would turn into a space: the page hands it the id /softphone encoded for it.
    const id = 'asha+ops@example.com';
    expect((await api('/users', { method: 'POST', json: user(id) })).status).toBe(201);

    await startSoftphone(id);
    expect(await outcome()).toBe(
      'SIP info built; phone initialised (SIP registration not attempted: no SIP server)',
    );

    const steps = await page.getByTestId('softphone-steps').locator('li').allTextContents();
    expect(steps.slice(2)).toEqual(['app loaded', 'settings loaded', 'user loaded', 'SIP info built']);
    const calls = sdkCalls();
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /app',
      'GET /app_setting',
      'GET /usermapping',
    ]);
    expect(calls[2].query).toEqual({ user_id: id });
    // Raw: the masked header would read "Bearer <fingerprint:...>" had a scheme been sent.
    for (const request of calls) expect(request.headers.authorization).toBe(rawAppToken());
    expect(await page.getByTestId('softphone-restart').textContent()).toMatch(/starts again at/);
    // The bundle (and any tone it fetched) came from the sample, and nothing on the page threw.
    expect(websdkReplies.length).toBeGreaterThan(0);
    expect(websdkReplies.every((status) => status === 200)).toBe(true);
    expect(pageErrors).toEqual([]);
    expect(offLoopback).toEqual([]);
    expect(existsSync(await screenshot(page, 'softphone-started'))).toBe(true);
  });

  it('starts the SDK again before the token expires, with the token the sample holds then', async () => {
    const id = 'ravi@example.com';
    expect((await api('/users', { method: 'POST', json: user(id) })).status).toBe(201);
    await page.clock.install();
    await startSoftphone(id);
    expect(await outcome()).toMatch(/^SIP info built; phone initialised/);
    const first = rawAppToken();
    expect(sdkCalls().map((r) => r.headers.authorization)).toEqual([first, first, first]);

    const restartAt = Number(await page.getByTestId('softphone-restart').getAttribute('data-restart-at'));
    const expiresAt = (await api(`/softphone/${encodeURIComponent(id)}`)).body.tokenExpiresAt as number;
    expect(restartAt).toBeLessThan(expiresAt);
    // A new app token at the sample, then the browser's clock jumps to the planned restart.
    expect((await api('/tokens/app/refresh', { method: 'POST' })).status).toBe(200);
    const second = rawAppToken();
    expect(second).not.toBe(first);
    sample.fake.resetRecords();
    await page.clock.fastForward(restartAt - (await page.evaluate(() => Date.now())) + 1_000);

    await page.locator('#softphone-start[data-starts="2"]').waitFor({ timeout: 15_000 });
    expect(await outcome()).toMatch(/^SIP info built; phone initialised/);
    expect(sdkCalls().map((r) => r.headers.authorization)).toEqual([second, second, second]);
  });

  it("shows the SDK's own error text when the user is unmapped after the sample handed out the token", async () => {
    const id = 'meera@example.com';
    expect((await api('/users', { method: 'POST', json: user(id) })).status).toBe(201);
    // The sample checks the user before it answers, so the user goes away in between.
    await page.route('**/softphone/**', async (route) => {
      const response = await route.fetch();
      expect((await api('/users', { method: 'DELETE' })).status).toBe(200);
      await route.fulfill({ response });
    });

    await startSoftphone(id);

    // Thrown by the SDK itself (with the id it was handed), not written by the sample.
    expect(await outcome()).toBe(`Stopped: User mapping not found for user_id: ${encodeURIComponent(id)}`);
    expect(sdkCalls().map((r) => r.path)).toEqual(['/app', '/app_setting', '/usermapping']);
    expect(existsSync(await screenshot(page, 'softphone-sdk-error'))).toBe(true);
  });

  it("shows the sample's refusal, and never starts the SDK, for an app without settings", async () => {
    const name = 'no-settings';
    const created = await api(`/apps?name=${name}`, {
      method: 'POST',
      json: {
        AppName: 'No settings',
        ExotelAccountSid: FAKE_SEED.app.accountSid,
        ExotelApiKey: 'no-settings-api-key',
        ExotelApiToken: 'no-settings-api-token',
        ExotelDomain: 'mumbai',
        IsActive: true,
      },
    });
    expect(created.status).toBe(201);
    expect(
      (await api(`/users?app=${name}`, { method: 'POST', json: user('kiran@example.com') })).status,
    ).toBe(201);
    await page.goto(`${sample.url}/`);
    await page
      .locator(`#softphone-app option[value="${name}"]`)
      .waitFor({ state: 'attached', timeout: 10_000 });
    await page.locator('#softphone-app').selectOption(name);
    await page.locator('#softphone-user').fill('kiran@example.com');
    await page.getByRole('button', { name: 'Start softphone' }).click();

    expect(await outcome()).toMatch(/^Stopped: the sample refused \(409\): The app has no settings/);
    expect(sdkCalls()).toEqual([]);
  });
});

/**
 * The same panel with EXOTEL_WEBRTC_BASE_URL set (a fake standing in for the real host): the page installs
 * no shim, so the SDK calls its own fixed host, which the test refuses before it leaves the machine.
 */
describeWithChromium('softphone panel against a configured Exotel host', () => {
  let exotel: FakeExotelServer;
  let sample: BootedSample;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    await bundleWebSdk();
    exotel = await new FakeExotelServer({ seed: true }).start();
    sample = await bootSample({
      EXOTEL_WEBRTC_BASE_URL: exotel.baseUrl,
      EXOTEL_CUSTOMER_ID: FAKE_SEED.customer.id,
      EXOTEL_CUSTOMER_SECRET: FAKE_SEED.customer.secret,
      EXOTEL_APP_ID: FAKE_SEED.app.id,
      EXOTEL_APP_SECRET: FAKE_SEED.app.secret,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
    await exotel?.stop();
  });

  it("never redirects the SDK: its calls go to Exotel's fixed host, none to the configured one", async () => {
    const id = 'leela@example.com';
    const created = await call(`${sample.url}/users`, { method: 'POST', json: user(id) });
    expect(created.status).toBe(201);
    const context = await browser.newContext();
    try {
      const offLoopback: string[] = [];
      await context.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, async (route) => {
        offLoopback.push(route.request().url());
        await route.abort();
      });
      const page = await context.newPage();
      await page.goto(`${sample.url}/`);
      await page.locator('#softphone-user').fill(id);
      await page.getByRole('button', { name: 'Start softphone' }).click();

      const stage = page.getByTestId('softphone-stage');
      await stage.filter({ hasText: /phone initialised|Stopped/ }).waitFor({ timeout: 15_000 });
      expect(await stage.textContent()).toMatch(/^Stopped: /);
      expect(offLoopback).toEqual(['https://integrationscore.mum1.exotel.com/v2/integrations/app']);
      // The sample asked the configured host (no Origin); the browser never did.
      expect(exotel.requestsTo('GET /usermapping').length).toBeGreaterThan(0);
      expect(exotel.requests.filter((r) => r.headers.origin !== undefined)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
