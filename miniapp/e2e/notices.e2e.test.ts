import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney, tab } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';

const TITLE = '春晖社区2026年11月公共收益收支公开';

describe.skipIf(!hasChromium)('H5 journey: 财务公开 from draft to residents’ questions', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let committee: Page;
  let noticeId = '';
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  it('committee writes a finance disclosure with three lines and submits it for review', async () => {
    committee = await signIn(j.browser, j.server.url, 'committee');
    await current(committee).locator('.notice-desk').click();
    await settled(committee);
    await current(committee).locator('.new-finance').click();
    await settled(committee);
    const form = current(committee);
    await form.locator('.title-input input').waitFor();
    await expectAccessible(committee, '写公告');
    await form.locator('.title-input input').fill(TITLE);
    await form.locator('.body-input textarea').fill('现将11月公共收益收支公开如下，欢迎监督。');
    await form.locator('.period-input input').fill('2026年11月');
    const items: Array<[string, string, 'income' | 'expense']> = [
      ['广告位租金', '3600', 'income'],
      ['楼道灯更换', '1268.50', 'expense'],
      ['慰问品', '900', 'expense'],
    ];
    for (let i = 0; i < items.length; i++) {
      if (i > 0) await form.locator('.add-line').click();
      const line = form.locator('.finance-line-editor').nth(i);
      await line.locator('.line-item input').fill(items[i]![0]);
      await line.locator('.line-amount input').fill(items[i]![1]);
      await line.locator(items[i]![2] === 'income' ? '.line-income' : '.line-expense').click();
    }
    await j.shot(committee, 'notices-1-compose', true);
    await form.locator('.notice-submit').click();
    await settled(committee);
    await expect.poll(() => current(committee).locator('.notice-heading').textContent()).toBe(TITLE);
    expect(await current(committee).textContent()).toContain('待审核');
    await expectAccessible(committee, '公告（待审核）');
    const row = await j.db.sql(`select n.id, v.status from app.notices n join app.notice_versions v on v.notice_id = n.id where v.title = $1`, [TITLE]);
    expect(row.rows).toHaveLength(1);
    expect(row.rows[0].status).toBe('submitted');
    noticeId = row.rows[0].id;
    const lines = await j.db.sql(`select item, direction, amount_fen from app.finance_lines where notice_id = $1 order by line_no`, [noticeId]);
    expect(lines.rows).toEqual([
      { item: '广告位租金', direction: 'income', amount_fen: '360000' },
      { item: '楼道灯更换', direction: 'expense', amount_fen: '126850' },
      { item: '慰问品', direction: 'expense', amount_fen: '90000' },
    ]);
  });

  it('the supervisor approves it from the review queue', async () => {
    const sup = await signIn(j.browser, j.server.url, 'supervisor');
    await current(sup).locator('.notice-desk').click();
    await settled(sup);
    await current(sup).locator('.work-item', { hasText: TITLE }).click();
    await settled(sup);
    await current(sup).locator('.review-approve').waitFor();
    await expectAccessible(sup, '公告审核');
    await current(sup).locator('.review-approve').click();
    await expect.poll(async () => (await j.db.sql(`select status from app.notice_versions where notice_id = $1`, [noticeId])).rows[0].status).toBe('published');
  });

  it('a resident sees it on the home page, opens the table and asks a question', async () => {
    const resident = await signIn(j.browser, j.server.url, 'resident');
    await tab(resident, 0);
    const home = current(resident);
    await home.locator('.home-notices .notice-item', { hasText: TITLE }).waitFor();
    await expectAccessible(resident, '首页');
    await home.locator('.home-notices .notice-item', { hasText: TITLE }).click();
    await settled(resident);
    const detail = current(resident);
    await detail.locator('.finance').waitFor();
    expect(await detail.locator('.finance-income').textContent()).toBe('3,600.00');
    expect(await detail.locator('.finance-expense').textContent()).toBe('2,168.50');
    expect(await detail.locator('.finance-balance').textContent()).toBe('1,431.50');
    expect(await detail.locator('.finance-line').count()).toBe(3);
    await expect.poll(() => detail.locator('.chain-entry-link').textContent()).toMatch(/公开记录链第 \d+ 条 · 校验码/);
    await expectAccessible(resident, '财务公开');
    await detail.locator('.question-input textarea').fill('慰问品发给了哪些老人？');
    await detail.locator('.question-submit').click();
    await expect.poll(() => detail.locator('.question', { hasText: '慰问品发给了哪些老人？' }).count()).toBe(1);
    await j.shot(resident, 'notices-2-resident-detail', true);
    const read = await j.db.sql(
      `select p.persona from app.notice_reads r join app.profiles p on p.id = r.profile_id where r.notice_id = $1 order by p.persona`,
      [noticeId],
    );
    expect(read.rows.map((r) => r.persona)).toEqual(['resident', 'supervisor']);
  });

  it('committee answers, and another resident sees the answer', async () => {
    await open(committee, j.server.url, `/packages/notices/detail/index?id=${noticeId}`);
    const d = current(committee);
    const q = d.locator('.question', { hasText: '慰问品发给了哪些老人？' });
    await q.locator('.answer-input input').fill('80岁以上的老人，共12位，名单贴在社区公告栏。');
    await q.locator('.answer-submit').click();
    await expect.poll(() => q.locator('.answer').count()).toBe(1);
    await expectAccessible(committee, '财务公开（已回复）');

    const r2 = await signIn(j.browser, j.server.url, 'resident2');
    await open(r2, j.server.url, '/packages/notices/list/index');
    await current(r2).locator('.notice-item', { hasText: TITLE }).waitFor();
    await expectAccessible(r2, '公告列表');
    await current(r2).locator('.notice-item', { hasText: TITLE }).click();
    await settled(r2);
    const answer = current(r2).locator('.question', { hasText: '慰问品发给了哪些老人？' }).locator('.answer');
    await expect.poll(() => answer.textContent()).toContain('共12位');
    await expectAccessible(r2, '财务公开（居民看回复）');
  });

  it('a villager of another community never sees any of it', async () => {
    const v = await signIn(j.browser, j.server.url, 'villager');
    await tab(v, 0);
    await current(v).locator('.home-notices').waitFor();
    expect(await current(v).textContent()).not.toContain(TITLE);
    await open(v, j.server.url, '/packages/notices/list/index');
    await current(v).locator('.notice-item').first().waitFor();
    expect(await current(v).textContent()).not.toContain(TITLE);
    await open(v, j.server.url, `/packages/notices/detail/index?id=${noticeId}`);
    await expect.poll(() => current(v).textContent()).toContain('没有找到这条公告');
    await expectAccessible(v, '公告（找不到）');
    await j.shot(v, 'notices-3-villager-not-found');
  });
});
