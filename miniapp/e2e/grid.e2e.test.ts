import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney } from '../../test/browser.js';
import { shanghaiMonth } from '../../api/_contracts/time.js';
import { expectAccessible, expectElderFriendly } from '../../test/a11y.js';

/**
 * 随手拍 up the ladder: a resident reports a broken streetlight at her building with a photo; the grid
 * worker accepts it but does not solve it in time; it climbs to the community by itself; the committee calls
 * 供电所 in; the department's contact answers 报到 with an after-photo and the committee closes it; the
 * resident reopens it, confirms after the second fix and rates 4; a neighbour opening its link sees nothing;
 * the grid worker's figures for the month count it.
 */
describe.skipIf(!hasChromium)('H5 journey: a broken streetlight, 随手拍 up the ladder', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let resident: Page;
  let reportId = '';
  let photo = '';
  const month = shanghaiMonth();
  const figures = async () => {
    const login = await fetch(`${j.server.url}/api/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'grid_worker' }),
    });
    const { token } = (await login.json()) as { token: string };
    const res = await fetch(`${j.server.url}/api/grid/figures?communityId=20000000-0000-4000-8000-000000000001&month=${month}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return res.json() as Promise<{ reports: number; escalated: number }>;
  };
  let before: { reports: number; escalated: number };
  const status = () => current(resident).locator('.report-status').textContent();
  // One signed-in page per persona (a second sign-in would not see the privacy notice again).
  const pages = new Map<string, Page>();
  const as = async (persona: string) => {
    if (!pages.has(persona)) pages.set(persona, await signIn(j.browser, j.server.url, persona));
    return pages.get(persona)!;
  };

  beforeAll(async () => {
    j = await startJourney();
    photo = path.join(mkdtempSync(path.join(tmpdir(), 'cunju-grid-')), 'lamp.jpg');
    writeFileSync(
      photo,
      await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 40, g: 40, b: 60 } } })
        .jpeg()
        .toBuffer(),
    );
    before = await figures();
  });
  afterAll(async () => j?.close());

  async function addPhoto(page: Page, scope: string) {
    const chooser = page.waitForEvent('filechooser');
    await current(page).locator(`${scope} .uploader-add`).click();
    await (await chooser).setFiles(photo);
    await expect.poll(() => current(page).locator(`${scope} .uploader-status`).first().textContent(), { timeout: 20_000 }).toBe('已上传');
  }
  async function confirmModal(page: Page) {
    await page.locator('.taro-model__confirm').click();
    await page.waitForTimeout(300);
  }

  it('the resident reports the streetlight at her building with a photo', async () => {
    resident = await as('resident');
    await open(resident, j.server.url, '/packages/grid/new/index');
    const form = current(resident);
    await form.locator('.category-facility').click();
    await expect.poll(() => form.locator('.place-household').getAttribute('aria-checked')).toBe('true');
    await form.locator('.report-description textarea').fill('1号楼门口的路灯不亮了，晚上出门看不清台阶。');
    await addPhoto(resident, '.new-report');
    await expectAccessible(resident, '随手拍（填写）');
    await j.shot(resident, 'grid-1-report', true);
    await form.locator('.report-submit').click();
    await settled(resident);
    await expect.poll(status).toBe('已上报');
    await expectAccessible(resident, '随手拍进度（已上报）');
    reportId = (await j.db.sql(`select id from app.grid_reports where description like '1号楼门口的路灯不亮了%'`)).rows[0].id;
    expect((await j.db.sql(`select count(*)::int n from app.files where entity_id = $1`, [reportId])).rows[0].n).toBe(1);
  });

  it('the grid worker finds it on the desk and accepts it', async () => {
    const worker = await as('grid_worker');
    await open(worker, j.server.url, '/packages/grid/desk/index');
    await current(worker).locator('.report-queue .report-item').first().waitFor();
    await expectAccessible(worker, '网格工作台');
    await current(worker).locator('.report-queue .report-item', { hasText: '1号楼门口的路灯' }).click();
    await settled(worker);
    await current(worker).locator('.report-accept').click();
    await confirmModal(worker);
    await expect.poll(() => current(worker).locator('.report-status').textContent()).toBe('已受理');
  });

  it('past the time to solve, it climbs to the community by itself', async () => {
    await j.db.sql(`update app.grid_reports set solve_due = now() - interval '1 minute' where id = $1`, [reportId]);
    expect(await j.db.service('escalate_overdue_reports', { p_limit: 50 })).toMatchObject({ escalated: 1 });
    await resident.reload();
    await settled(resident);
    await expect.poll(() => current(resident).locator('.report-level').textContent()).toContain('社区');
    expect(await current(resident).locator('.report-steps').textContent()).toContain('超时自动上报');
  });

  it('the committee calls 供电所 in; its contact answers 报到 with an after-photo; the committee closes it', async () => {
    const committee = await as('committee');
    await open(committee, j.server.url, `/packages/grid/report/index?id=${reportId}`);
    await current(committee).locator('.report-accept').click();
    await confirmModal(committee);
    await expect.poll(() => current(committee).locator('.report-status').textContent()).toBe('已受理');
    await current(committee).locator('.report-call').click();
    await committee.locator('.weui-picker__action').last().click(); // the first department: 供电所
    await expect.poll(() => current(committee).locator('.department-calls').textContent()).toContain('供电所');
    await expectAccessible(committee, '随手拍（社区：吹哨）');

    const department = await as('department');
    await open(department, j.server.url, '/packages/grid/calls/index');
    await current(department).locator('.department-call-list .list-item').first().waitFor();
    await expectAccessible(department, '部门报到');
    await current(department).locator('.department-call-list .list-item').first().click();
    await settled(department);
    await current(department).locator('.report-department textarea').fill('已更换路灯灯头和老化的线路，晚上试灯正常。');
    await addPhoto(department, '.report-department');
    await current(department).locator('.report-department .step-submit').click();
    await expect.poll(() => current(department).locator('.department-calls').textContent()).toContain('已报到');
    await j.shot(department, 'grid-2-department', true);

    await committee.reload();
    await settled(committee);
    await current(committee).locator('.report-resolve textarea').fill('供电所已修复，路灯恢复照明。');
    await current(committee).locator('.report-resolve .step-submit').click();
    await expect.poll(() => current(committee).locator('.report-status').textContent()).toBe('已办结');
  });

  it('the resident reopens it, then confirms after the second fix and rates 4', async () => {
    await resident.reload();
    await settled(resident);
    await expect.poll(status).toBe('已办结');
    await current(resident).locator('.report-reopen').click();
    await resident.locator('.reason-input textarea').fill('只亮了一晚，今天又不亮了。');
    await resident.locator('.reason-confirm').click();
    await expect.poll(status).toBe('处置中');

    const committee = await as('committee');
    await committee.reload();
    await settled(committee);
    await current(committee).locator('.report-resolve textarea').fill('更换了整段线路，连续三晚试灯正常。');
    await addPhoto(committee, '.report-resolve');
    await current(committee).locator('.report-resolve .step-submit').click();
    await expect.poll(() => current(committee).locator('.report-status').textContent()).toBe('已办结');

    await resident.reload();
    await settled(resident);
    await current(resident).locator('.report-confirm').click();
    await confirmModal(resident);
    await expect.poll(status).toBe('已确认');
    await current(resident).locator('.star-4').click();
    await current(resident).locator('.rate-submit').click();
    await expect.poll(() => current(resident).locator('.report-rating').textContent()).toContain('★★★★☆');
    await expectAccessible(resident, '随手拍进度（已确认）');
    await j.shot(resident, 'grid-3-confirmed', true);
    expect((await j.db.sql(`select status, rating, reopen_count from app.grid_reports where id = $1`, [reportId])).rows[0]).toEqual({
      status: 'confirmed',
      rating: 4,
      reopen_count: 1,
    });
  });

  it('a neighbour opening its link sees nothing', async () => {
    const neighbour = await as('resident2');
    await open(neighbour, j.server.url, `/packages/grid/report/index?id=${reportId}`);
    await expect.poll(() => current(neighbour).textContent()).toContain('没有找到这条随手拍');
    expect(await current(neighbour).locator('.report-steps').count()).toBe(0);
  });

  it("the grid worker's figures for the month count it", async () => {
    const after = await figures();
    expect(after.reports).toBe(before.reports + 1);
    expect(after.escalated).toBe(before.escalated + 1);
    const worker = await as('grid_worker');
    await open(worker, j.server.url, '/packages/grid/figures/index');
    const card = current(worker).locator('.figures').first();
    await expect.poll(() => card.locator('.figure', { hasText: '收到的随手拍' }).locator('.figure-value').textContent()).toBe(String(after.reports));
    await expectAccessible(worker, '工作量化');
    await j.shot(worker, 'grid-4-figures', true);
  });

  it('in 长辈版, the 随手拍 form, my reports and a report follow the rules', async () => {
    const elder = await as('resident2');
    await open(elder, j.server.url, '/pages/me/index');
    await current(elder).locator('.elder-switch').click();
    await current(elder).locator('.page.elder').first().waitFor();
    await open(elder, j.server.url, '/packages/grid/new/index');
    await current(elder).locator('.category-hazard').click();
    await current(elder).locator('.emergency').waitFor();
    await expectElderFriendly(elder, '随手拍（长辈版）');
    await expectAccessible(elder, '随手拍（长辈版）');
    await open(elder, j.server.url, '/packages/grid/mine/index');
    await current(elder).locator('.my-reports .report-item').first().waitFor();
    await expectElderFriendly(elder, '我的随手拍（长辈版）');
    await current(elder).locator('.my-reports .report-item').first().click();
    await settled(elder);
    await current(elder).locator('.report-steps').waitFor();
    await expectElderFriendly(elder, '随手拍进度（长辈版）');
    await expectAccessible(elder, '随手拍进度（长辈版）');
  });
});
