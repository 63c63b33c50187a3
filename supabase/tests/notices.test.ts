import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, testDb } from '../../test/db.js';
import { community, persona } from '../../test/personas.js';

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const grid1 = '30000000-0000-4000-8000-000000000001';
const villageSupervisor = '60000000-0000-4000-8000-000000000014';
const content = (title: string, extra: Record<string, unknown> = {}) => ({ title, body: '第一段\n\n第二段', ...extra });
const lines = [
  { occurredOn: '2026-11-02', item: '广告位租金', direction: 'income', amountFen: 500000, counterparty: '某传媒' },
  { occurredOn: '2026-11-05', item: '路灯维修', direction: 'expense', amountFen: 123456, counterparty: '五金店' },
  { occurredOn: '2026-11-09', item: '慰问品', direction: 'expense', amountFen: 10001 },
];

async function createNotice(category: string, title: string, extra: Record<string, unknown> = {}) {
  return t.as('committee')('create_notice', {
    p_community_id: community.chunhui,
    p_category: category,
    p_content: content(title, extra.content as Record<string, unknown>),
    ...(extra.args as Record<string, unknown>),
  });
}
const ids = async (who: string, category: string | null = null) =>
  ((await t.as(who)('list_notices', { p_community_id: community.chunhui, p_category: category, p_limit: 100 })) as { items: { id: string }[] }).items.map(
    (n) => n.id,
  );

describe('writing notices', () => {
  it('lets committee create a draft that only committee members see', async () => {
    const n = await createNotice('routine', '草稿：楼道清理');
    expect(n.version.status).toBe('draft');
    expect(await ids('resident')).not.toContain(n.id);
    await expectRefused(t.as('resident')('get_notice', { p_notice_id: n.id }), 'notices.not_found');
    await expectRefused(t.as('supervisor')('get_notice', { p_notice_id: n.id }), 'notices.not_found');
    const work = await t.as('committee')('list_notice_work', { p_community_id: community.chunhui });
    expect(work.items.map((w: { id: string }) => w.id)).toContain(n.id);
    expect(await t.as('resident')('list_notice_work', { p_community_id: community.chunhui })).toEqual({ items: [], nextCursor: null });
  });

  it('refuses residents, clerks, supervisors and another community’s committee', async () => {
    for (const who of ['resident', 'clerk', 'supervisor', 'village_committee'] as const) {
      await expectRefused(
        t.as(who)('create_notice', { p_community_id: community.chunhui, p_category: 'routine', p_content: content('不该成功') }),
        'core.forbidden',
      );
    }
  });

  it('publishes an ordinary notice directly on submit, and only committee may submit', async () => {
    const n = await createNotice('temporary', '周六义诊');
    await expectRefused(t.as('resident')('submit_notice', { p_notice_id: n.id }), 'notices.not_found');
    await expectRefused(t.as('clerk')('submit_notice', { p_notice_id: n.id }), 'notices.not_found');
    const p = await t.as('committee')('submit_notice', { p_notice_id: n.id });
    expect(p.version.status).toBe('published');
    // Once they can see it, staff other than committee are refused outright.
    await expectRefused(t.as('clerk')('set_notice_pinned', { p_notice_id: n.id, p_pinned: true }), 'core.forbidden');
    await expectRefused(t.as('supervisor')('set_notice_pinned', { p_notice_id: n.id, p_pinned: true }), 'core.forbidden');
    expect((await t.as('committee')('set_notice_pinned', { p_notice_id: n.id, p_pinned: true })).pinned).toBe(true);
    expect(p.version.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await ids('resident')).toContain(n.id);
  });

  it('rejects malformed content and leaves nothing behind', async () => {
    const before = (await t.sql('select count(*)::int n from app.notices')).rows[0].n;
    await expectRefused(
      t.as('committee')('create_notice', {
        p_community_id: community.chunhui,
        p_category: 'finance',
        p_finance_period: '2026年11月',
        p_content: content('坏数据', { financeLines: [{ occurredOn: '2026-11-02', item: '负数', direction: 'income', amountFen: -5 }] }),
      }),
      'core.invalid_input',
    );
    await expectRefused(
      t.as('committee')('create_notice', { p_community_id: community.chunhui, p_category: 'routine', p_content: { title: 'x' } }),
      'core.invalid_input',
    );
    expect((await t.sql('select count(*)::int n from app.notices')).rows[0].n).toBe(before);
  });
});

describe('disclosures under review (财务公开, 村(居)务公开)', () => {
  let id = '';
  it('go to the supervisor instead of residents', async () => {
    const n = await createNotice('finance', '11月收支', { content: { financeLines: lines }, args: { p_finance_period: '2026年11月' } });
    id = n.id;
    const s = await t.as('committee')('submit_notice', { p_notice_id: id });
    expect(s.version.status).toBe('submitted');
    await expectRefused(t.as('resident')('get_notice', { p_notice_id: id }), 'notices.not_found');
    const work = await t.as('supervisor')('list_notice_work', { p_community_id: community.chunhui });
    expect(work.items.map((w: { id: string }) => w.id)).toContain(id);
  });

  it('cannot be approved by committee, by a resident, or by another community’s supervisor', async () => {
    await expectRefused(t.as('committee')('review_notice', { p_notice_id: id, p_approve: true }), 'core.forbidden');
    await expectRefused(t.as('resident')('review_notice', { p_notice_id: id, p_approve: true }), 'core.forbidden');
    await expectRefused(t.as(villageSupervisor)('review_notice', { p_notice_id: id, p_approve: true }), 'notices.not_found');
  });

  it('need a comment to be returned; committee then edits and resubmits', async () => {
    await expectRefused(t.as('supervisor')('review_notice', { p_notice_id: id, p_approve: false, p_comment: '' }), 'notices.comment_required');
    const r = await t.as('supervisor')('review_notice', { p_notice_id: id, p_approve: false, p_comment: '第三笔请补对方单位' });
    expect(r.version.status).toBe('returned');
    const fixed = lines.map((l, i) => (i === 2 ? { ...l, counterparty: '春晖超市' } : l));
    await t.as('committee')('update_notice_draft', {
      p_notice_id: id,
      p_content: content('11月收支', { financeLines: fixed }),
      p_finance_period: '2026年11月',
      p_important: true,
    });
    expect((await t.as('committee')('submit_notice', { p_notice_id: id })).version.status).toBe('submitted');
  });

  it('are published when the supervisor approves, with totals computed by the database', async () => {
    const a = await t.as('supervisor')('review_notice', { p_notice_id: id, p_approve: true });
    expect(a.version.status).toBe('published');
    const seen = await t.as('resident')('get_notice', { p_notice_id: id });
    expect(seen.finance.lines).toHaveLength(3);
    expect(seen.finance.incomeFen).toBe(500000);
    expect(seen.finance.expenseFen).toBe(133457);
    expect(seen.finance.balanceFen).toBe(366543);
    expect(seen.finance.lines[2].counterparty).toBe('春晖超市');
    await expectRefused(t.as('supervisor')('review_notice', { p_notice_id: id, p_approve: true }), 'notices.not_submitted');
  });

  it('refuse a finance disclosure without lines', async () => {
    const n = await createNotice('finance', '空的收支', { args: { p_finance_period: '2026年12月' } });
    await expectRefused(t.as('committee')('submit_notice', { p_notice_id: n.id }), 'notices.finance_lines_required');
  });

  it('stay sealed once published: no update or delete, even by the table owner', async () => {
    await expect(t.sql(`update app.notice_versions set title = '改过了' where notice_id = $1`, [id])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.notice_versions where notice_id = $1`, [id])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`update app.finance_lines set amount_fen = 1 where notice_id = $1`, [id])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.notices where id = $1`, [id])).rejects.toThrow(/core.append_only/);
  });

  it('carry the SHA-256 of exactly what was published', async () => {
    const r = await t.sql(`select content_sha256 = app.notice_content_sha256(notice_id, version) as ok from app.notice_versions where notice_id = $1`, [id]);
    expect(r.rows[0].ok).toBe(true);
  });
});

describe('corrections', () => {
  it('create a new version; residents see the latest marked as corrected and can open the earlier one', async () => {
    const n = await createNotice('policy', '高龄津贴发放');
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    await expectRefused(
      t.as('committee')('correct_notice', { p_notice_id: n.id, p_content: content('高龄津贴发放（更正）'), p_correction_note: '' }),
      'notices.correction_note_required',
    );
    await expectRefused(t.as('resident')('correct_notice', { p_notice_id: n.id, p_content: content('x改'), p_correction_note: '改一下' }), 'core.forbidden');
    const c = await t.as('committee')('correct_notice', {
      p_notice_id: n.id,
      p_content: content('高龄津贴发放（更正）'),
      p_correction_note: '发放日期改为12月5日',
    });
    expect(c.version.version).toBe(2);
    const seen = await t.as('resident')('get_notice', { p_notice_id: n.id });
    expect(seen.corrected).toBe(true);
    expect(seen.version.title).toBe('高龄津贴发放（更正）');
    expect(seen.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const old = await t.as('resident')('get_notice', { p_notice_id: n.id, p_version: 1 });
    expect(old.version.title).toBe('高龄津贴发放');
  });

  it('of a disclosure go through review again; residents keep seeing the published version meanwhile', async () => {
    const n = await createNotice('affairs', '电梯加装公示');
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    await t.as('supervisor')('review_notice', { p_notice_id: n.id, p_approve: true });
    const c = await t.as('committee')('correct_notice', { p_notice_id: n.id, p_content: content('电梯加装公示（更正）'), p_correction_note: '户数更正' });
    expect(c.version.status).toBe('submitted');
    const seen = await t.as('resident')('get_notice', { p_notice_id: n.id });
    expect(seen.version.title).toBe('电梯加装公示');
    expect(seen.corrected).toBe(false);
    await expectRefused(
      t.as('committee')('correct_notice', { p_notice_id: n.id, p_content: content('再改'), p_correction_note: '再改一次' }),
      'notices.correction_pending',
    );
  });
});

describe('who sees what', () => {
  it('limits a grid notice to that grid’s residents (and staff)', async () => {
    const n = await createNotice('routine', '第一网格停电', { args: { p_audience_grid_ids: [grid1] } });
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    expect(await ids('resident')).toContain(n.id); // 1号楼, 第一网格
    expect(await ids('volunteer')).not.toContain(n.id); // 3号楼, 第二网格
    await expectRefused(t.as('volunteer')('get_notice', { p_notice_id: n.id }), 'notices.not_found');
    expect(await ids('clerk')).toContain(n.id);
  });

  it('shows nothing of one community to another community', async () => {
    expect(await ids('villager')).toEqual([]);
    await expectRefused(t.as('villager')('get_notice', { p_notice_id: 'a1000000-0000-4000-8000-000000000003' }), 'notices.not_found');
    const direct = await t.sqlAs('villager', `select id from app.notices where community_id = $1`, [community.chunhui]);
    expect(direct.rows).toEqual([]);
    const versions = await t.sqlAs('villager', `select title from app.notice_versions where notice_id = 'a1000000-0000-4000-8000-000000000003'`);
    expect(versions.rows).toEqual([]);
  });

  it('hides a scheduled notice until its time', async () => {
    const later = new Date(Date.now() + 3600_000).toISOString();
    const n = await createNotice('routine', '明天的通知', { args: { p_publish_at: later } });
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    expect(await ids('resident')).not.toContain(n.id);
    await expectRefused(t.as('resident')('get_notice', { p_notice_id: n.id }), 'notices.not_found');
    await t.sql(`update app.notices set publish_at = now() - interval '1 minute' where id = $1`, [n.id]);
    expect(await ids('resident')).toContain(n.id);
  });

  it('drops an expired notice from the lists but keeps it readable', async () => {
    const n = await createNotice('temporary', '已过期的通知');
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    await t.sql(`update app.notices set expires_at = now() - interval '1 minute' where id = $1`, [n.id]);
    expect(await ids('resident')).not.toContain(n.id);
    expect((await t.as('resident')('get_notice', { p_notice_id: n.id })).id).toBe(n.id);
  });
});

describe('reads and emergencies', () => {
  it('count one read per person even under 20 concurrent requests', async () => {
    const n = await createNotice('major', '重大事项：小区改造');
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    const results = await Promise.all(Array.from({ length: 20 }, () => t.as('resident2')('record_notice_read', { p_notice_id: n.id })));
    expect(results.filter((r) => r.firstRead)).toHaveLength(1);
    const rows = await t.sql('select count(*)::int n from app.notice_reads where notice_id = $1', [n.id]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('refuse a read of a notice the person may not see', async () => {
    await expectRefused(t.as('villager')('record_notice_read', { p_notice_id: 'a1000000-0000-4000-8000-000000000003' }), 'notices.not_found');
  });

  it('keep an emergency on the home page until it is read', async () => {
    const e = await createNotice('emergency', '燃气泄漏，请勿开火');
    await t.as('committee')('submit_notice', { p_notice_id: e.id });
    const home = await t.as('resident')('get_notice_home', { p_community_id: community.chunhui });
    expect(home.emergencies.map((x: { id: string }) => x.id)).toContain(e.id);
    await t.as('resident')('record_notice_read', { p_notice_id: e.id });
    const after = await t.as('resident')('get_notice_home', { p_community_id: community.chunhui });
    expect(after.emergencies.map((x: { id: string }) => x.id)).not.toContain(e.id);
    expect((await t.as('villager')('get_notice_home', { p_community_id: community.chunhui })).emergencies).toEqual([]);
  });

  it('show committee which households have not read an important notice; residents cannot see this', async () => {
    const n = 'a1000000-0000-4000-8000-000000000003'; // seeded: read by 李国强 (2号楼)
    const s = await t.as('committee')('get_notice_read_stats', { p_notice_id: n });
    expect(s.households).toBeGreaterThanOrEqual(3);
    const unread = s.unreadHouseholds.map((h: { address: string }) => h.address);
    expect(unread).toContain('1号楼 2单元301');
    expect(unread).not.toContain('2号楼 1单元502');
    expect(JSON.stringify(s)).not.toContain('张秀兰');
    const gw = await t.as('grid_worker')('get_notice_read_stats', { p_notice_id: n });
    expect(gw.unreadHouseholds.every((h: { gridName: string }) => h.gridName === '第一网格')).toBe(true);
    await expectRefused(t.as('resident')('get_notice_read_stats', { p_notice_id: n }), 'core.forbidden');
  });
});

describe('questions under disclosures', () => {
  const financeId = 'a1000000-0000-4000-8000-000000000003';
  let qid = '';
  it('stay invisible to others until the content check passes', async () => {
    const q = await t.as('resident')('ask_notice_question', { p_notice_id: financeId, p_body: '重阳节慰问是哪些老人？' });
    qid = q.id;
    const asOther = await t.as('resident2')('get_notice', { p_notice_id: financeId });
    expect(asOther.questions.map((x: { id: string }) => x.id)).not.toContain(qid);
    const asSelf = await t.as('resident')('get_notice', { p_notice_id: financeId });
    expect(asSelf.questions.find((x: { id: string }) => x.id === qid).checkStatus).toBe('pending');
    await t.service('settle_question_check', { p_question_id: qid, p_passed: true, p_provider: 'test' });
    const after = await t.as('resident2')('get_notice', { p_notice_id: financeId });
    expect(after.questions.find((x: { id: string }) => x.id === qid).asker).toBe('张*兰');
  });

  it('cannot be settled by a resident', async () => {
    await expect(t.as('resident')('settle_question_check', { p_question_id: qid, p_passed: true, p_provider: 'me' })).rejects.toThrow();
  });

  it('are answered by committee only', async () => {
    await expectRefused(t.as('resident2')('answer_notice_question', { p_question_id: qid, p_answer: '我来答' }), 'core.forbidden');
    await expectRefused(t.as('village_committee')('answer_notice_question', { p_question_id: qid, p_answer: '我来答' }), 'notices.not_found');
    await t.as('committee')('answer_notice_question', { p_question_id: qid, p_answer: '80岁以上的38位老人，名单在社区公示栏。' });
    const seen = await t.as('resident2')('get_notice', { p_notice_id: financeId });
    expect(seen.questions.find((x: { id: string }) => x.id === qid).answer).toContain('38位');
  });

  it('can be hidden by committee with a reason; others no longer see them', async () => {
    const q = await t.as('resident2')('ask_notice_question', { p_notice_id: financeId, p_body: '某某某是骗子！' });
    await t.service('settle_question_check', { p_question_id: q.id, p_passed: true, p_provider: 'test' });
    await expectRefused(t.as('committee')('hide_notice_question', { p_question_id: q.id, p_reason: '' }), 'core.reason_required');
    await expectRefused(t.as('resident')('hide_notice_question', { p_question_id: q.id, p_reason: '不喜欢' }), 'core.forbidden');
    await t.as('committee')('hide_notice_question', { p_question_id: q.id, p_reason: '含有对他人的人身攻击' });
    const asOther = await t.as('resident')('get_notice', { p_notice_id: financeId });
    expect(asOther.questions.map((x: { id: string }) => x.id)).not.toContain(q.id);
    const asCommittee = await t.as('committee')('get_notice', { p_notice_id: financeId, p_version: 1 });
    expect(asCommittee.questions.find((x: { id: string }) => x.id === q.id).hiddenReason).toBe('含有对他人的人身攻击');
    const audit = await t.sql(`select actor_id, on_behalf_of from app.audit_log where action = 'notice.question.hide'`);
    expect(audit.rows[0]).toEqual({ actor_id: persona.committee, on_behalf_of: persona.resident2 });
  });

  it('are only open under disclosures, and only for residents', async () => {
    await expectRefused(
      t.as('resident')('ask_notice_question', { p_notice_id: 'a1000000-0000-4000-8000-000000000002', p_body: '能改时间吗？' }),
      'notices.questions_not_open',
    );
    await expectRefused(t.as('clerk')('ask_notice_question', { p_notice_id: financeId, p_body: '工作人员提问' }), 'core.forbidden');
  });
});

describe('subscribe messages', () => {
  it('queue one message per credit for subscribers in the audience on first publication only', async () => {
    await t.as('resident')('subscribe_notices', { p_community_id: community.chunhui });
    const twice = await t.as('resident')('subscribe_notices', { p_community_id: community.chunhui });
    expect(twice.credits).toBe(2);
    await t.as('volunteer')('subscribe_notices', { p_community_id: community.chunhui }); // 第二网格
    await expectRefused(t.as('villager')('subscribe_notices', { p_community_id: community.chunhui }), 'core.forbidden');
    const n = await createNotice('routine', '第一网格通知', { args: { p_audience_grid_ids: [grid1] } });
    await t.as('committee')('submit_notice', { p_notice_id: n.id });
    const out = await t.sql(`select profile_id, payload->>'title' as title from app.outbox where dedupe_key like $1`, [`notice:${n.id}:%`]);
    expect(out.rows).toEqual([{ profile_id: persona.resident, title: '第一网格通知' }]);
    const credits = await t.sql(`select profile_id, credits from app.message_subscriptions order by credits`);
    expect(credits.rows).toEqual([
      { profile_id: persona.volunteer, credits: 1 },
      { profile_id: persona.resident, credits: 1 },
    ]);
    await t.as('committee')('correct_notice', { p_notice_id: n.id, p_content: content('第一网格通知（更正）'), p_correction_note: '时间更正' });
    const again = await t.sql(`select count(*)::int n from app.outbox where dedupe_key like $1`, [`notice:${n.id}:%`]);
    expect(again.rows[0].n).toBe(1);
  });

  it('are claimed by one sender at a time', async () => {
    const [a, b] = await Promise.all([t.service('claim_outbox', { p_limit: 10 }), t.service('claim_outbox', { p_limit: 10 })]);
    const claimed = [...a, ...b].map((m: { id: string }) => m.id);
    expect(claimed.length).toBeGreaterThan(0);
    expect(new Set(claimed).size).toBe(claimed.length);
    await expect(t.as('resident')('claim_outbox', { p_limit: 10 })).rejects.toThrow();
  });
});
