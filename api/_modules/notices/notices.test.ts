import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { community, persona } from '../../../test/personas.js';
import { Notice, NoticeHome, NoticeList, ReadStats } from '../../_contracts/notices.js';
import { drainOutbox } from '../../_lib/outbox.js';
import type { recordingContentCheck } from '../../_lib/content-check.js';

let api: Awaited<ReturnType<typeof testApi>>;
let committee = '';
let resident = '';
beforeAll(async () => {
  api = await testApi({ WECHAT_TEMPLATE_NOTICE: 'TEMPLATE_NOTICE_1', CRON_SECRET: 'cron-secret-0123456789' });
  committee = await api.login('committee');
  resident = await api.login('resident');
});
afterAll(async () => api.close());

const financeBody = {
  communityId: community.chunhui,
  category: 'finance',
  financePeriod: '2026年11月',
  content: {
    title: '11月公共收益',
    body: '请监督',
    financeLines: [
      { occurredOn: '2026-11-02', item: '广告位租金', direction: 'income', amountFen: 500000, counterparty: '某传媒' },
      { occurredOn: '2026-11-05', item: '路灯维修', direction: 'expense', amountFen: 12345 },
    ],
  },
};

describe('notices API', () => {
  it('validates input with Chinese messages and writes nothing on bad input', async () => {
    const before = (await api.db.sql('select count(*)::int n from app.notices')).rows[0].n;
    const r = await api.call('POST', '/api/notices', {
      token: committee,
      body: {
        communityId: community.chunhui,
        category: 'finance',
        content: { title: 'x', financeLines: [{ occurredOn: '11/2', item: '', direction: 'in', amountFen: 1.5 }] },
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toMatchObject({
      'content.title': '标题至少 2 个字',
      'content.financeLines.0.occurredOn': '日期格式应为 2026-10-01',
      'content.financeLines.0.item': '请填写收支事项',
      'content.financeLines.0.direction': '请选择收入或支出',
      'content.financeLines.0.amountFen': '金额以分为单位，必须是整数',
    });
    expect((await api.db.sql('select count(*)::int n from app.notices')).rows[0].n).toBe(before);
  });

  it('runs the whole disclosure flow and returns contract-shaped notices', async () => {
    const created = await api.call('POST', '/api/notices', { token: committee, body: financeBody });
    expect(created.status).toBe(201);
    const id = Notice.parse(created.body).id;
    expect((await api.call('POST', `/api/notices/${id}/submit`, { token: committee })).body.version.status).toBe('submitted');
    const hidden = await api.call('GET', `/api/notices/${id}`, { token: resident });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toMatch(/没有找到/);
    const wrongRole = await api.call('POST', `/api/notices/${id}/review`, { token: committee, body: { approve: true } });
    expect(wrongRole.status).toBe(403);
    const noComment = await api.call('POST', `/api/notices/${id}/review`, { token: await api.login('supervisor'), body: { approve: false } });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.fields.comment).toBe('退回时请写明需要修改的地方');
    const ok = await api.call('POST', `/api/notices/${id}/review`, { token: await api.login('supervisor'), body: { approve: true } });
    expect(ok.status).toBe(200);
    const seen = Notice.parse((await api.call('GET', `/api/notices/${id}`, { token: resident })).body);
    expect(seen.finance?.balanceFen).toBe(487655);
    const list = NoticeList.parse((await api.call('GET', `/api/notices?communityId=${community.chunhui}&category=finance`, { token: resident })).body);
    expect(list.items.map((n) => n.id)).toContain(id);
    const home = NoticeHome.parse((await api.call('GET', `/api/notices/home?communityId=${community.chunhui}`, { token: resident })).body);
    expect(home.emergencies.map((n) => n.title)).toContain('今晚22点至明早6点3号楼、5号楼停水');
    const read = await api.call('POST', `/api/notices/${id}/read`, { token: resident });
    expect(read.body).toEqual({ noticeId: id, firstRead: true });
    const stats = ReadStats.parse((await api.call('GET', `/api/notices/${id}/read-stats`, { token: committee })).body);
    expect(stats.readers).toBe(1);
    expect((await api.call('GET', `/api/notices/${id}/read-stats`, { token: resident })).status).toBe(403);
  });

  it('shows a question only after the content check, and refuses what the check rejects', async () => {
    const financeId = 'a1000000-0000-4000-8000-000000000003';
    const ok = await api.call('POST', `/api/notices/${financeId}/questions`, { token: resident, body: { body: '广告位租金是按年签的吗？' } });
    expect(ok.status).toBe(201);
    expect(ok.body.checkStatus).toBe('passed');
    expect((api.deps.contentCheck as ReturnType<typeof recordingContentCheck>).seen).toContain('广告位租金是按年签的吗？');
    const other = Notice.parse((await api.call('GET', `/api/notices/${financeId}`, { token: await api.login('resident2') })).body);
    expect(other.questions?.map((q) => q.body)).toContain('广告位租金是按年签的吗？');
  });

  it('uses WeChat msgSecCheck in production mode: risky text is refused and never shown', async () => {
    const prod = await testApi({ NODE_ENV: 'production' });
    try {
      // A WeChat user who became a resident.
      const login = await prod.call('POST', '/api/auth/wechat', { body: { code: 'good:oCheck_1' } });
      await prod.db.sql(
        `insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', '50000000-0000-4000-8000-000000000004')`,
        [login.body.profile.id, community.chunhui],
      );
      const financeId = 'a1000000-0000-4000-8000-000000000003';
      const bad = await prod.call('POST', `/api/notices/${financeId}/questions`, { token: login.body.token, body: { body: '这里有违禁内容' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('content.rejected');
      expect(prod.wechat.checked).toContain('这里有违禁内容');
      const good = await prod.call('POST', `/api/notices/${financeId}/questions`, { token: login.body.token, body: { body: '支出凭证在哪里看？' } });
      expect(good.status).toBe(201);
      const rows = await prod.db.sql(`select body, check_status, check_provider from app.notice_questions where asker_id = $1 order by created_at`, [
        login.body.profile.id,
      ]);
      expect(rows.rows).toEqual([
        { body: '这里有违禁内容', check_status: 'rejected', check_provider: 'wechat.msgSecCheck' },
        { body: '支出凭证在哪里看？', check_status: 'passed', check_provider: 'wechat.msgSecCheck' },
      ]);
      const seen = Notice.parse((await prod.call('GET', `/api/notices/${financeId}`, { token: await prod.deps.tokens.sign(persona.resident2, 1) })).body);
      expect(seen.questions?.map((q) => q.body)).not.toContain('这里有违禁内容');
    } finally {
      await prod.close();
    }
  });

  it('sends queued subscribe messages through WeChat, skips people without WeChat, and retries failures', async () => {
    // A WeChat user in 第一网格 who accepted the subscribe prompt.
    const login = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oSubscriber_1' } });
    await api.db.sql(
      `insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', '50000000-0000-4000-8000-000000000001')`,
      [login.body.profile.id, community.chunhui],
    );
    expect((await api.call('POST', '/api/notices/subscriptions', { token: login.body.token, body: { communityId: community.chunhui } })).status).toBe(201);
    await api.call('POST', '/api/notices/subscriptions', { token: resident, body: { communityId: community.chunhui } }); // demo persona: no openid
    const n = await api.call('POST', '/api/notices', {
      token: committee,
      body: { communityId: community.chunhui, category: 'routine', content: { title: '周三下午停电检修' } },
    });
    await api.call('POST', `/api/notices/${n.body.id}/submit`, { token: committee });

    const denied = await api.call('GET', '/api/cron/outbox', { headers: { authorization: 'Bearer wrong' } });
    expect(denied.status).toBe(403);
    api.wechat.failNextSend();
    const first = await api.call('GET', '/api/cron/outbox', { headers: { authorization: 'Bearer cron-secret-0123456789' } });
    expect(first.body).toEqual({ sent: 0, skipped: 1, retry: 1 });
    // Due again later: move the retry forward instead of waiting.
    await api.db.sql(`update app.outbox set next_attempt_at = now() where status = 'pending'`);
    const second = await drainOutbox(api.deps);
    expect(second).toEqual({ sent: 1, skipped: 0, retry: 0 });
    expect(api.wechat.sent).toHaveLength(1);
    expect(api.wechat.sent[0]).toMatchObject({
      touser: 'oSubscriber_1',
      template_id: 'TEMPLATE_NOTICE_1',
      page: `packages/notices/detail/index?id=${n.body.id}`,
      data: { thing1: { value: '周三下午停电检修' }, thing2: { value: '春晖社区' } },
    });
    const rows = await api.db.sql(`select p.persona, o.status, o.attempts from app.outbox o join app.profiles p on p.id = o.profile_id order by o.attempts`);
    expect(rows.rows).toEqual([
      { persona: 'resident', status: 'skipped', attempts: 1 },
      { persona: null, status: 'sent', attempts: 2 },
    ]);
    expect(persona.resident).toBeTruthy();
  });
});
