import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { describeWithChromium, launchChromium, screenshot } from './support/chromium.js';
import { type RunningSample, startSample } from './support/sample-app.js';

describeWithChromium('sample page in headless Chromium', () => {
  let sample: RunningSample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    sample = await startSample();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  const cell = (credential: string, column: string) =>
    page.locator(`tr[data-credential="${credential}"] td.${column}`);
  const mark = (credential: string, name: string) =>
    cell(credential, 'timeline').locator(`[data-mark="${name}"]`);
  const xOf = async (credential: string, name: string) =>
    Number(await mark(credential, name).getAttribute('data-x'));

  it('shows the customer and app rows with their states', async () => {
    await page.goto(`${sample.url}/`);
    await cell('customer', 'state').filter({ hasText: 'fresh' }).waitFor({ timeout: 10_000 });
    await cell('app:default', 'state').filter({ hasText: 'fresh' }).waitFor({ timeout: 10_000 });
    expect(await cell('customer', 'entity').textContent()).toBe('customer');
    expect(await cell('app:default', 'entity').textContent()).toBe('app');
    expect(await cell('app:default', 'app').textContent()).toBe('default');
    expect(await cell('customer', 'expires').textContent()).toMatch(/^in (89|90)d/);
    expect(await cell('customer', 'next').textContent()).toMatch(/^in \d+d/);
  });

  it('draws a timeline per credential: issued, then now, then the planned refresh, then expiry', async () => {
    for (const credential of ['customer', 'app:default']) {
      const [issued, now, refresh, expiry] = await Promise.all(
        ['issued', 'now', 'refresh', 'expiry'].map((name) => xOf(credential, name)),
      );
      // A token minted at start-up: now sits just after issued, well before the refresh.
      expect(issued).toBeLessThanOrEqual(now);
      expect(now).toBeLessThan(refresh);
      expect(refresh).toBeLessThan(expiry);
      expect(await mark(credential, 'retry').count()).toBe(0);
      const label = await cell(credential, 'timeline').locator('svg').getAttribute('aria-label');
      expect(label).toMatch(/^issued \S+ \S+Z, refresh \S+ \S+Z, expires \S+ \S+Z, state fresh$/);
    }
  });

  it('refreshes a row with its button and shows the new issued time', async () => {
    const before = await cell('customer', 'issued').textContent();
    await page.locator('tr[data-credential="customer"] button.refresh').click();
    await cell('customer', 'issued')
      .filter({ hasNotText: before ?? '' })
      .waitFor({ timeout: 10_000 });
    expect(await cell('customer', 'issued').textContent()).not.toBe(before);
    expect(await cell('customer', 'state').textContent()).toBe('fresh');
    const path = await screenshot(page, 'sample-page');
    expect(existsSync(path)).toBe(true);
  });

  it('shows the retry state on the timeline after a refresh fails', async () => {
    // Every mint fails from now on (the library keeps retrying, hence "\d+ failed"): the refresh is refused and a retry is planned.
    sample.fake.fault('POST /token', { status: 503 }, Infinity);
    await page.locator('tr[data-credential="app:default"] button.refresh').click();
    await cell('app:default', 'state').filter({ hasText: 'retrying' }).waitFor({ timeout: 10_000 });
    await mark('app:default', 'retry').waitFor({ timeout: 10_000 });
    // Seconds from now on a 90-day axis: at the now line or just after it.
    expect(await xOf('app:default', 'retry')).toBeGreaterThanOrEqual(await xOf('app:default', 'now'));
    expect(await cell('app:default', 'timeline').locator('svg').getAttribute('aria-label')).toMatch(
      /state retrying, next retry (in \d+s|now) after \d+ failed refresh(es)?$/,
    );
    await screenshot(page, 'sample-page-retrying');
    sample.fake.clearFaults();
  });

  it('puts what /tokens answers into the page as text, never as markup', async () => {
    const hostile = '"><img id="injected" src="x"><b id="bold">';
    const now = Date.now();
    const row = {
      credential: 'customer',
      entity: 'customer',
      state: `fresh${hostile}`,
      issuedAt: now - 1_000,
      refreshAt: now + 60_000,
      expiresAt: now + 120_000,
      nextAttemptAt: now + 5_000,
      consecutiveFailures: hostile,
      lastError: { name: hostile, message: hostile },
    };
    const other = await browser.newPage();
    try {
      await other.route(`${sample.url}/tokens`, (route) => route.fulfill({ json: [row] }));
      await other.goto(`${sample.url}/`);
      const timeline = other.locator('tr[data-credential="customer"] td.timeline svg');
      await timeline.waitFor({ timeout: 10_000 });
      expect(await other.locator('#injected, #bold').count()).toBe(0);
      expect(await timeline.getAttribute('aria-label')).toContain(`state fresh${hostile}, next retry`);
      expect(await other.locator('tr[data-credential="customer"] td.state').textContent()).toBe(row.state);
    } finally {
      await other.close();
    }
  });
});
