import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney } from '../../test/browser.js';
import { community } from '../../test/personas.js';
import { verifyChain, type ChainExport } from '../src/lib/chain.js';

/**
 * Trust, end to end in the H5 build:
 *   * a visitor with no account opens a community's public record chain, checks it in the browser (intact),
 *     then someone changes a 财务公开 line directly in the database: the same check names the entry, and the
 *     file the page downloads says the same offline;
 *   * a resident takes out her data (JSON and a readable summary);
 *   * the clerk opens her case; she sees who looked and when; the supervisory committee sees it in the
 *     community's log;
 *   * a resident deletes her account: open obligations first, then two confirmations; she is signed out, her
 *     demo login is gone and her old token no longer works.
 */
describe.skipIf(!hasChromium)('H5 journey: a public record anyone can check, and my data in my hands', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  /** Signed in once: the privacy notice is asked only the first time. */
  let resident: Page;
  const { chunhui } = community;
  const financeNotice = 'a1000000-0000-4000-8000-000000000003';
  beforeAll(async () => {
    j = await startJourney();
    await j.db.service('append_due_public_records', {});
  });
  afterAll(async () => j?.close());

  /** What someone with the database password could do: change a sealed row with the triggers off. */
  async function behindTheBack(sql: string) {
    const client = await j.db.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica');
      await client.query(sql);
      await client.query('commit');
    } finally {
      client.release();
    }
  }
  const confirmModal = async (page: Page) => {
    await page.locator('.taro-model__confirm').click();
    await page.waitForTimeout(400);
  };

  it('a visitor without an account checks the chain, and finds the one entry that was changed', async () => {
    const context = await j.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await open(page, j.server.url, `/packages/public/chain/index?community=${chunhui}`);
    const view = current(page);
    await expect.poll(() => view.locator('.chain-entry').count(), { timeout: 20_000 }).toBeGreaterThan(3);
    expect(await view.locator('.chain-head').textContent()).toMatch(/最新一条：第 \d+ 条 · 校验码 [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/);
    expect(await page.evaluate(() => localStorage.getItem('cunju.token'))).toBeNull();
    const seq = (await j.db.sql(`select seq::int from app.chain_entries where community_id = $1 and record_id = $2`, [chunhui, `${financeNotice}:1`])).rows[0]
      .seq;
    // The 财务公开 entry opens to its lines.
    await view.locator(`.seq-${seq} .row`).first().click();
    await expect.poll(() => view.locator(`.seq-${seq} .chain-content`).textContent()).toContain('重阳节慰问高龄老人（38人） 支出 1,900.00 元');

    await view.locator('.chain-verify-button').click();
    await expect.poll(() => view.locator('.chain-ok').count(), { timeout: 30_000 }).toBe(1);
    expect(await view.locator('.chain-ok').textContent()).toMatch(/完好：全部 \d+ 条记录都核对无误/);
    await j.shot(page, 'trust-1-chain-intact', true);

    // 1,900 yuan of 慰问 becomes 19,000, directly in the database.
    await behindTheBack(`update app.finance_lines set amount_fen = 1900000 where notice_id = '${financeNotice}' and line_no = 4`);
    await view.locator('.chain-verify-button').click();
    await expect.poll(() => view.locator('.chain-broken').count(), { timeout: 30_000 }).toBe(1);
    expect(await view.locator('.chain-broken').textContent()).toContain(`第 ${seq} 条记录的内容和公开时登记的不一致`);
    await j.shot(page, 'trust-2-chain-broken', true);

    // The file the page downloads: the offline checker (npm run verify) names the same entry.
    const download = page.waitForEvent('download');
    await view.locator('.chain-download').click();
    const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as ChainExport;
    expect(file.format).toBe('cunju-chain/1');
    expect(verifyChain(file).broken).toMatchObject({ seq, reason: 'content' });
    await behindTheBack(`update app.finance_lines set amount_fen = 190000 where notice_id = '${financeNotice}' and line_no = 4`);
    await context.close();
  });

  it('a resident takes out her data: everything, as a file and as a summary', async () => {
    resident = await signIn(j.browser, j.server.url, 'resident');
    await open(resident, j.server.url, '/pages/me/index');
    await current(resident).locator('.me-mydata').click();
    await settled(resident);
    const view = current(resident);
    await expect.poll(() => view.locator('.mydata-summary').textContent(), { timeout: 20_000 }).toContain('张秀兰');
    expect(await view.locator('.mydata-pointEntries').textContent()).toMatch(/积分流水\d+ 条/);
    const json = resident.waitForEvent('download');
    await view.locator('.mydata-json').click();
    const data = JSON.parse(readFileSync((await (await json).path())!, 'utf8'));
    expect(data).toMatchObject({ format: 'cunju-mydata/1', profile: { realName: '张秀兰', phone: '13800001001' } });
    expect(JSON.stringify(data)).not.toContain('choices');
    const text = resident.waitForEvent('download');
    await view.locator('.mydata-text').click();
    const summary = readFileSync((await (await text).path())!, 'utf8');
    expect(summary).toContain('我的数据（摘要）');
    expect(summary).toContain('姓名：张秀兰');
    await j.shot(resident, 'trust-3-my-data', true);
  });

  it("the clerk opens her case; she sees who looked and when; the supervisory committee sees the community's log", async () => {
    const c = await j.db.as('resident')('submit_application', {
      p_item_id: 'd1000000-0000-4000-8000-000000000001',
      p_form_data: { name: '张秀兰', idNumber: '43010219520312002X', purpose: '就业', proof: '房产证' },
      p_attachments: [],
      p_idempotency_key: randomUUID(),
    });
    const clerk = await signIn(j.browser, j.server.url, 'clerk');
    await open(clerk, j.server.url, `/packages/hall/case/index?id=${c.id}`);
    await expect.poll(() => current(clerk).locator('.case-status').textContent()).toBe('已提交');
    await clerk.context().close();

    await open(resident, j.server.url, '/pages/me/index');
    await current(resident).locator('.me-access-log').click();
    await settled(resident);
    const mine = current(resident).locator('.access-case').first();
    await expect.poll(() => mine.textContent(), { timeout: 20_000 }).toMatch(/春晖社区便民服务中心工作人员 .*\*.* 查看了您的办件/);
    expect(await mine.textContent()).toContain('身份证号');
    await j.shot(resident, 'trust-4-who-looked', true);
    await resident.context().close();

    const supervisor = await signIn(j.browser, j.server.url, 'supervisor');
    await open(supervisor, j.server.url, '/packages/account/access-log/index');
    await current(supervisor).locator(`.tab-${chunhui}`).click();
    await expect.poll(() => current(supervisor).locator('.access-case').first().textContent(), { timeout: 20_000 }).toContain('张*兰 的办件');
    await supervisor.context().close();
  });

  it('a resident deletes her account: what is still open first, then gone for good', async () => {
    const id = randomUUID();
    await j.db.sql(`insert into app.profiles (id, persona, display_name, real_name, phone) values ($1, 'trust_leaver', '秋月', '陈秋月', '13900002222')`, [id]);
    await j.db.sql(
      `insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', '50000000-0000-4000-8000-000000000002')`,
      [id, chunhui],
    );
    await j.db.sql(`update app.communities set settings = settings || '{"pointsObjectionDays": 0}' where id = $1`, [chunhui]);
    await j.db.as('committee')('award_points', {
      p_profile_id: id,
      p_community_id: chunhui,
      p_points: 50,
      p_reason: '帮邻居搬家',
      p_idempotency_key: randomUUID(),
    });
    await j.db.as(id)('redeem_goods', { p_goods_id: 'c1000000-0000-4000-8000-000000000003', p_idempotency_key: randomUUID() });

    const page = await signIn(j.browser, j.server.url, 'trust_leaver');
    const token = await page.evaluate(() => {
      const raw = localStorage.getItem('cunju.token') ?? '';
      try {
        return (JSON.parse(raw) as { data: string }).data;
      } catch {
        return raw;
      }
    });
    expect((await page.request.get(`${j.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
    await open(page, j.server.url, '/pages/me/index');
    await current(page).locator('.me-delete').click();
    await settled(page);
    const view = current(page);
    await expect.poll(() => view.locator('.obligation-redemption').count(), { timeout: 20_000 }).toBe(1);
    expect(await view.locator('.obligation-redemption').textContent()).toContain('取消兑换');
    expect(await view.locator('.kept').textContent()).toContain('积分流水');
    await j.shot(page, 'trust-5-delete-account', true);
    await view.locator('.delete-account-button').click();
    await confirmModal(page);
    await confirmModal(page);
    await settled(page);
    await expect.poll(() => page.url(), { timeout: 20_000 }).toContain('/packages/account/login/index');
    await expect.poll(() => current(page).locator('.persona-login').count()).toBeGreaterThan(3);
    expect(await current(page).locator('#persona-trust_leaver').count()).toBe(0);

    const row = (await j.db.sql(`select display_name, real_name, phone, persona, deleted_at from app.profiles where id = $1`, [id])).rows[0];
    expect(row).toMatchObject({ display_name: '已注销用户', real_name: null, phone: null, persona: null });
    expect(row.deleted_at).not.toBeNull();
    expect((await j.db.sql(`select status from app.redemptions where profile_id = $1`, [id])).rows[0].status).toBe('cancelled');
    expect((await page.request.get(`${j.server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
    expect((await page.request.post(`${j.server.url}/api/auth/dev`, { data: { persona: 'trust_leaver' } })).status()).toBe(404);
    await page.context().close();
  });
});
