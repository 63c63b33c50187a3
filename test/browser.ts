import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { depsFromEnv } from '../api/_lib/app.js';
import { startServer } from '../scripts/serve.js';
import { repoRoot } from '../scripts/lib/migrate.js';
import { CHROMIUM, hasChromium, launchChromium } from '../scripts/lib/chromium.js';
import { testDb } from './db.js';
import { TEST_JWT_SECRET } from './api.js';

export const screenshots = path.join(repoRoot, '.test-output/screenshots');

/** A journey's world: its own database, the real server with the H5 build, and Chromium. */
export async function startJourney() {
  mkdirSync(screenshots, { recursive: true });
  const db = await testDb();
  const filesDir = mkdtempSync(path.join(tmpdir(), 'cunju-files-'));
  const server = await startServer(
    depsFromEnv({
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      DEV_LOGIN: 'on',
      VALIDATE_RESPONSES: 'on',
      FILES_DIR: filesDir,
    }),
    0,
  );
  const browser = await launchChromium();
  return {
    db,
    server,
    browser,
    shot: (page: Page, name: string, fullPage = false) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage }),
    async close() {
      await browser.close();
      await server.close();
      await db.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

// The browser journeys are skipped, loudly, without Debian's Chromium.
export { CHROMIUM, hasChromium, launchChromium };
if (!hasChromium) console.warn(`[e2e] ${CHROMIUM} not found: browser journeys are SKIPPED (CI installs it: apt-get install -y chromium)`);

/** The page currently on top (Taro H5 keeps earlier pages in the DOM, hidden). */
export function current(page: Page) {
  return page.locator('.taro_page_show.taro_page_stationed:not(.taro_page_shade)').filter({ visible: true }).last();
}

/** Waits until a navigation has settled: the new page has slid in. */
export async function settled(page: Page) {
  await page.waitForSelector('.taro_page_show.taro_page_stationed:not(.taro_page_shade)');
  await page.waitForTimeout(350);
}

/** A new browser context signed in as a demo persona, with the privacy notice accepted. */
export async function signIn(browser: Browser, baseUrl: string, persona: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await settled(page);
  await current(page).locator(`#persona-${persona}`).click();
  await settled(page);
  await current(page).locator('.privacy-agree').click();
  await current(page).locator('.privacy-dialog').waitFor({ state: 'detached' });
  return page;
}

/** Opens a page of the app by its path, as a link or QR code would. */
export async function open(page: Page, baseUrl: string, path: string) {
  await page.goto(`${baseUrl}/#${path}`);
  await settled(page);
}

/** Taps a tab of the tab bar (0 首页 … 4 我的): our own custom tab bar, drawn under each tab page. */
export async function tab(page: Page, index: number) {
  await current(page).locator('.custom-tab-bar .tab-bar-item').nth(index).click();
  await settled(page);
}

/** A phone-sized viewport (iPhone X class), the size the 适老化 figures are measured at. */
export const PHONE = { width: 375, height: 812 } as const;
