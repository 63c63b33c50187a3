import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import { community, persona } from '../../test/personas.js';

// Security review of the database functions (migration 20261130000300_tenant_checks): who may execute what,
// which writes leave an audit trail, and that no id of another community's person or row is accepted.
// Refusals are checked twice: the error key, and that nothing at all changed (rows and the audit log).

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const { chunhui, liutang } = community;
const grid1 = '30000000-0000-4000-8000-000000000001'; // 春晖 第一网格
const liutangGrid = '30000000-0000-4000-8000-000000000003'; // 柳塘 东片网格
const chunhuiTeam = 'b1000000-0000-4000-8000-000000000002'; // 志愿者服务队, leader: volunteer; resident2 pending
const liutangTeam = 'b1000000-0000-4000-8000-000000000004'; // 农技员服务队, no leader
const liutangResident = '60000000-0000-4000-8000-000000000013'; // 黄桂英, resident of 柳塘村
const confirmedSignup = 'b3000000-0000-4000-8000-000000000002'; // resident2 at 重阳节陪伴高龄老人 (春晖), 150 min, 25 points
const residence = 'd1000000-0000-4000-8000-000000000001'; // 居住证明 (春晖)
const disability = 'd1000000-0000-4000-8000-000000000005'; // 残疾人证办理 (春晖), by appointment
const goodForm = { name: '张秀兰', idNumber: '43010219520312002X', purpose: '办理居住证', proof: '房产证' };

type Query = string | [string, unknown[]];
/** The rows a refusal must leave untouched, plus the whole audit log. */
async function look(queries: Query[]) {
  return Promise.all(
    [...queries, 'select count(*)::int as audit_rows from app.audit_log'].map(async (q) => {
      const [text, values] = typeof q === 'string' ? [q, []] : q;
      return (await t.sql(text, values)).rows;
    }),
  );
}
/** Refused with this key, and nothing the queries see (nor the audit log) changed. */
async function refusedUnchanged(call: () => Promise<unknown>, code: string, ...queries: Query[]) {
  const before = await look(queries);
  await expectRefused(call(), code);
  expect(await look(queries)).toEqual(before);
}
const lastAudit = async (action: string) =>
  (
    await t.sql(
      `select actor_id, on_behalf_of, community_id, entity, entity_id, detail from app.audit_log
                 where action = $1 order by id desc limit 1`,
      [action],
    )
  ).rows[0];
/** A second committee member of 春晖社区 (deductions need two). */
async function secondCommittee() {
  const id = randomUUID();
  await t.sql(`insert into app.profiles (id, display_name, real_name) values ($1, '副主任', '郑华')`, [id]);
  await t.sql(`insert into app.memberships (profile_id, community_id, role) values ($1, $2, 'committee')`, [id, chunhui]);
  return id;
}

// ---------------------------------------------------------------- catalog

describe('privileges in the catalog', () => {
  it('let no API role execute a volatile function in schema app', async () => {
    const rows = (
      await t.sql<{ fn: string; role: string }>(`
      select p.oid::regprocedure::text as fn, r.role
        from pg_proc p cross join (values ('anon'), ('authenticated')) r(role)
       where p.pronamespace = 'app'::regnamespace and p.provolatile = 'v'
         and has_function_privilege(r.role, p.oid, 'execute')`)
    ).rows;
    expect(rows).toEqual([]);
    // The check has something to look at.
    expect((await t.sql(`select count(*)::int n from pg_proc where pronamespace = 'app'::regnamespace and provolatile = 'v'`)).rows[0].n).toBeGreaterThan(10);
  });

  it('give signed-in callers only definer functions with an empty search_path, or invoker functions', async () => {
    const rows = (
      await t.sql<{ fn: string; definer: boolean; config: string[] | null }>(`
      select p.oid::regprocedure::text as fn, p.prosecdef as definer, p.proconfig as config
        from pg_proc p
       where p.pronamespace = 'public'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')`)
    ).rows;
    expect(rows.length).toBeGreaterThan(50);
    const bad = rows.filter((r) => r.definer && !(r.config ?? []).some((c) => c === 'search_path=""' || c === "search_path=''"));
    expect(bad.map((r) => r.fn)).toEqual([]);
  });

  it('keep the server-only functions away from signed-in callers', async () => {
    const serverOnly = Object.entries(notAudited)
      .filter(([, why]) => why.startsWith('server'))
      .map(([fn]) => fn);
    const rows = (
      await t.sql<{ fn: string }>(
        `
      select p.proname as fn from pg_proc p
       where p.pronamespace = 'public'::regnamespace and p.proname = any ($1)
         and (has_function_privilege('authenticated', p.oid, 'execute') or has_function_privilege('anon', p.oid, 'execute'))`,
        [[...serverOnly, 'expire_redemptions', 'get_wechat_openid', 'list_dev_personas', 'get_health']],
      )
    ).rows;
    expect(rows).toEqual([]);
  });
});

// ---------------------------------------------------------------- audit coverage

/**
 * Volatile functions in public that write no audit row, each on purpose. Everything else that writes must
 * call app.audit(...) itself or through an app helper that does (app.record_step, app.publish_affairs).
 */
const notAudited: Record<string, string> = {
  // A secret ballot: poll_voters and poll_ballots share nothing, and an audit row (voter, poll, time)
  // next to a ballot inserted in the same second would link the two.
  cast_vote: 'secret ballot',
  // The server's own bookkeeping, run by the service role (no person acts; auth.uid() is null).
  claim_outbox: 'server: the sender takes due messages; the outbox row keeps attempts and times',
  complete_outbox: 'server: the sender reports an outcome; the outbox row keeps it',
  enforce_rate_limits: 'server: counts requests; auditing each request would flood the log',
  settle_comment_check: 'server: content-check outcome; the comment row keeps status and provider',
  settle_topic_check: 'server: content-check outcome; the topic row keeps status and provider',
  settle_file_check: 'server: media-check outcome; the file row keeps status and provider',
  set_file_check_trace: 'server: remembers the id WeChat will answer the media check with',
  complete_upload: 'server: records what it found in the uploaded bytes (the upload itself is audited by create_upload)',
  expire_orphan_files: 'server: retention job removing uploads nobody attached within a day (never part of a record)',
  settle_question_check: 'server: content-check outcome; the question row keeps status and provider',
  upsert_wechat_profile: "server: sign-in; profiles.last_login_at records it, no one else's data changes",
  dev_login_profile: 'server: demo sign-in, enabled only locally',
  // A person's own receipts and message credits: nothing anyone else sees or relies on changes.
  record_notice_read: 'own read receipt; notice_reads is itself the record (who, when)',
  subscribe_notices: 'own WeChat subscribe-message credit',
  subscribe_whistle: 'own WeChat subscribe-message credit',
  subscribe_hall: 'own WeChat subscribe-message credit',
  subscribe_grid: 'own WeChat subscribe-message credit',
  get_street_dashboard: 'reading figures; writes only the kept copy of counts computed from the records',
  get_community_dashboard: 'reading figures; writes only the kept copy of counts computed from the records',
};

describe('audit coverage', () => {
  it('has every volatile public function audit, or be on the list with a reason', async () => {
    const fns = (
      await t.sql<{ schema: string; name: string; src: string }>(`
      select n.nspname as schema, p.proname as name, p.prosrc as src
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname in ('public', 'app') and p.prokind = 'f' and p.provolatile = 'v'
         and p.prorettype <> 'trigger'::regtype`)
    ).rows;
    const auditingHelpers = fns.filter((f) => f.schema === 'app' && f.src.includes('app.audit(')).map((f) => f.name);
    expect(auditingHelpers).toEqual(expect.arrayContaining(['record_step', 'publish_affairs']));
    const audits = (src: string) => src.includes('app.audit(') || auditingHelpers.some((h) => src.includes(`app.${h}(`));
    const silent = fns
      .filter((f) => f.schema === 'public' && !audits(f.src))
      .map((f) => f.name)
      .sort();
    expect(silent).toEqual(Object.keys(notAudited).sort());
  });

  it('leaves a secret ballot unlinkable: casting a vote writes no audit row', async () => {
    const poll = await t.as('committee')('create_poll', {
      p_community_id: chunhui,
      p_title: '楼道灯改声控吗',
      p_description: '',
      p_options: ['改', '不改'],
      p_multiple: false,
      p_electorate: 'residents',
      p_live_results: false,
      p_opens_at: null,
      p_closes_at: new Date(Date.now() + 86400_000).toISOString(),
    });
    const before = (await t.sql(`select count(*)::int n from app.audit_log`)).rows[0].n;
    await t.as('resident')('cast_vote', { p_poll_id: poll.id, p_choices: [1], p_idempotency_key: randomUUID() });
    expect((await t.sql(`select count(*)::int n from app.audit_log`)).rows[0].n).toBe(before);
    expect((await t.sql(`select count(*)::int n from app.audit_log where entity_id = $1 and actor_id = $2`, [poll.id, persona.resident])).rows[0].n).toBe(0);
  });
});

// ---------------------------------------------------------------- points

const ledger = 'select profile_id, community_id, balance from app.point_accounts order by profile_id, community_id';

describe('point deductions', () => {
  const requests = 'select id, community_id, profile_id, status from app.point_deduction_requests order by created_at, id';

  it('are filed only against a person of the community, by its committee', async () => {
    // 柳塘村's villager, from 春晖社区's committee: before the fix this was filed, and showed their masked name.
    await refusedUnchanged(
      () =>
        t.as('committee')('request_point_deduction', {
          p_profile_id: persona.villager,
          p_community_id: chunhui,
          p_points: 5,
          p_reason: '跨社区扣分',
        }),
      'volunteer.resident_required',
      requests,
    );
    await refusedUnchanged(
      () =>
        t.as('village_committee')('request_point_deduction', {
          p_profile_id: persona.resident2,
          p_community_id: liutang,
          p_points: 5,
          p_reason: '跨社区扣分',
        }),
      'volunteer.resident_required',
      requests,
    );
    // A committee member of the other community, and the wrong role in the right one.
    await refusedUnchanged(
      () =>
        t.as('village_committee')('request_point_deduction', {
          p_profile_id: persona.resident2,
          p_community_id: chunhui,
          p_points: 5,
          p_reason: '不是本村的',
        }),
      'core.forbidden',
      requests,
    );
    await refusedUnchanged(
      () =>
        t.as('clerk')('request_point_deduction', {
          p_profile_id: persona.resident2,
          p_community_id: chunhui,
          p_points: 5,
          p_reason: '窗口人员',
        }),
      'core.forbidden',
      requests,
    );
    const names = (await t.as('committee')('list_point_deductions', { p_community_id: chunhui, p_limit: 100 })).items.map((r: { name: string }) => r.name);
    expect(names).not.toContain('赵*仓');

    const r = await t.as('committee')('request_point_deduction', {
      p_profile_id: persona.resident2,
      p_community_id: chunhui,
      p_points: 5,
      p_reason: '报名后无故缺席',
    });
    expect(r.status).toBe('pending');
    expect(await lastAudit('points.deduction_request')).toMatchObject({ actor_id: persona.committee, on_behalf_of: persona.resident2, entity_id: r.id });
  });

  it('are decided only by a second committee member of that community; outsiders are told it does not exist', async () => {
    const second = await secondCommittee();
    const r = await t.as('committee')('request_point_deduction', {
      p_profile_id: persona.resident2,
      p_community_id: chunhui,
      p_points: 3,
      p_reason: '占用公共通道',
    });
    const decide = (who: string) => () => t.as(who)('decide_point_deduction', { p_request_id: r.id, p_approve: true });
    await refusedUnchanged(decide('village_committee'), 'points.deduction_not_found', requests, ledger);
    await refusedUnchanged(decide('villager'), 'points.deduction_not_found', requests, ledger);
    await refusedUnchanged(
      () => t.as('village_committee')('decide_point_deduction', { p_request_id: randomUUID(), p_approve: true }),
      'points.deduction_not_found',
    );
    await refusedUnchanged(decide('resident'), 'core.forbidden', requests, ledger); // a member: the convention is 403
    await refusedUnchanged(decide('supervisor'), 'core.forbidden', requests, ledger);
    const ok = await t.as(second)('decide_point_deduction', { p_request_id: r.id, p_approve: false });
    expect(ok.status).toBe('rejected');
  });

  it('filed against an outsider before the fix cannot be approved', async () => {
    const second = await secondCommittee();
    const legacy = (
      await t.sql(
        `insert into app.point_deduction_requests (community_id, profile_id, points, reason, requested_by)
                                 values ($1, $2, 1, '修复前提交的跨社区扣分', $3) returning id`,
        [chunhui, persona.villager, persona.committee],
      )
    ).rows[0].id;
    await refusedUnchanged(
      () => t.as(second)('decide_point_deduction', { p_request_id: legacy, p_approve: true }),
      'volunteer.resident_required',
      requests,
      ledger,
      'select count(*)::int from app.point_entries',
    );
    expect((await t.as(second)('decide_point_deduction', { p_request_id: legacy, p_approve: false })).status).toBe('rejected');
  });
});

describe('points objections', () => {
  it("are resolved by the committee of the entry's community; outsiders are told they do not exist", async () => {
    await t.sql(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month)
                 values ($1, $2, 6, 'award', '九月帮忙搬家', 'sec-sept-award', '2026-09-01')`,
      [persona.resident2, chunhui],
    );
    await t.sql(`update app.point_accounts set balance = balance + 6 where profile_id = $1 and community_id = $2`, [persona.resident2, chunhui]);
    await t.sql(
      `insert into app.point_publications (community_id, month, objection_days, published_by, window_closes_at)
                 values ($1, '2026-09-01', 7, $2, now() + interval '7 days')`,
      [chunhui, persona.committee],
    );
    const entry = (await t.sql(`select id from app.point_entries where idempotency_key = 'sec-sept-award'`)).rows[0].id;
    const o = await t.as('resident')('object_to_points', { p_entry_id: entry, p_reason: '那天搬家的是别人，奖励不实' });
    const state = ['select id, status, resolution from app.point_objections order by id', ledger] as Query[];
    const resolve = (who: string) => () => t.as(who)('resolve_points_objection', { p_objection_id: o.id, p_uphold: true, p_resolution: '成立' });
    await refusedUnchanged(resolve('village_committee'), 'points.objection_not_found', ...state);
    await refusedUnchanged(resolve('villager'), 'points.objection_not_found', ...state);
    await refusedUnchanged(resolve('resident'), 'core.forbidden', ...state); // the objector
    await refusedUnchanged(resolve('clerk'), 'core.forbidden', ...state);
    const ok = await t.as('committee')('resolve_points_objection', { p_objection_id: o.id, p_uphold: false, p_resolution: '经核实属实，维持奖励' });
    expect(ok.status).toBe('dismissed');
    expect(await lastAudit('points.objection_dismissed')).toMatchObject({ actor_id: persona.committee, on_behalf_of: persona.resident2 });
  });
});

// ---------------------------------------------------------------- volunteers

describe('team join decisions', () => {
  const members = 'select team_id, profile_id, status, decided_by from app.team_members order by team_id, profile_id';

  it("are made by the leader or committee of the team's community; outsiders are told the team does not exist", async () => {
    const decide =
      (who: string, approve = true) =>
      () =>
        t.as(who)('decide_team_join', { p_team_id: chunhuiTeam, p_profile_id: persona.resident2, p_approve: approve, p_reason: approve ? null : '名额已满' });
    await refusedUnchanged(decide('village_committee'), 'volunteer.team_not_found', members);
    await refusedUnchanged(decide('villager'), 'volunteer.team_not_found', members);
    await refusedUnchanged(decide('clerk'), 'core.forbidden', members);
    const ok = await t.as('committee')('decide_team_join', { p_team_id: chunhuiTeam, p_profile_id: persona.resident2, p_approve: true });
    expect(ok.status).toBe('approved');
  });

  it('of a team without a leader are not open to everyone', async () => {
    // leader_id is null: `leader_id = uid` was null, `not (null or false)` null, and the IF let anyone through.
    await t.sql(`insert into app.team_members (team_id, profile_id) values ($1, $2)`, [liutangTeam, liutangResident]);
    const decide = (who: string) => () => t.as(who)('decide_team_join', { p_team_id: liutangTeam, p_profile_id: liutangResident, p_approve: true });
    await refusedUnchanged(decide('resident'), 'volunteer.team_not_found', members);
    await refusedUnchanged(decide('committee'), 'volunteer.team_not_found', members);
    await refusedUnchanged(decide('villager'), 'core.forbidden', members);
    const ok = await t.as('village_committee')('decide_team_join', { p_team_id: liutangTeam, p_profile_id: liutangResident, p_approve: true });
    expect(ok.status).toBe('approved');
    expect(await lastAudit('team.join_approved')).toMatchObject({ actor_id: persona.village_committee, on_behalf_of: liutangResident, community_id: liutang });
  });
});

describe('attendance corrections', () => {
  const state = [
    `select id, minutes, points, correction_reason from app.activity_signups where id = '${confirmedSignup}'`,
    'select count(*)::int as entries from app.point_entries',
    ledger,
  ];

  it('are made by the organiser or committee; outsiders are told the sign-up does not exist', async () => {
    const correct = (who: string) => () => t.as(who)('correct_attendance', { p_signup_id: confirmedSignup, p_minutes: 170, p_reason: '漏记签退' });
    await refusedUnchanged(correct('village_committee'), 'volunteer.signup_not_found', ...state);
    await refusedUnchanged(correct('villager'), 'volunteer.signup_not_found', ...state);
    await refusedUnchanged(
      () => t.as('committee')('correct_attendance', { p_signup_id: randomUUID(), p_minutes: 1, p_reason: '不存在' }),
      'volunteer.signup_not_found',
    );
    await refusedUnchanged(correct('resident'), 'core.forbidden', ...state);
    await refusedUnchanged(correct('clerk'), 'core.forbidden', ...state);
    const a = await t.as('committee')('correct_attendance', { p_signup_id: confirmedSignup, p_minutes: 168, p_reason: '漏记签退，负责人作证' });
    expect(a.signups.find((s: { id: string }) => s.id === confirmedSignup)).toMatchObject({ minutes: 168, points: 28 });
    expect(await lastAudit('activity.correct')).toMatchObject({ actor_id: persona.committee, on_behalf_of: persona.resident2 });
  });
});

describe('吹哨 calls', () => {
  const calls = 'select id, community_id, team_id from app.whistle_calls order by created_at, id';
  const blow = (who: string, communityId: string, teamId: string | null) => () =>
    t.as(who)('blow_whistle', {
      p_community_id: communityId,
      p_title: '路口积水需要帮忙',
      p_detail: '',
      p_place: '春晖路口',
      p_team_id: teamId,
    });

  it('name only a team of their own community', async () => {
    await refusedUnchanged(blow('committee', chunhui, liutangTeam), 'volunteer.team_not_found', calls, 'select count(*)::int from app.outbox');
    await refusedUnchanged(blow('village_committee', liutang, chunhuiTeam), 'volunteer.team_not_found', calls);
    await refusedUnchanged(blow('village_committee', chunhui, chunhuiTeam), 'core.forbidden', calls);
    await refusedUnchanged(blow('resident', chunhui, chunhuiTeam), 'core.forbidden', calls);
    const call = await blow('committee', chunhui, chunhuiTeam)();
    expect((await t.sql(`select team_id from app.whistle_calls where id = $1`, [call.id])).rows[0].team_id).toBe(chunhuiTeam);
  });
});

describe('check-in', () => {
  it('is recorded in the audit log (presence becomes points)', async () => {
    const starts = new Date(Date.now() + 3 * 3600_000);
    const a = await t.as('committee')('create_activity', {
      p_community_id: chunhui,
      p_title: '签到审计测试',
      p_description: '',
      p_place: '社区门口',
      p_starts_at: starts.toISOString(),
      p_ends_at: new Date(starts.getTime() + 2 * 3600_000).toISOString(),
      p_capacity: 5,
      p_points_per_hour: 10,
      p_cancel_hours: 1,
    });
    await t.as('resident')('sign_up_activity', { p_activity_id: a.id, p_idempotency_key: randomUUID() });
    await t.sql(
      `update app.activities set cancel_until = now() - interval '2 hours', starts_at = now() - interval '10 minutes',
                 ends_at = now() + interval '110 minutes' where id = $1`,
      [a.id],
    );
    const { code } = await t.as('committee')('get_checkin_code', { p_activity_id: a.id });
    const signups = ['select id, checked_in_at, checked_out_at from app.activity_signups order by id'] as Query[];
    await refusedUnchanged(
      () => t.as('villager')('check_in_activity', { p_activity_id: a.id, p_code: code, p_direction: 'in' }),
      'volunteer.activity_not_found',
      ...signups,
    );
    await refusedUnchanged(
      () => t.as('resident2')('check_in_activity', { p_activity_id: a.id, p_code: code, p_direction: 'in' }),
      'volunteer.not_signed_up',
      ...signups,
    );
    await t.as('resident')('check_in_activity', { p_activity_id: a.id, p_code: code, p_direction: 'in' });
    const signup = (await t.sql(`select id from app.activity_signups where activity_id = $1 and profile_id = $2`, [a.id, persona.resident])).rows[0].id;
    expect(await lastAudit('activity.check_in')).toMatchObject({
      actor_id: persona.resident,
      community_id: chunhui,
      entity: 'activity_signup',
      entity_id: signup,
    });
  });
});

// ---------------------------------------------------------------- notices

describe('notice drafts', () => {
  it("are limited only to grids of the notice's own community", async () => {
    const n = await t.as('committee')('create_notice', {
      p_community_id: chunhui,
      p_category: 'routine',
      p_content: { title: '楼道清洁安排', body: '本周六上午清洁楼道。' },
    });
    const notice = [
      [`select audience_grid_ids, pinned from app.notices where id = $1`, [n.id]],
      [`select version, title, status from app.notice_versions where notice_id = $1`, [n.id]],
    ] as Query[];
    const edit = (who: string, grids: string[] | null) => () =>
      t.as(who)('update_notice_draft', {
        p_notice_id: n.id,
        p_content: { title: '楼道清洁安排（改）', body: '改到周日上午。' },
        p_audience_grid_ids: grids,
      });
    await refusedUnchanged(edit('committee', [liutangGrid]), 'notices.grid_not_found', ...notice);
    await refusedUnchanged(edit('committee', [grid1, liutangGrid]), 'notices.grid_not_found', ...notice);
    await refusedUnchanged(edit('village_committee', [grid1]), 'notices.not_found', ...notice);
    await refusedUnchanged(edit('supervisor', [grid1]), 'core.forbidden', ...notice);
    const ok = await edit('committee', [grid1])();
    expect(ok.audienceGridIds).toEqual([grid1]);
    expect(ok.version.title).toBe('楼道清洁安排（改）');
  });
});

// ---------------------------------------------------------------- service hall

describe('appointment slots', () => {
  const slots = 'select id, item_id, starts_at, capacity from app.appointment_slots order by id';
  const day = async () => (await t.sql(`select app.add_working_days($1, app.today(), 12)::text d`, [chunhui])).rows[0].d as string;

  it("are opened by the item's clerk or committee, audited; outsiders are told the item does not exist", async () => {
    const d = await day();
    const create =
      (who: string, item = disability) =>
      () =>
        t.as(who)('create_appointment_slots', { p_item_id: item, p_day: d, p_times: ['14:00', '14:30'], p_minutes: 30, p_capacity: 3 });
    await refusedUnchanged(create('village_committee'), 'hall.item_not_found', slots);
    await refusedUnchanged(create('villager'), 'hall.item_not_found', slots);
    await refusedUnchanged(create('resident'), 'core.forbidden', slots);
    await refusedUnchanged(create('supervisor'), 'core.forbidden', slots);
    expect((await create('clerk')()).created).toBe(2);
    expect(await lastAudit('appointment.slots_create')).toMatchObject({
      actor_id: persona.clerk,
      community_id: chunhui,
      entity: 'service_item',
      entity_id: disability,
      detail: { day: d, times: ['14:00', '14:30'], minutes: 30, capacity: 3, created: 2 },
    });
  });

  it('bookings: cancelling is audited; arrival is marked by the clerk of that community only', async () => {
    const slot = (
      await t.sql(
        `insert into app.appointment_slots (community_id, item_id, starts_at, ends_at, capacity)
                               values ($1, $2, now() + interval '3 days', now() + interval '3 days 30 minutes', 3) returning id`,
        [chunhui, disability],
      )
    ).rows[0].id;
    const mine = await t.as('resident')('book_appointment', { p_slot_id: slot, p_idempotency_key: randomUUID() });
    const booking = [
      'select id, status, arrived_at, marked_by from app.appointments order by id',
      'select id, booked from app.appointment_slots order by id',
    ] as Query[];
    await refusedUnchanged(() => t.as('resident2')('cancel_appointment', { p_appointment_id: mine.id }), 'hall.appointment_not_found', ...booking);
    expect((await t.as('resident')('cancel_appointment', { p_appointment_id: mine.id })).status).toBe('cancelled');
    expect(await lastAudit('appointment.cancel')).toMatchObject({ actor_id: persona.resident, community_id: chunhui, entity_id: mine.id });

    const b = await t.as('resident2')('book_appointment', { p_slot_id: slot, p_idempotency_key: randomUUID() });
    const arrive =
      (who: string, id = b.id) =>
      () =>
        t.as(who)('mark_arrival', { p_appointment_id: id });
    await refusedUnchanged(arrive('village_committee'), 'hall.appointment_not_found', ...booking);
    await refusedUnchanged(arrive('villager'), 'hall.appointment_not_found', ...booking);
    await refusedUnchanged(arrive('clerk', randomUUID()), 'hall.appointment_not_found', ...booking);
    await refusedUnchanged(arrive('committee'), 'core.forbidden', ...booking);
    await refusedUnchanged(arrive('resident2'), 'core.forbidden', ...booking);
    expect((await arrive('clerk')()).status).toBe('arrived');
    expect(await lastAudit('appointment.arrive')).toMatchObject({ actor_id: persona.clerk, on_behalf_of: persona.resident2 });
  });
});

describe('帮办 assignments', () => {
  it("go to a helper of the request's community, by its clerk; outsiders are told the request does not exist", async () => {
    const req = await t.as('resident')('request_proxy', { p_item_id: residence, p_note: '腿脚不便' });
    const state = [
      [`select status, helper_id, assigned_by from app.proxy_requests where id = $1`, [req.id]],
      'select count(*)::int from app.notifications',
    ] as Query[];
    const assign = (who: string, helper: string) => () => t.as(who)('assign_proxy', { p_request_id: req.id, p_helper_id: helper });
    await refusedUnchanged(assign('village_committee', persona.grid_worker), 'hall.proxy_not_found', ...state);
    await refusedUnchanged(assign('villager', persona.grid_worker), 'hall.proxy_not_found', ...state);
    await refusedUnchanged(assign('committee', persona.grid_worker), 'core.forbidden', ...state);
    await refusedUnchanged(assign('resident', persona.grid_worker), 'core.forbidden', ...state); // the requester
    // A person of the other community as helper.
    await refusedUnchanged(assign('clerk', persona.villager), 'hall.helper_not_eligible', ...state);
    await refusedUnchanged(assign('clerk', persona.village_committee), 'hall.helper_not_eligible', ...state);
    expect((await assign('clerk', persona.grid_worker)()).status).toBe('assigned');
    expect(await lastAudit('proxy.assign')).toMatchObject({ actor_id: persona.clerk, on_behalf_of: persona.resident });
  });
});

describe('差评 follow-ups', () => {
  it("are closed by the clerk of the case's community, for the applicant; outsiders are told they do not exist", async () => {
    const a = await t.as('resident')('submit_application', { p_item_id: residence, p_form_data: goodForm, p_attachments: [], p_idempotency_key: randomUUID() });
    for (const to of ['accepted', 'processing', 'completed']) {
      await t.as('clerk')('advance_application', { p_application_id: a.id, p_to: to, p_note: '' });
    }
    await t.as('resident')('rate_application', { p_application_id: a.id, p_rating: 1, p_comment: '跑了三趟' });
    const r = (await t.sql(`select id from app.rectifications where application_id = $1`, [a.id])).rows[0].id;
    const state = [
      [`select status, closed_note, closed_by from app.rectifications where id = $1`, [r]],
      'select count(*)::int from app.notifications',
    ] as Query[];
    const close =
      (who: string, id = r) =>
      () =>
        t.as(who)('close_rectification', { p_rectification_id: id, p_note: '窗口已改为一次办结' });
    await refusedUnchanged(close('village_committee'), 'hall.rectification_not_found', ...state);
    await refusedUnchanged(close('villager'), 'hall.rectification_not_found', ...state);
    await refusedUnchanged(close('clerk', randomUUID()), 'hall.rectification_not_found', ...state);
    await refusedUnchanged(close('committee'), 'core.forbidden', ...state);
    await refusedUnchanged(close('resident'), 'core.forbidden', ...state); // the applicant
    expect((await close('clerk')()).status).toBe('closed');
    expect(await lastAudit('rectification.close')).toMatchObject({ actor_id: persona.clerk, on_behalf_of: persona.resident, entity_id: r });
  });
});

// ---------------------------------------------------------------- consultation

describe('topic signatures and comments', () => {
  let topic = '';
  beforeAll(async () => {
    topic = (
      await t.as('resident')('raise_topic', {
        p_community_id: chunhui,
        p_title: '小区东门加装非机动车棚',
        p_description: '东门电动车乱停，下雨天淋坏电瓶，建议加装车棚和充电桩。',
      })
    ).id;
    await t.service('settle_topic_check', { p_topic_id: topic, p_passed: true, p_provider: 'test' });
  });

  it("co-signing is audited once, and open only to residents of the topic's community", async () => {
    const cosigns = [[`select profile_id from app.topic_cosigns where topic_id = $1 order by profile_id`, [topic]]] as Query[];
    await refusedUnchanged(() => t.as('villager')('cosign_topic', { p_topic_id: topic }), 'affairs.topic_not_found', ...cosigns);
    await refusedUnchanged(() => t.as('village_committee')('cosign_topic', { p_topic_id: topic }), 'affairs.topic_not_found', ...cosigns);
    await refusedUnchanged(() => t.as('clerk')('cosign_topic', { p_topic_id: topic }), 'affairs.resident_required', ...cosigns);
    await t.as('resident2')('cosign_topic', { p_topic_id: topic });
    expect(await lastAudit('topic.cosign')).toMatchObject({ actor_id: persona.resident2, community_id: chunhui, entity_id: topic, detail: { cosigns: 2 } });
    const n = (await t.sql(`select count(*)::int n from app.audit_log where action = 'topic.cosign'`)).rows[0].n;
    await t.as('resident2')('cosign_topic', { p_topic_id: topic }); // signing again changes nothing
    expect((await t.sql(`select count(*)::int n from app.audit_log where action = 'topic.cosign'`)).rows[0].n).toBe(n);
  });

  it("comments are audited; only the committee of the topic's community hides one", async () => {
    const comments = 'select id, hidden_reason, hidden_by from app.topic_comments order by id';
    await refusedUnchanged(() => t.as('villager')('comment_on_topic', { p_topic_id: topic, p_body: '我们村也要' }), 'affairs.topic_not_found', comments);
    const c = await t.as('resident2')('comment_on_topic', { p_topic_id: topic, p_body: '同意，最好带充电桩' });
    expect(await lastAudit('topic.comment')).toMatchObject({ actor_id: persona.resident2, entity: 'topic_comment', entity_id: c.id, detail: { topic } });
    const hide =
      (who: string, id = c.id) =>
      () =>
        t.as(who)('hide_topic_comment', { p_comment_id: id, p_reason: '与议题无关' });
    await refusedUnchanged(hide('village_committee'), 'affairs.comment_not_found', comments);
    await refusedUnchanged(hide('villager'), 'affairs.comment_not_found', comments);
    await refusedUnchanged(hide('committee', randomUUID()), 'affairs.comment_not_found', comments);
    await refusedUnchanged(hide('resident'), 'core.forbidden', comments);
    await refusedUnchanged(hide('supervisor'), 'core.forbidden', comments);
    expect((await hide('committee')()).hidden).toBe(true);
    expect(await lastAudit('topic.comment.hide')).toMatchObject({ actor_id: persona.committee, on_behalf_of: persona.resident2 });
  });
});
