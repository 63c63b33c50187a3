import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { current, hasChromium, open, settled, signIn, startJourney, tab } from '../../test/browser.js';
import { expectAccessible } from '../../test/a11y.js';

const TITLE = '东门外人行道乱停车，建议划线管理';

describe.skipIf(!hasChromium)('H5 journey: a parking topic through the six steps to a published decision; a poll', () => {
  let j: Awaited<ReturnType<typeof startJourney>>;
  let resident: Page;
  let committee: Page;
  let topicId = '';
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.close());

  const openTopic = (p: Page) => open(p, j.server.url, `/packages/affairs/topic/index?id=${topicId}`);
  const stepIs = (n: number) => expect.poll(async () => (await j.db.sql('select current_step, status from app.topics where id = $1', [topicId])).rows[0]);

  it('a resident raises a topic about parking; resident2 and a volunteer co-sign to the threshold', async () => {
    resident = await signIn(j.browser, j.server.url, 'resident');
    await tab(resident, 2);
    await current(resident).locator('.topic-item').first().waitFor();
    await expectAccessible(resident, '议事');
    await current(resident).locator('.raise-topic').click();
    await settled(resident);
    await expectAccessible(resident, '提出议题');
    await current(resident).locator('.topic-title input').fill(TITLE);
    await current(resident).locator('.topic-description textarea').fill('每天晚上东门外人行道停满了车，推轮椅、婴儿车都过不去，建议划停车线、留出通道。');
    await current(resident).locator('.topic-submit').click();
    await settled(resident);
    topicId = (await j.db.sql('select id from app.topics where title = $1', [TITLE])).rows[0].id;
    for (const [who, expected] of [
      ['resident2', '联名 2/3'],
      ['volunteer', '联名 3/3（已达到'],
    ] as const) {
      const p = await signIn(j.browser, j.server.url, who);
      await openTopic(p);
      await current(p).locator('.cosign').waitFor();
      await expectAccessible(p, '议题（联名前）');
      await current(p).locator('.cosign').click();
      await expect.poll(() => current(p).locator('.cosign-count').textContent()).toContain(expected);
    }
  });

  it('committee takes it through the steps with a quorate, passing representatives’ meeting; the supervisor signs', async () => {
    committee = await signIn(j.browser, j.server.url, 'committee');
    await openTopic(committee);
    await current(committee).locator('.take-up').first().waitFor();
    await expectAccessible(committee, '议题（两委）');
    await current(committee).locator('.take-up').first().click();
    await stepIs(1).toEqual({ current_step: 1, status: 'in_procedure' });
    const complete = async (n: number, minutes: string) => {
      await current(committee).locator('.step-minutes textarea').fill(minutes);
      await current(committee).locator('.complete-step').click();
      await stepIs(n).toMatchObject({ current_step: n + 1 });
    };
    const meeting = async (yes: string, no: string) => {
      await current(committee).locator('.select-all').click();
      await current(committee).locator('.meeting-yes input').fill(yes);
      await current(committee).locator('.meeting-no input').fill(no);
      await current(committee).locator('.record-meeting').click();
      await current(committee).locator('.meeting-recorded').waitFor();
    };
    await complete(1, '社区党委提议：东门外划线管理');
    await complete(2, '两委商议同意，提交党员大会审议');
    await meeting('9', '0');
    await complete(3, '党员大会审议通过');
    await meeting('10', '2');
    expect(await current(committee).locator('.meeting-recorded').textContent()).toContain('实到 12/12');
    await expectAccessible(committee, '议事步骤：会议表决');
    await j.shot(committee, 'affairs-1-meeting', true);
    await complete(4, '居民代表大会表决通过');

    const sup = await signIn(j.browser, j.server.url, 'supervisor');
    await openTopic(sup);
    await current(sup).locator('.step-minutes textarea').waitFor();
    await expectAccessible(sup, '议题（监督委员会）');
    await current(sup).locator('.step-minutes textarea').fill('程序合规，表决有效，同意公示');
    await current(sup).locator('.complete-step').click();
    await stepIs(5).toMatchObject({ current_step: 6 });
  });

  it('the decision is published and the resident sees it with its hash', async () => {
    await openTopic(committee);
    await current(committee).locator('.step-minutes textarea').fill('公示 7 天，无异议后实施');
    await current(committee).locator('.complete-step').click();
    await stepIs(6).toMatchObject({ status: 'decided' });
    const pub = (await j.db.sql('select id, content_sha256 from app.affairs_publications where topic_id = $1', [topicId])).rows[0];
    await openTopic(resident);
    const p = current(resident).locator('.publication').first();
    await expect.poll(() => p.textContent()).toContain('决议公示');
    expect(await p.textContent()).toContain('应到 12 人，实到 12 人；赞成 10，反对 2，弃权 0');
    expect(await p.locator('.decision-hash').textContent()).toContain(pub.content_sha256);
    // The decision's own page says where it sits on the public record chain, and takes the resident there.
    const seq = (await j.db.sql(`select seq::int as seq from app.chain_entries where kind = 'affairs' and record_id = $1`, [pub.id])).rows[0]?.seq;
    expect(seq).toBeGreaterThan(0);
    await expect.poll(() => p.locator('.chain-entry-link').textContent()).toContain(`公开记录链第 ${seq} 条`);
    await expectAccessible(resident, '议题：决议公示');
    await j.shot(resident, 'affairs-2-decision', true);
  });

  it('a poll: the resident votes, a second vote is refused, results appear after close', async () => {
    const poll = 'e4000000-0000-4000-8000-000000000001';
    await open(resident, j.server.url, `/packages/affairs/poll/index?id=${poll}`);
    await current(resident).locator('.option-1').waitFor();
    await expectAccessible(resident, '投票');
    await current(resident).locator('.option-1').click();
    await current(resident).locator('.cast-vote').click();
    await expect.poll(() => current(resident).locator('.vote-message').textContent()).toContain('投票成功');
    // The ballot is in; the page offers no second vote, and the server refuses one anyway.
    await expect.poll(() => current(resident).locator('.voted').textContent()).toContain('已投票');
    expect(await current(resident).locator('.cast-vote').count()).toBe(0);
    const token = await resident.evaluate(() => JSON.parse(localStorage.getItem('cunju.token') ?? '{}').data as string);
    const again = await fetch(`${j.server.url}/api/affairs/polls/${poll}/votes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'second-ballot-1' },
      body: JSON.stringify({ choices: [2] }),
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('已经投过票了');
    expect(await current(resident).locator('.results').count()).toBe(0);
    // The poll closes.
    await j.db.sql(`update app.polls set closes_at = now() - interval '1 minute' where id = $1`, [poll]);
    await resident.reload();
    await settled(resident);
    await expect.poll(() => current(resident).locator('.results .result-votes').first().textContent()).toBe('1 票');
    // The scheduled job puts the closed poll's result on the public record chain; the page then says where.
    await j.db.service('append_due_public_records', { p_limit: 200 });
    const seq = (await j.db.sql(`select seq::int as seq from app.chain_entries where kind = 'poll_result' and record_id = $1`, [poll])).rows[0]?.seq;
    expect(seq).toBeGreaterThan(0);
    await resident.reload();
    await settled(resident);
    await expect.poll(() => current(resident).locator('.results .chain-entry-link').textContent()).toContain(`公开记录链第 ${seq} 条`);
    await expectAccessible(resident, '投票结果');
    await j.shot(resident, 'affairs-3-poll-results', true);
  });
});
