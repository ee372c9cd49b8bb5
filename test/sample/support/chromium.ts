import { describe } from '@jest/globals';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package; CI installs it. */
export const CHROMIUM = '/usr/bin/chromium';

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

const present = existsSync(CHROMIUM);

/**
 * `describe` for suites that drive Chromium: skipped with a warning on a machine without it, but
 * never under CI=true, where the suite runs and {@link launchChromium} fails it.
 */
export function describeWithChromium(name: string, suite: () => void): void {
  if (!present && !process.env.CI)
    console.warn(`SKIPPED ${name}: ${CHROMIUM} not found (apt-get install chromium; .ci/run installs it).`);
  (present || process.env.CI ? describe : describe.skip)(name, suite);
}

export async function launchChromium(): Promise<Browser> {
  if (!present) throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium package`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The folder screenshots go to, for a person to look at (gitignored). */
export const ARTIFACTS = '.artifacts';

/**
 * Writes a full-page screenshot to `.artifacts/<name>.png` and returns its path. The old file is
 * removed first, so a caller checking that it exists sees this run's picture, not an earlier one.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  rmSync(path, { force: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
