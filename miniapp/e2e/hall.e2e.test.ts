import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney, tab } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';

describe.skipIf(!hasChromium)('H5 journey: 居住证明 from search to a follow-up on a poor rating', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let resident: Page;
  let clerk: Page;
  let caseId = '';
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  const openCase = (p: Page) => open(p, j.server.url, `/packages/hall/case/index?id=${caseId}`);
  const statusIs = async (s: string) =>
    expect.poll(async () => (await j.db.sql('select status from app.applications where id = $1', [caseId])).rows[0].status).toBe(s);
  const clerkStep = async (to: string, note = '') => {
    await openCase(clerk);
    const c = current(clerk);
    await c.locator(`.step-${to}`).waitFor();
    await expectAccessible(clerk, `办件（窗口：${to}）`);
    if (note) await c.locator('.step-note-input input').fill(note);
    await c.locator(`.step-${to}`).click();
    await statusIs(to);
  };

  it('a resident searches 居住证明, reads the materials and applies', async () => {
    resident = await signIn(j.browser, j.server.url, 'resident');
    await tab(resident, 1);
    const hall = current(resident);
    await hall.locator('.hall-search input').fill('居住证明');
    await hall.locator('.hall-search-go').click();
    await expect.poll(() => hall.locator('.service-item').first().textContent()).toContain('居住证明');
    await expectAccessible(resident, '办事（搜索结果）');
    await hall.locator('.service-item').first().click();
    await settled(resident);
    const guide = current(resident);
    expect(await guide.locator('.materials').textContent()).toContain('户口本，或房产证，或房屋租赁合同');
    await expectAccessible(resident, '办事指南');
    await j.shot(resident, 'hall-1-guide', true);
    await guide.locator('.apply-online').click();
    await settled(resident);
    const form = current(resident);
    // Required fields are marked before anything is sent; a wrong answer is explained next to its field.
    await form.locator('.field-name').waitFor();
    expect(await form.locator('.field-required').count()).toBeGreaterThan(0);
    await expectAccessible(resident, '申请表');
    await form.locator('.field-idNumber input').fill('4301021952');
    await form.locator('.apply-submit').click();
    await expect
      .poll(() =>
        form
          .locator('.field', { has: resident.locator('.field-idNumber') })
          .locator('.field-error')
          .textContent(),
      )
      .toContain('身份证号应为18位');
    expect(
      await form
        .locator('.field', { has: resident.locator('.field-name') })
        .locator('.field-error')
        .textContent(),
    ).toContain('请填写');
    await expectAccessible(resident, '申请表（有错误提示）');
    await form.locator('.field-name input').fill('张秀兰');
    await form.locator('.field-idNumber input').fill('43010219520312002X');
    await form.locator('.field-purpose').click();
    await resident.locator('.weui-picker__action').last().click(); // confirm the first option
    await form.locator('.field-proof input').fill('租赁合同');
    await form.locator('.apply-submit').click();
    await settled(resident);
    await expect.poll(() => current(resident).locator('.case-status').textContent()).toBe('已提交');
    await expectAccessible(resident, '办件（已提交）');
    caseId = (await j.db.sql(`select id from app.applications where form_data->>'proof' = '租赁合同'`)).rows[0].id;
  });

  it('the clerk accepts it and returns it for a missing document; the resident adds it', async () => {
    clerk = await signIn(j.browser, j.server.url, 'clerk');
    await clerkStep('accepted', '收到');
    await clerkStep('returned', '请补充租赁合同的备案编号');
    await openCase(resident);
    const c = current(resident);
    expect(await c.locator('.resubmit').textContent()).toContain('请补充租赁合同的备案编号');
    await expectAccessible(resident, '办件（退回补正）');
    await c.locator('.field-proof input').fill('租赁合同（备案编号 LJ2026-0815）');
    await c.locator('.resubmit-submit').click();
    await statusIs('submitted');
  });

  it('the clerk completes it; the resident rates 2 stars; the follow-up appears in the clerk’s queue', async () => {
    await clerkStep('accepted');
    await clerkStep('processing');
    await clerkStep('completed', '证明已开具，请到 2 号窗口领取');
    await openCase(resident);
    const c = current(resident);
    await c.locator('.star-2').waitFor();
    await expectAccessible(resident, '办件（评价）');
    await c.locator('.star-2').click();
    await c.locator('.rate-comment input').fill('补材料来回跑了两次');
    await c.locator('.rate-submit').click();
    await expect.poll(() => c.locator('.rectification').count()).toBe(1);
    await expectAccessible(resident, '办件（整改中）');
    await j.shot(resident, 'hall-2-case-timeline', true);
    await open(clerk, j.server.url, '/packages/hall/desk/index');
    // The workbench opens on 待办; the 整改 tab shows its count and, opened, the follow-up.
    await expect.poll(() => current(clerk).locator('.tab-rectifications .tab-count').textContent()).toBe('1');
    await current(clerk).locator('.tab-rectifications').click();
    await expect.poll(() => current(clerk).locator('.desk-rectifications .follow-up').first().textContent()).toContain('居住证明 · 2 星');
    await expectAccessible(clerk, '窗口工作台');
    await j.shot(clerk, 'hall-3-desk', true);
  });

  it('another resident opening the case’s URL gets a not-found page', async () => {
    const other = await signIn(j.browser, j.server.url, 'resident2');
    await openCase(other);
    await expect.poll(() => current(other).textContent()).toContain('没有找到这个办件');
    await expectAccessible(other, '办件（找不到）');
    expect(await current(other).textContent()).not.toContain('张秀兰');
  });
});
