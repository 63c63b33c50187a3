import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, settled, startJourney, tab } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';
import { persona } from '../../test/personas.js';

describe.skipIf(!hasChromium)('H5 journey: sign in, privacy, 我的, 长辈版', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let page: Page;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  it('a resident chooses a persona, accepts the privacy notice, sees 我的 and switches to 长辈版', async () => {
    page = await j.browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${j.server.url}/`);
    await settled(page);
    // Not signed in: the persona picker.
    await expectAccessible(page, '登录（演示身份）');
    await current(page).locator('#persona-resident').click();
    await settled(page);

    // First launch: the privacy dialog, recorded by the API when accepted.
    const dialog = current(page).locator('.privacy-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('个人信息保护提示');
    await expectAccessible(page, '隐私提示');
    await j.shot(page, 'core-1-privacy');
    await dialog.locator('.privacy-agree').click();
    await dialog.waitFor({ state: 'detached' });
    const consent = await j.db.sql(`select purpose, granted, version from app.consents where profile_id = $1`, [persona.resident]);
    expect(consent.rows).toEqual([{ purpose: 'privacy_policy', granted: true, version: '2026-11-01' }]);

    // 我的: the right person, community and role.
    const me = current(page);
    await expect.poll(() => me.locator('.me-name').textContent()).toBe('张秀兰');
    const community = await me.locator('.me-community').first().textContent();
    expect(community).toContain('春晖社区');
    expect(community).toContain('居民');
    expect(community).toContain('1号楼 2单元301');
    await expectAccessible(page, '我的');

    // 长辈版: the type grows.
    const size = () =>
      me
        .locator('.me-community .text')
        .first()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await size();
    await me.locator('.elder-switch').click();
    await expect.poll(size).toBeGreaterThan(before * 1.2);
    const after = await size();
    expect(after).toBeGreaterThanOrEqual(18); // MIIT 适老化: elder-mode body text ≥ 18
    await j.shot(page, 'core-2-me-elder', true);

    // Elder mode is remembered and the home page becomes the simple one.
    await page.reload();
    await settled(page);
    await tab(page, 0);
    await current(page).locator('.elder-home').waitFor();
    expect(await current(page).locator('.elder-home').textContent()).toContain('给网格员刘建华打电话');
    await expectAccessible(page, '首页（长辈版）');
  });

  it('a committee member approves a waiting verification from the workbench', async () => {
    const p = await j.browser.newPage({ viewport: { width: 390, height: 844 } });
    await p.goto(`${j.server.url}/`);
    await settled(p);
    await current(p).locator('#persona-committee').click();
    await settled(p);
    await current(p).locator('.privacy-agree').click();
    await current(p).getByText('春晖社区 · 居民认证审核').click();
    await settled(p);
    const item = current(p).locator('.verification-item', { hasText: '王建国' });
    await item.waitFor();
    await expectAccessible(p, '居民认证审核');
    await item.locator('.approve').click();
    await expect
      .poll(async () => (await j.db.sql('select status from app.verification_requests where id = $1', ['80000000-0000-4000-8000-000000000001'])).rows[0].status)
      .toBe('approved');
    await expect.poll(() => current(p).locator('.verification-item', { hasText: '王建国' }).count()).toBe(0);
    await j.shot(p, 'core-3-verifications', true);
  });
});
