import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { WebhookRegistration } from '../../sample/webhooks/webhook-registration.js';
import { type RunningSample, startSample } from '../sample/support/sample-app.js';
import { describeWithChromium, launchChromium, screenshot } from '../sample/support/chromium.js';

/** The "last call events" section of the sample's page in Chromium, against the running sample. */
describeWithChromium('sample: the last call events panel in Chromium', () => {
  let sample: RunningSample;
  let browser: Browser;

  beforeAll(async () => {
    sample = await startSample();
    expect(await sample.app.get(WebhookRegistration).registered).toBe(true);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.close();
  });

  it('shows the events of a simulated inbound call, newest first, numbers masked', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${sample.url}/`);
    await page.getByText('No call events yet').waitFor();

    await page.click('#call-events-simulate');
    await page.getByText('Inbound call played').waitFor();
    await page.locator('tr[data-kind="popup"]').waitFor();
    const rows = await page
      .locator('#call-events-rows tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)),
      );
    expect(rows.map((cells) => [cells[0], cells[2], cells[4]])).toEqual([
      ['incomingCallHangup', 'terminal', '…2345'],
      ['popup', 'active', '…2345'],
    ]);
    expect(rows[0][6]).toBe('30');
    expect(await page.content()).not.toContain('+91980');
    expect(errors).toEqual([]);
    await screenshot(page, 'call-events-panel');
    await page.close();
  });
});
