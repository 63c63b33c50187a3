import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney, tab } from '../../test/browser.js';
import { expectAccessible, expectElderFriendly } from '../../test/a11y.js';

/**
 * 长辈版 through each main path, as a 75-year-old would use it: every page it shows is measured (MIIT 适老化:
 * text ≥ 18 px, line height ≥ 1.3, contrast ≥ 4.5:1 or 3:1 from 24 px, tap targets ≥ 60×60 px) and checked
 * by axe-core, on a 375×812 phone.
 */
describe.skipIf(!hasChromium)('H5 journey: 长辈版 through home, 办事, 议事, 志愿, 积分超市 and 我的', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let page: Page;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  const check = async (where: string) => {
    await expectElderFriendly(page, where);
    await expectAccessible(page, `${where}（长辈版）`);
  };

  it('the switch in 我的 turns 长辈版 on; 我的 and the home page follow the rules', async () => {
    page = await signIn(j.browser, j.server.url, 'volunteer');
    const me = current(page);
    await me.locator('.me-name').waitFor();
    await me.locator('.elder-switch').click();
    await current(page).locator('.page.elder').first().waitFor();
    expect(await page.evaluate(() => localStorage.getItem('cunju.elder'))).toContain('on');
    await check('我的');
    await tab(page, 0);
    await current(page).locator('.elder-home').waitFor();
    await check('首页');
    // The tab bar is ours in 长辈版 too: big labels, a tall bar.
    const bar = await current(page).locator('.custom-tab-bar').boundingBox();
    expect(bar!.height).toBeGreaterThanOrEqual(60);
    const label = await current(page)
      .locator('.tab-bar-label')
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(label).toBeGreaterThanOrEqual(18);
    await j.shot(page, 'elder-1-home');
  });

  it('a notice can be read aloud', async () => {
    await current(page).getByText('看公告').click();
    await settled(page);
    await current(page).locator('.notice-item').first().waitFor();
    await check('公告列表');
    await current(page).locator('.notice-item').first().click();
    await settled(page);
    await current(page).locator('.notice-heading').waitFor();
    expect(await current(page).locator('.read-aloud').count()).toBe(1);
    await check('公告');
    // The browser build has no navigation bar: the page's own back control returns to the list.
    await current(page).locator('.back-button').click();
    await settled(page);
    await current(page).locator('.notice-item').first().waitFor();
  });

  it('办事: a theme, the 居住证明 guide (read aloud), the form with its errors, the case with its next step', async () => {
    await open(page, j.server.url, '/pages/hall/index');
    await current(page).locator('.service-item').first().waitFor();
    await check('办事');
    await j.shot(page, 'elder-2-hall');
    await current(page).locator('.chip', { hasText: '证明开具' }).click();
    await expect.poll(() => current(page).locator('.chip.active').textContent()).toBe('证明开具');
    await current(page).locator('.service-item', { hasText: '居住证明' }).first().click();
    await settled(page);
    await current(page).locator('.materials').waitFor();
    expect(await current(page).locator('.read-aloud').count()).toBe(1);
    await check('办事指南');
    await current(page).locator('.apply-online').click();
    await settled(page);
    const form = current(page);
    await form.locator('.field-name').waitFor();
    await check('申请表');
    await form.locator('.apply-submit').click();
    await form.locator('.field-error').first().waitFor();
    await check('申请表（有错误提示）');
    await form.locator('.field-name input').fill('陈雨');
    await form.locator('.field-idNumber input').fill('43010219520312002X');
    await form.locator('.field-purpose').click();
    await page.locator('.weui-picker__action').last().click();
    await form.locator('.field-proof input').fill('租赁合同');
    await j.shot(page, 'elder-3-form', true);
    await form.locator('.apply-submit').click();
    await settled(page);
    await expect.poll(() => current(page).locator('.case-status').textContent()).toBe('已提交');
    expect(await current(page).locator('.next-step').textContent()).toContain('等社区窗口受理');
    expect(await current(page).locator('.next-step .read-aloud').count()).toBe(1);
    await check('办件');
  });

  it('议事: the topics and one topic', async () => {
    await open(page, j.server.url, '/pages/affairs/index');
    await current(page).locator('.topic-item').first().waitFor();
    await check('议事');
    await current(page).locator('.topic-item').first().click();
    await settled(page);
    await current(page).locator('.cosign-count').waitFor();
    await check('议题');
  });

  it('志愿: the activities and one activity', async () => {
    await open(page, j.server.url, '/pages/volunteer/index');
    await current(page).locator('.points-card').waitFor();
    await check('志愿');
    await current(page).locator('.activity-item').first().click();
    await settled(page);
    await current(page).locator('.activity-title').waitFor();
    await check('志愿活动');
  });

  it('积分超市: the shelf, the confirmation and the pickup code', async () => {
    await open(page, j.server.url, '/pages/volunteer/index');
    await current(page).locator('.mall-entry').click();
    await settled(page);
    const mall = current(page);
    await expect.poll(() => mall.locator('.mall-available').textContent()).toBe('80');
    await check('积分超市');
    await j.shot(page, 'elder-4-mall');
    await mall.locator('.goods-card', { hasText: '抽纸 6 包' }).locator('.redeem').click();
    await mall.locator('.redeem-confirm').waitFor();
    await check('确认兑换');
    await mall.locator('.redeem-yes').click();
    await settled(page);
    await current(page).locator('.redemption.highlight .pickup-code').waitFor();
    await check('我的兑换');
  });

  it('offline, the page says so and keeps what it showed; back online, the banner goes', async () => {
    await open(page, j.server.url, '/pages/volunteer/index');
    await current(page).locator('.points-card').waitFor();
    await page.context().setOffline(true);
    await expect.poll(() => current(page).locator('.network-banner').textContent()).toContain('现在没有网络');
    expect(await current(page).locator('.points-card').count()).toBe(1);
    await check('志愿（离线）');
    await page.context().setOffline(false);
    await expect.poll(() => current(page).locator('.network-banner').count()).toBe(0);
  });

  it('我的 again, with 长辈版 remembered after a reload', async () => {
    await page.reload();
    await settled(page);
    await open(page, j.server.url, '/pages/me/index');
    await current(page).locator('.me-name').waitFor();
    expect(await current(page).locator('.page.elder').count()).toBeGreaterThan(0);
    await check('我的（重新打开）');
  });
});
