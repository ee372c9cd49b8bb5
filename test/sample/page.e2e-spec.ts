import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type RunningSample, startSample } from './support/sample-app.js';

const CHROMIUM = '/usr/bin/chromium';
// This machine has no network beyond loopback: without these, Chromium keeps trying to reach Google.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = '.artifacts/sample-page.png';

const present = existsSync(CHROMIUM);
if (!present && !process.env.CI) {
  console.warn(
    `SKIPPED sample page test: ${CHROMIUM} not found (apt-get install chromium; .ci/run installs it).`,
  );
}

(present || process.env.CI ? describe : describe.skip)('sample page in headless Chromium', () => {
  let sample: RunningSample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium package`);
    sample = await startSample();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  const cell = (credential: string, column: string) =>
    page.locator(`tr[data-credential="${credential}"] td.${column}`);

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

  it('refreshes a row with its button and shows the new issued time', async () => {
    const before = await cell('customer', 'issued').textContent();
    await page.locator('tr[data-credential="customer"] button.refresh').click();
    await cell('customer', 'issued')
      .filter({ hasNotText: before ?? '' })
      .waitFor({ timeout: 10_000 });
    expect(await cell('customer', 'issued').textContent()).not.toBe(before);
    expect(await cell('customer', 'state').textContent()).toBe('fresh');
    mkdirSync('.artifacts', { recursive: true });
    // Removed first, so that the check below sees this run's screenshot, not an earlier one.
    rmSync(SCREENSHOT, { force: true });
    expect(existsSync(SCREENSHOT)).toBe(false);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
