import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '../../api/_contracts/time.js';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import { community, persona } from '../../test/personas.js';

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const chunhui = community.chunhui;
const grid2 = '30000000-0000-4000-8000-000000000002';
const household3 = '50000000-0000-4000-8000-000000000004'; // 3号楼, 第二网格

/** Verified residents of 春晖社区 made for a test (3号楼 households). */
async function residents(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await t.sql(`insert into app.profiles (id, display_name) select unnest($1::uuid[]), '测试居民'`, [ids]);
  await t.sql(`insert into app.memberships (profile_id, community_id, role, household_id) select unnest($1::uuid[]), $2, 'resident', $3`, [
    ids,
    chunhui,
    household3,
  ]);
  return ids;
}

async function activity(extra: Record<string, unknown> = {}) {
  const starts = new Date(Date.now() + 3 * 3600_000);
  const ends = new Date(starts.getTime() + 2 * 3600_000);
  const a = await t.as('committee')('create_activity', {
    p_community_id: chunhui,
    p_title: '测试活动',
    p_description: '',
    p_place: '社区门口',
    p_starts_at: starts.toISOString(),
    p_ends_at: ends.toISOString(),
    p_capacity: 2,
    p_points_per_hour: 10,
    p_cancel_hours: 1,
    ...extra,
  });
  return a.id as string;
}

/** Moves an activity in time: it started `startedMinutesAgo` minutes ago and lasts `minutes`. */
async function shift(id: string, startedMinutesAgo: number, minutes = 120) {
  await t.sql(
    `update app.activities set cancel_until = now() - make_interval(mins => $2 + 60), starts_at = now() - make_interval(mins => $2),
               ends_at = now() - make_interval(mins => $2) + make_interval(mins => $3) where id = $1`,
    [id, startedMinutesAgo, minutes],
  );
}
const signUp = (who: string, id: string, key: string = randomUUID()) => t.as(who)('sign_up_activity', { p_activity_id: id, p_idempotency_key: key });
const sumOfEntries = async (who: string) =>
  Number((await t.sql(`select coalesce(sum(delta), 0) s from app.point_entries where profile_id = $1 and community_id = $2`, [who, chunhui])).rows[0].s);
const balance = async (who: string) =>
  Number((await t.sql(`select coalesce((select balance from app.point_accounts where profile_id = $1 and community_id = $2), 0) b`, [who, chunhui])).rows[0].b);

describe('sign-ups', () => {
  it('never exceed capacity under 30 concurrent sign-ups on real connections', async () => {
    const id = await activity({ p_capacity: 5, p_waitlist: false });
    const people = await residents(30);
    const results = await Promise.allSettled(people.map((p) => signUp(p, id)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const full = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'volunteer.activity_full');
    expect(ok).toHaveLength(5);
    expect(full).toHaveLength(25);
    const row = await t.sql(
      `select seats_taken, (select count(*)::int from app.activity_signups where activity_id = $1 and status = 'confirmed') confirmed
                              from app.activities where id = $1`,
      [id],
    );
    expect(row.rows[0]).toEqual({ seats_taken: 5, confirmed: 5 });
  });

  it('put latecomers on a waitlist and promote strictly in order when someone cancels', async () => {
    const id = await activity({ p_capacity: 2 });
    const [a, b, c, d] = await residents(4);
    expect((await signUp(a!, id)).status).toBe('confirmed');
    expect((await signUp(b!, id)).status).toBe('confirmed');
    const cw = await signUp(c!, id);
    expect(cw).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await signUp(d!, id)).waitlistPosition).toBe(2);
    const r = await t.as(a!)('cancel_signup', { p_activity_id: id });
    expect(r.promotedSomeone).toBe(true);
    const statuses = await t.sql(`select profile_id, status from app.activity_signups where activity_id = $1`, [id]);
    const by = Object.fromEntries(statuses.rows.map((x) => [x.profile_id, x.status]));
    expect(by).toEqual({ [a!]: 'cancelled', [b!]: 'confirmed', [c!]: 'confirmed', [d!]: 'waitlisted' });
    const seats = await t.sql(`select seats_taken from app.activities where id = $1`, [id]);
    expect(seats.rows[0].seats_taken).toBe(2);
  });

  it('return the first answer to a retry with the same Idempotency-Key', async () => {
    const id = await activity();
    const [p] = await residents(1);
    const first = await signUp(p!, id, 'same-key-123');
    const again = await signUp(p!, id, 'same-key-123');
    expect(again.signupId).toBe(first.signupId);
    await expectRefused(signUp(p!, id, 'other-key-456'), 'volunteer.already_signed_up');
  });

  it('are refused after the start, after the cut-off for cancelling, and for non-residents', async () => {
    const id = await activity();
    const [p, q] = await residents(2);
    await signUp(p!, id);
    await t.sql(`update app.activities set cancel_until = now() - interval '1 minute' where id = $1`, [id]);
    await expectRefused(t.as(p!)('cancel_signup', { p_activity_id: id }), 'volunteer.cancel_closed');
    await shift(id, 5);
    await expectRefused(signUp(q!, id), 'volunteer.activity_started');
    const later = await activity();
    await expectRefused(signUp('clerk', later), 'volunteer.resident_required');
  });

  it('never show the check-in secret to anyone through the API role', async () => {
    await expect(t.sqlAs('resident', 'select code_secret from app.activities')).rejects.toThrow(/permission denied/);
    await expect(t.sqlAs('committee', 'select code_secret from app.activities')).rejects.toThrow(/permission denied/);
  });

  it('hide another community’s and another grid’s activities', async () => {
    const id = await activity();
    await expectRefused(signUp('villager', id), 'volunteer.activity_not_found');
    await expectRefused(t.as('villager')('get_activity', { p_activity_id: id }), 'volunteer.activity_not_found');
    const gridOnly = await activity({ p_grid_id: grid2 });
    await expectRefused(signUp('resident', gridOnly), 'volunteer.activity_not_found'); // 1号楼 is 第一网格
    expect((await signUp('volunteer', gridOnly)).status).toBe('confirmed'); // 3号楼 is 第二网格
  });

  it('can only be created by committee or a team leader', async () => {
    await expectRefused(
      t.as('resident')('create_activity', {
        p_community_id: chunhui,
        p_title: '我想办',
        p_description: '',
        p_place: '门口',
        p_starts_at: new Date(Date.now() + 3600_000).toISOString(),
        p_ends_at: new Date(Date.now() + 7200_000).toISOString(),
        p_capacity: 2,
        p_points_per_hour: 10,
      }),
      'core.forbidden',
    );
    await expectRefused(
      t.as('village_committee')('create_activity', {
        p_community_id: chunhui,
        p_title: '越界',
        p_description: '',
        p_place: '门口',
        p_starts_at: new Date(Date.now() + 3600_000).toISOString(),
        p_ends_at: new Date(Date.now() + 7200_000).toISOString(),
        p_capacity: 2,
        p_points_per_hour: 10,
      }),
      'core.forbidden',
    );
    const led = await t.as('volunteer')('create_activity', {
      p_community_id: chunhui,
      p_title: '志愿者服务队活动',
      p_description: '',
      p_place: '门口',
      p_starts_at: new Date(Date.now() + 3600_000).toISOString(),
      p_ends_at: new Date(Date.now() + 7200_000).toISOString(),
      p_capacity: 2,
      p_points_per_hour: 10,
      p_team_id: 'b1000000-0000-4000-8000-000000000002',
    });
    expect(led.canOrganize).toBe(true);
  });
});

describe('check-in, hours and points', () => {
  let id = '';
  let p = '';
  let q = '';
  it('accept the current code and refuse stale, foreign and wrong ones', async () => {
    id = await activity({ p_capacity: 3, p_points_per_hour: 10, p_min_presence_minutes: 30 });
    [p, q] = (await residents(2)) as [string, string];
    await signUp(p, id);
    await signUp(q, id);
    await shift(id, 100, 120); // started 100 minutes ago, ends in 20
    await expectRefused(t.as(p)('get_checkin_code', { p_activity_id: id }), 'core.forbidden');
    const { code } = await t.as('committee')('get_checkin_code', { p_activity_id: id });
    expect(code).toMatch(/^\d{6}$/);
    const stale = (await t.sql(`select app.checkin_code(code_secret, app.checkin_window() - 2) c from app.activities where id = $1`, [id])).rows[0].c;
    const other = await activity();
    const foreign = (await t.sql(`select app.checkin_code(code_secret, app.checkin_window()) c from app.activities where id = $1`, [other])).rows[0].c;
    for (const bad of [stale, foreign, '000000'].filter((c) => c !== code)) {
      await expectRefused(t.as(p)('check_in_activity', { p_activity_id: id, p_code: bad, p_direction: 'in' }), 'volunteer.code_invalid');
    }
    await expectRefused(t.as(p)('check_in_activity', { p_activity_id: id, p_code: code, p_direction: 'out' }), 'volunteer.not_checked_in');
    await expectRefused(t.as('resident2')('check_in_activity', { p_activity_id: id, p_code: code, p_direction: 'in' }), 'volunteer.not_signed_up');
    const r = await t.as(p)('check_in_activity', { p_activity_id: id, p_code: code, p_direction: 'in' });
    expect(r.checkedInAt).not.toBeNull();
  });

  it('credit floor(minutes × points per hour ÷ 60) once, and nothing below the minimum presence', async () => {
    // p was there 95 minutes, q only 20.
    await t.sql(
      `update app.activity_signups set checked_in_at = now() - interval '95 minutes', checked_out_at = now() where activity_id = $1 and profile_id = $2`,
      [id, p],
    );
    await t.sql(
      `update app.activity_signups set checked_in_at = now() - interval '20 minutes', checked_out_at = now() where activity_id = $1 and profile_id = $2`,
      [id, q],
    );
    await expectRefused(t.as(p)('confirm_activity', { p_activity_id: id }), 'core.forbidden');
    const confirmed = await t.as('committee')('confirm_activity', { p_activity_id: id });
    const mine = confirmed.signups.find((s: { minutes: number }) => s.minutes >= 94);
    expect(mine.points).toBe(Math.floor((mine.minutes * 10) / 60));
    expect(await sumOfEntries(p)).toBe(mine.points);
    expect(await sumOfEntries(q)).toBe(0);
    // A retried confirmation (twice, concurrently) credits nothing more.
    await Promise.all([t.as('committee')('confirm_activity', { p_activity_id: id }), t.as('committee')('confirm_activity', { p_activity_id: id })]);
    expect(await sumOfEntries(p)).toBe(mine.points);
    expect(await balance(p)).toBe(await sumOfEntries(p));
  });

  it('let the organiser correct minutes with a reason, as a new entry, once', async () => {
    const s = (await t.sql(`select id from app.activity_signups where activity_id = $1 and profile_id = $2`, [id, q])).rows[0].id;
    await expectRefused(t.as('committee')('correct_attendance', { p_signup_id: s, p_minutes: 60, p_reason: '' }), 'core.reason_required');
    await expectRefused(t.as('resident')('correct_attendance', { p_signup_id: s, p_minutes: 60, p_reason: '忘了签退' }), 'core.forbidden');
    await t.as('committee')('correct_attendance', { p_signup_id: s, p_minutes: 60, p_reason: '忘了签退，现场负责人作证' });
    await t.as('committee')('correct_attendance', { p_signup_id: s, p_minutes: 60, p_reason: '忘了签退，现场负责人作证' });
    const entries = await t.sql(`select delta, kind from app.point_entries where profile_id = $1`, [q]);
    expect(entries.rows).toEqual([{ delta: 10, kind: 'correction' }]);
    expect(await balance(q)).toBe(10);
  });
});

describe('the ledger', () => {
  it('is append-only and the balance can never go below zero', async () => {
    await expect(t.sql(`update app.point_entries set delta = 999`)).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.point_entries`)).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`update app.point_accounts set balance = -1 where profile_id = $1`, [persona.volunteer])).rejects.toThrow(/check/);
  });

  it('keeps earned points pending until the month’s objection window closes', async () => {
    // Seeds: October (published, window closed) 80 points, November (not yet published) 20 points.
    const mine = await t.as('volunteer')('get_my_points', {});
    expect(mine).toMatchObject({ communityId: chunhui, balance: 100, available: 80, pending: 20 });
    await expect(t.sql(`select app.spend_points($1, $2, 81, 'redemption', '测试', null, 'spend-81')`, [persona.volunteer, chunhui])).rejects.toThrow(
      /points.insufficient/,
    );
    await t.sql(`select app.spend_points($1, $2, 80, 'redemption', '测试', null, 'spend-80')`, [persona.volunteer, chunhui]);
    expect(await t.as('volunteer')('get_my_points', {})).toMatchObject({ balance: 20, available: 0, pending: 20 });
    expect(await balance(persona.volunteer)).toBe(await sumOfEntries(persona.volunteer));
  });

  it('needs a second committee member for a deduction', async () => {
    const second = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name, real_name) values ($1, '副主任', '郑华')`, [second]);
    await t.sql(`insert into app.memberships (profile_id, community_id, role) values ($1, $2, 'committee')`, [second, chunhui]);
    await t.as('committee')('award_points', {
      p_profile_id: persona.resident2,
      p_community_id: chunhui,
      p_points: 15,
      p_reason: '帮邻居修水管',
      p_idempotency_key: 'k-award-1',
    });
    const before = await balance(persona.resident2);
    const r = await t.as('committee')('request_point_deduction', {
      p_profile_id: persona.resident2,
      p_community_id: chunhui,
      p_points: 5,
      p_reason: '报名后无故缺席',
    });
    await expectRefused(t.as('committee')('decide_point_deduction', { p_request_id: r.id, p_approve: true }), 'points.second_approver_required');
    await expectRefused(t.as('resident')('decide_point_deduction', { p_request_id: r.id, p_approve: true }), 'core.forbidden');
    await expect(
      t.sql(
        `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, actor_id)
                        values ($1, $2, -5, 'deduction', '绕过审批', 'sneaky', $3)`,
        [persona.resident2, chunhui, persona.committee],
      ),
    ).rejects.toThrow(/check/);
    const ok = await t.as(second)('decide_point_deduction', { p_request_id: r.id, p_approve: true });
    expect(ok.status).toBe('approved');
    expect(await balance(persona.resident2)).toBe(before - 5);
    const e = await t.sql(`select actor_id, approved_by, reason from app.point_entries where id = $1`, [ok.entryId]);
    expect(e.rows[0]).toEqual({ actor_id: persona.committee, approved_by: second, reason: '报名后无故缺席' });
    const big = await t.as('committee')('request_point_deduction', {
      p_profile_id: persona.resident2,
      p_community_id: chunhui,
      p_points: 100000,
      p_reason: '超过余额',
    });
    await expectRefused(t.as(second)('decide_point_deduction', { p_request_id: big.id, p_approve: true }), 'points.insufficient');
    expect(await balance(persona.resident2)).toBe(before - 5);
  });

  it('publishes a finished month; objections during the window; an upheld objection reverses the entry', async () => {
    const [p] = await residents(1);
    await t.sql(`insert into app.point_accounts (profile_id, community_id) values ($1, $2)`, [p, chunhui]);
    await t.sql(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month) values
                 ($1, $2, 12, 'service', '九月服务', 'sept-1', '2026-09-01'), ($1, $2, 8, 'award', '九月奖励', 'sept-2', '2026-09-01')`,
      [p, chunhui],
    );
    await t.sql(`update app.point_accounts set balance = 20 where profile_id = $1`, [p]);
    await expectRefused(t.as('committee')('publish_points_month', { p_community_id: chunhui, p_month: shanghaiMonth() + '-01' }), 'points.month_not_over');
    await expectRefused(t.as('resident')('publish_points_month', { p_community_id: chunhui, p_month: '2026-09-01' }), 'core.forbidden');
    const pub = await t.as('committee')('publish_points_month', { p_community_id: chunhui, p_month: '2026-09-01' });
    expect(pub.open).toBe(true);
    // 测试居民 did not agree to show their name: masked.
    expect(pub.entries.find((e: { reason: string }) => e.reason === '九月服务').name).toBe('测**民');
    expect(await t.as(p!)('get_my_points', {})).toMatchObject({ balance: 20, pending: 20, available: 0 });
    const award = pub.entries.find((e: { reason: string }) => e.reason === '九月奖励');
    await expectRefused(t.as('resident')('object_to_points', { p_entry_id: award.id, p_reason: '太短' }), 'points.objection_reason_required');
    await expectRefused(t.as('villager')('object_to_points', { p_entry_id: award.id, p_reason: '我不是这个社区的' }), 'points.entry_not_found');
    const o = await t.as('resident')('object_to_points', { p_entry_id: award.id, p_reason: '那天他根本不在，奖励不实' });
    await expectRefused(t.as('resident')('resolve_points_objection', { p_objection_id: o.id, p_uphold: true, p_resolution: '成立' }), 'core.forbidden');
    await t.as('committee')('resolve_points_objection', { p_objection_id: o.id, p_uphold: true, p_resolution: '经核实当天不在现场，撤销奖励' });
    expect(await balance(p!)).toBe(12);
    expect(await sumOfEntries(p!)).toBe(12);
    await t.sql(`update app.point_publications set window_closes_at = now() - interval '1 minute' where month = '2026-09-01'`);
    expect(await t.as(p!)('get_my_points', {})).toMatchObject({ balance: 12, pending: 0, available: 12 });
    await expectRefused(t.as('resident')('object_to_points', { p_entry_id: award.id, p_reason: '窗口关了还想再提' }), 'points.objection_closed');
  });

  it('makes points available at once when the objection window is 0 days', async () => {
    await t.sql(`update app.communities set settings = settings || '{"pointsObjectionDays": 0}' where id = $1`, [community.liutang]);
    await t.sql(`insert into app.point_accounts (profile_id, community_id) values ($1, $2)`, [persona.villager, community.liutang]);
    await t.sql(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key) values ($1, $2, 9, 'service', '修水渠', 'lt-1')`,
      [persona.villager, community.liutang],
    );
    await t.sql(`update app.point_accounts set balance = 9 where profile_id = $1 and community_id = $2`, [persona.villager, community.liutang]);
    expect(await t.as('villager')('get_my_points', {})).toMatchObject({ balance: 9, available: 9, pending: 0 });
  });

  it('shows names only of volunteers who agreed, in the monthly rankings', async () => {
    const r = await t.as('resident')('get_points_rankings', { p_community_id: chunhui, p_month: '2026-10-01' });
    const names = r.people.map((x: { name: string }) => x.name);
    expect(names).toContain('陈晓雨'); // show_name
    expect(names).toContain('李*强'); // not consented
    expect(r.teams.find((x: { name: string }) => x.name === '志愿者服务队').points).toBe(80);
    await expectRefused(t.as('villager')('get_points_rankings', { p_community_id: chunhui, p_month: '2026-10-01' }), 'core.forbidden');
  });
});

describe('teams and 吹哨报到', () => {
  it('lets the team leader approve a join request; a refusal needs a reason; others cannot decide', async () => {
    const team = 'b1000000-0000-4000-8000-000000000002';
    await expectRefused(t.as('resident')('decide_team_join', { p_team_id: team, p_profile_id: persona.resident2, p_approve: true }), 'core.forbidden');
    await expectRefused(t.as('volunteer')('decide_team_join', { p_team_id: team, p_profile_id: persona.resident2, p_approve: false }), 'core.reason_required');
    const ok = await t.as('volunteer')('decide_team_join', { p_team_id: team, p_profile_id: persona.resident2, p_approve: true });
    expect(ok.status).toBe('approved');
    await expectRefused(t.as('resident')('request_team_join', { p_team_id: team }), 'volunteer.profile_required');
  });

  it('reaches the volunteers of the called grid, who report in; the caller sees who is coming', async () => {
    await expectRefused(
      t.as('grid_worker')('blow_whistle', { p_community_id: chunhui, p_title: '别的网格', p_detail: '', p_place: '5号楼', p_grid_id: grid2 }),
      'core.forbidden',
    );
    await expectRefused(t.as('resident')('blow_whistle', { p_community_id: chunhui, p_title: '我来吹哨', p_detail: '', p_place: '5号楼' }), 'core.forbidden');
    const call = await t.as('committee')('blow_whistle', {
      p_community_id: chunhui,
      p_title: '暴雨：5号楼地下室进水',
      p_detail: '需要帮忙搬沙袋',
      p_place: '5号楼地下室',
      p_grid_id: grid2,
    });
    const seenByVolunteer = (await t.as('volunteer')('list_whistle_calls', { p_community_id: chunhui })).items;
    expect(seenByVolunteer.map((c: { id: string }) => c.id)).toContain(call.id);
    const seenByOtherGrid = (await t.as('resident2')('list_whistle_calls', { p_community_id: chunhui })).items; // volunteer of 第一网格
    expect(seenByOtherGrid.map((c: { id: string }) => c.id)).not.toContain(call.id);
    await expectRefused(t.as('resident2')('respond_whistle', { p_call_id: call.id }), 'volunteer.call_not_found');
    await t.as('volunteer')('respond_whistle', { p_call_id: call.id, p_eta_minutes: 10 });
    const asCaller = (await t.as('committee')('list_whistle_calls', { p_community_id: chunhui })).items;
    const mine = asCaller.find((c: { id: string }) => c.id === call.id);
    expect(mine.responders).toEqual([expect.objectContaining({ name: '陈晓雨', etaMinutes: 10 })]);
    const asVolunteer = (await t.as('volunteer')('list_whistle_calls', { p_community_id: chunhui })).items.find((c: { id: string }) => c.id === call.id);
    expect(asVolunteer.responded).toBe(true);
    expect(asVolunteer.responders).toBeNull();
  });
});
