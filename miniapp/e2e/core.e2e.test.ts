import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { depsFromEnv } from '../../api/_lib/app.js';
import { startServer } from '../../scripts/serve.js';
import { repoRoot } from '../../scripts/lib/migrate.js';
import { testDb } from '../../test/db.js';
import { TEST_JWT_SECRET } from '../../test/api.js';
import { current, hasChromium, launchChromium, settled, tab } from '../../test/browser.js';
import { persona } from '../../test/personas.js';

const shots = path.join(repoRoot, '.test-output/screenshots');

describe.skipIf(!hasChromium)('H5 journey: sign in, privacy, 我的, 长辈版', () => {
  let db: Awaited<ReturnType<typeof testDb>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    db = await testDb();
    const deps = depsFromEnv({ NODE_ENV: 'test', DATABASE_URL: db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', DEV_LOGIN: 'on' });
    server = await startServer(deps, 0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('a resident chooses a persona, accepts the privacy notice, sees 我的 and switches to 长辈版', async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server.url}/`);
    await settled(page);
    // Not signed in: the persona picker.
    await current(page).locator('#persona-resident').click();
    await settled(page);

    // First launch: the privacy dialog, recorded by the API when accepted.
    const dialog = current(page).locator('.privacy-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('个人信息保护提示');
    await page.screenshot({ path: path.join(shots, 'core-1-privacy.png') });
    await dialog.locator('.privacy-agree').click();
    await dialog.waitFor({ state: 'detached' });
    const consent = await db.sql(`select purpose, granted, version from app.consents where profile_id = $1`, [persona.resident]);
    expect(consent.rows).toEqual([{ purpose: 'privacy_policy', granted: true, version: '2026-11-01' }]);

    // 我的: the right person, community and role.
    const me = current(page);
    await expect.poll(() => me.locator('.me-name').textContent()).toBe('张秀兰');
    const community = await me.locator('.me-community').first().textContent();
    expect(community).toContain('春晖社区');
    expect(community).toContain('居民');
    expect(community).toContain('1号楼 2单元301');

    // 长辈版: the type grows.
    const size = () => me.locator('.me-community .text').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await size();
    await me.locator('.elder-switch').click();
    await expect.poll(size).toBeGreaterThan(before * 1.2);
    const after = await size();
    expect(after).toBeGreaterThanOrEqual(18); // MIIT 适老化: elder-mode body text ≥ 18
    await page.screenshot({ path: path.join(shots, 'core-2-me-elder.png'), fullPage: true });

    // Elder mode is remembered and the home page becomes the simple one.
    await page.reload();
    await settled(page);
    await tab(page, 0);
    await current(page).locator('.elder-home').waitFor();
    expect(await current(page).locator('.elder-home').textContent()).toContain('给网格员刘建华打电话');
  });

  it('a committee member approves a waiting verification from the workbench', async () => {
    const p = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await p.goto(`${server.url}/`);
    await settled(p);
    await current(p).locator('#persona-committee').click();
    await settled(p);
    await current(p).locator('.privacy-agree').click();
    await current(p).getByText('春晖社区 · 居民认证审核').click();
    await settled(p);
    const item = current(p).locator('.verification-item', { hasText: '王建国' });
    await item.waitFor();
    await item.locator('.approve').click();
    await expect.poll(async () => (await db.sql('select status from app.verification_requests where id = $1', ['80000000-0000-4000-8000-000000000001'])).rows[0].status).toBe('approved');
    await expect.poll(() => current(p).locator('.verification-item', { hasText: '王建国' }).count()).toBe(0);
    await p.screenshot({ path: path.join(shots, 'core-3-verifications.png'), fullPage: true });
  });
});
