import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); the browser journeys are skipped, loudly, without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[e2e] ${CHROMIUM} not found: browser journeys are SKIPPED (CI installs it: apt-get install -y chromium)`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** The page currently on top (Taro H5 keeps earlier pages in the DOM, hidden). */
export function current(page: Page) {
  return page.locator('.taro_page_show.taro_page_stationed:not(.taro_page_shade)').last();
}

/** Waits until a navigation has settled: the new page has slid in. */
export async function settled(page: Page) {
  await page.waitForSelector('.taro_page_show.taro_page_stationed:not(.taro_page_shade)');
  await page.waitForTimeout(350);
}
