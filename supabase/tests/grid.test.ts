import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import type { DbFunction } from '../../api/_lib/db.js';
import { createPgDb } from '../../api/_lib/db-pg.js';
import { building, community, persona } from '../../test/personas.js';

// Grid management: routing, the ladder by level and role, escalation by time (once, however many
// schedulers run), departments called in, the reporter's confirm/reopen/rate, visits, disputes kept
// to their mediators, and 考核 figures that always equal a recount of the records.

let t: Awaited<ReturnType<typeof testDb>>;
let wide: ReturnType<typeof createPgDb>;
beforeAll(async () => {
  t = await testDb();
  wide = createPgDb(t.url, 20);
});
afterAll(async () => {
  await wide.close();
  await t.close();
});

const chunhui = community.chunhui;
const liutang = community.liutang;
const grid1 = '30000000-0000-4000-8000-000000000001';
const grid2 = '30000000-0000-4000-8000-000000000002';
const worker2 = '60000000-0000-4000-8000-000000000016'; // 郑网格, 第二网格 (seeds/60_grid.sql)
const department = '60000000-0000-4000-8000-000000000015'; // 供电所 contact
const power = 'f3000000-0000-4000-8000-000000000004';
const cityManagement = 'f3000000-0000-4000-8000-000000000001';
const square = 'f2000000-0000-4000-8000-000000000001'; // 春晖广场, 第一网格
const southGate = 'f2000000-0000-4000-8000-000000000002'; // 小区南门, 第二网格
const household = {
  zhang: '50000000-0000-4000-8000-000000000001',
  li: '50000000-0000-4000-8000-000000000002',
  chen: '50000000-0000-4000-8000-000000000004',
  liutang: '50000000-0000-4000-8000-000000000003',
};

type Who = Parameters<typeof t.as>[0];
const report = (who: Who, over: Record<string, unknown> = {}) =>
  t.as(who)('create_report', {
    p_community_id: chunhui,
    p_category: 'noise',
    p_description: '楼上每天半夜拖椅子，吵得睡不着。',
    p_place_kind: 'household',
    p_building_id: null,
    p_place_id: null,
    p_latitude: null,
    p_longitude: null,
    p_place_text: '',
    p_anonymous: false,
    p_file_ids: [],
    p_idempotency_key: randomUUID(),
    ...over,
  });
const step = (who: Who, id: string, action: string, over: Record<string, unknown> = {}) =>
  t.as(who)('report_step', { p_report_id: id, p_action: action, p_note: '', p_department_id: null, p_rating: null, p_file_ids: null, ...over });
const row = async (id: string) => (await t.sql(`select * from app.grid_reports where id = $1`, [id])).rows[0];
const steps = async (id: string) =>
  (await t.sql(`select action, actor_id, from_level, to_level, on_time from app.report_steps where report_id = $1 order by at, id`, [id])).rows;
/** Moves a report's clock back, as if `hours` had passed. */
const age = (id: string, hours: number) =>
  t.sql(
    `update app.grid_reports set accept_due = accept_due - make_interval(hours => $2),
  solve_due = solve_due - make_interval(hours => $2), resolved_at = resolved_at - make_interval(hours => $2) where id = $1`,
    [id, hours],
  );
/** A photo the caller uploaded, ready to attach (the upload flow itself is tested in the files module). */
async function photo(owner: string, communityId = chunhui) {
  const id = randomUUID();
  await t.sql(
    `insert into app.files (id, community_id, owner_id, kind, purpose, original_name, declared_size, content_type, size, sha256, storage_key,
                 status, check_status, idempotency_key, ready_at)
               values ($1::uuid, $2, $3, 'photo', 'grid_report', '现场.jpg', 1000, 'image/jpeg', 1000, repeat('a', 64), 'grid/' || $1::text, 'ready', 'passed', $1::text, now())`,
    [id, communityId, owner],
  );
  return id;
}

describe('reporting and routing', () => {
  it("sends a report at my household to my grid's worker, and tells the worker", async () => {
    const r = await report('resident');
    expect(r).toMatchObject({ status: 'reported', level: 'grid', gridName: '第一网格', place: '1号楼（本户附近）', mine: true, following: true, followers: 1 });
    const n = await t.sql(`select count(*)::int n from app.notifications where profile_id = $1 and link like '%' || $2`, [persona.grid_worker, r.id]);
    expect(n.rows[0].n).toBe(1);
    expect(await steps(r.id)).toEqual([expect.objectContaining({ action: 'report', to_level: 'grid', actor_id: persona.resident })]);
  });

  it("sends a report at a public place to that place's grid, and one where the grid has no worker to the community", async () => {
    expect(await report('resident', { p_place_kind: 'place', p_place_id: southGate })).toMatchObject({ gridName: '第二网格', level: 'grid' });
    const village = await report('villager', { p_community_id: liutang });
    expect(village).toMatchObject({ level: 'community', gridName: '东片网格' });
  });

  it('returns the same report for a retry with the same key', async () => {
    const key = randomUUID();
    const a = await report('resident', { p_idempotency_key: key });
    const b = await report('resident', { p_idempotency_key: key });
    expect(b.id).toBe(a.id);
    expect((await t.sql(`select count(*)::int n from app.grid_reports where idempotency_key = $1`, [key])).rows[0].n).toBe(1);
  });

  it('refuses an outsider, an unknown category, a place of another community and a building that is not there', async () => {
    await expectRefused(report('villager'), 'core.forbidden');
    await expectRefused(report('resident', { p_category: 'fireworks' }), 'grid.category_not_found');
    await expectRefused(report('resident', { p_place_kind: 'place', p_place_id: 'f2000000-0000-4000-8000-000000000004' }), 'grid.place_required');
    await expectRefused(report('resident', { p_place_kind: 'building', p_building_id: building.liutangEast }), 'grid.place_required');
    await expectRefused(report('committee'), 'grid.place_required'); // staff without a household must say where
    expect(await report('committee', { p_place_kind: 'text', p_place_text: '春晖路公交站' })).toMatchObject({ level: 'grid' });
  });

  it('offers an open report of the same category at the same place as "同一件事", and joining makes me a follower', async () => {
    const first = await report('resident', { p_category: 'sanitation', p_place_kind: 'place', p_place_id: square });
    const similar = await t.as('resident2')('find_similar_reports', {
      p_community_id: chunhui,
      p_category: 'sanitation',
      p_building_id: null,
      p_place_id: square,
    });
    expect(similar.map((s: { id: string }) => s.id)).toContain(first.id);
    const joined = await t.as('resident2')('join_report', { p_report_id: first.id });
    expect(joined).toMatchObject({ following: true, followers: 2, mine: false, actions: [] });
    await t.as('resident2')('join_report', { p_report_id: first.id });
    expect((await row(first.id)).id).toBe(first.id);
    expect((await steps(first.id)).filter((s) => s.action === 'join')).toHaveLength(1);
    await expectRefused(t.as('villager')('join_report', { p_report_id: first.id }), 'grid.report_not_found');
  });

  it("lets only a neighbour of the same building join a report at someone's household, and nobody join an old one", async () => {
    const r = await report('resident'); // 1号楼
    await expectRefused(t.as('resident2')('join_report', { p_report_id: r.id }), 'grid.report_not_found'); // 2号楼
    const neighbour = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name) values ($1, '邻居')`, [neighbour]);
    await t.sql(`insert into app.households (id, community_id, building_id, room) values ($1, $2, $3, '1单元101')`, [neighbour, chunhui, building.chunhui1]);
    await t.sql(`insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', $1)`, [neighbour, chunhui]);
    expect((await t.as(neighbour)('join_report', { p_report_id: r.id })).following).toBe(true);
    const old = await report('resident', { p_place_kind: 'place', p_place_id: square, p_category: 'other' });
    await t.sql(`update app.grid_reports set created_at = created_at - interval '25 hours' where id = $1`, [old.id]);
    await expectRefused(t.as('resident2')('join_report', { p_report_id: old.id }), 'grid.report_not_found');
  });

  it('keeps an anonymous reporter anonymous to neighbours who joined, never to staff', async () => {
    const r = await report('resident', { p_anonymous: true, p_place_kind: 'place', p_place_id: square, p_category: 'other' });
    const neighbour = await t.as('resident2')('join_report', { p_report_id: r.id });
    expect(neighbour.reporter).toBe('匿名居民');
    expect(neighbour.steps[0].actor).toBe('匿名居民');
    expect((await t.as('grid_worker')('get_report', { p_report_id: r.id })).reporter).not.toBe('匿名居民');
  });
});

describe('who sees a report', () => {
  it("is the reporter, followers, the grid's worker, the community's staff and a called department; anyone else is told it does not exist", async () => {
    const r = await report('resident');
    for (const who of ['resident', 'grid_worker', 'committee', 'clerk', 'supervisor', 'admin'] as const) {
      expect((await t.as(who)('get_report', { p_report_id: r.id })).id, who).toBe(r.id);
    }
    for (const who of ['resident2', 'villager', 'village_committee', worker2, department] as const) {
      await expectRefused(t.as(who)('get_report', { p_report_id: r.id }), 'grid.report_not_found');
    }
    // Table reads under RLS agree with the function.
    expect((await t.sqlAs('resident2', `select id from app.grid_reports where id = $1`, [r.id])).rows).toEqual([]);
    expect((await t.sqlAs('grid_worker', `select id from app.grid_reports where id = $1`, [r.id])).rows).toHaveLength(1);
    expect((await t.sqlAs('resident2', `select * from app.report_steps where report_id = $1`, [r.id])).rows).toEqual([]);
  });
});

describe('the ladder', () => {
  it('moves 已上报 → 已受理 → 处置中 → 已办结 → 已确认 only by the level that holds it and the reporter', async () => {
    const r = await report('resident');
    expect(r.actions).toEqual([]);
    await expectRefused(step('resident', r.id, 'accept'), 'grid.not_your_level');
    await expectRefused(step('committee', r.id, 'accept'), 'grid.not_your_level'); // at the grid, not the community
    await expectRefused(step(worker2, r.id, 'accept'), 'grid.report_not_found'); // another grid's worker
    const accepted = await step('grid_worker', r.id, 'accept');
    expect(accepted).toMatchObject({ status: 'accepted', actions: expect.arrayContaining(['start', 'resolve', 'escalate']) });
    expect(accepted.actions).not.toContain('call_department'); // departments are called from the community up
    await expectRefused(step('grid_worker', r.id, 'accept'), 'grid.invalid_transition');
    await expectRefused(step('grid_worker', r.id, 'confirm'), 'grid.reporter_only');
    await step('grid_worker', r.id, 'start');
    await expectRefused(step('grid_worker', r.id, 'resolve'), 'grid.note_required');
    const resolved = await step('grid_worker', r.id, 'resolve', { p_note: '已上门提醒，楼上答应晚上十点后不再拖椅子。' });
    expect(resolved.status).toBe('resolved');
    await expectRefused(step('grid_worker', r.id, 'resolve', { p_note: '再办一次' }), 'grid.invalid_transition');
    await expectRefused(step('resident2', r.id, 'confirm'), 'grid.report_not_found');
    const confirmed = await step('resident', r.id, 'confirm');
    expect(confirmed).toMatchObject({ status: 'confirmed', actions: ['rate'] });
    expect((await steps(r.id)).map((s) => s.action)).toEqual(['report', 'accept', 'start', 'resolve', 'confirm']);
    // Each step reached the reporter.
    const n = await t.sql(`select count(*)::int n from app.notifications where profile_id = $1 and link like '%' || $2`, [persona.resident, r.id]);
    expect(n.rows[0].n).toBe(3);
  });

  it('needs an after-photo to close where the category asks for one, taken by whoever handled it', async () => {
    const r = await report('resident', { p_category: 'facility' });
    await step('grid_worker', r.id, 'accept');
    await expectRefused(step('grid_worker', r.id, 'resolve', { p_note: '修好了' }), 'grid.photo_required');
    // The reporter's own photo is a "before" photo and does not count.
    await t.as('resident')('attach_files', { p_entity: 'grid_report', p_entity_id: r.id, p_file_ids: [await photo(persona.resident)] });
    await expectRefused(step('grid_worker', r.id, 'resolve', { p_note: '修好了' }), 'grid.photo_required');
    const done = await step('grid_worker', r.id, 'resolve', { p_note: '修好了', p_file_ids: [await photo(persona.grid_worker)] });
    expect(done.status).toBe('resolved');
    expect(done.afterPhotoIds).toHaveLength(1);
  });

  it('lets the worker escalate a hard case with a reason; each level sees what reached it, the street last', async () => {
    const r = await report('resident');
    await expectRefused(step('grid_worker', r.id, 'escalate'), 'grid.note_required');
    const up = await step('grid_worker', r.id, 'escalate', { p_note: '涉及楼上楼下两户，需要社区出面。' });
    expect(up).toMatchObject({ level: 'community', status: 'reported' });
    await expectRefused(step('grid_worker', r.id, 'accept'), 'grid.not_your_level');
    const queue = await t.as('committee')('list_report_queue', { p_community_id: chunhui, p_scope: 'community', p_limit: 100, p_cursor: null });
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(r.id);
    const gridQueue = await t.as('grid_worker')('list_report_queue', { p_community_id: chunhui, p_scope: 'grid', p_limit: 100, p_cursor: null });
    expect(gridQueue.items.map((i: { id: string }) => i.id)).not.toContain(r.id);
    await expectRefused(
      t.as('resident')('list_report_queue', { p_community_id: chunhui, p_scope: 'community', p_limit: 20, p_cursor: null }),
      'core.forbidden',
    );
    await expectRefused(
      t.as('village_committee')('list_report_queue', { p_community_id: chunhui, p_scope: 'community', p_limit: 20, p_cursor: null }),
      'core.forbidden',
    );
    // The street admin hears of it only once it reaches the street.
    const heard = async () =>
      (await t.sql(`select count(*)::int n from app.notifications where profile_id = $1 and link like '%' || $2`, [persona.admin, r.id])).rows[0].n;
    expect(await heard()).toBe(0);
    const street = await step('committee', r.id, 'escalate', { p_note: '需要街道协调城管。' });
    expect(street).toMatchObject({ level: 'street', actions: [] });
    expect(await heard()).toBe(1);
    await expectRefused(step('committee', r.id, 'accept'), 'grid.not_your_level');
    const atStreet = await step('admin', r.id, 'accept');
    expect(atStreet.actions).toEqual(expect.arrayContaining(['resolve', 'call_department']));
    expect(atStreet.actions).not.toContain('escalate');
  });

  it('calls a department in: its contact answers 报到, and the report cannot close until it has', async () => {
    const r = await report('resident', { p_category: 'facility' });
    await step('grid_worker', r.id, 'escalate', { p_note: '路灯归供电所管。' });
    await expectRefused(step('grid_worker', r.id, 'call_department', { p_department_id: power }), 'grid.not_your_level');
    await step('committee', r.id, 'accept');
    await expectRefused(step('committee', r.id, 'call_department', { p_department_id: randomUUID() }), 'grid.department_not_found');
    const called = await step('committee', r.id, 'call_department', { p_department_id: power });
    expect(called.departmentCalls).toEqual([expect.objectContaining({ department: '供电所', answeredAt: null })]);
    await step('committee', r.id, 'call_department', { p_department_id: cityManagement });
    // The 供电所 contact now sees it, and has it on their list; answering needs a note.
    expect((await t.as(department)('get_report', { p_report_id: r.id })).actions).toEqual(['department_report']);
    const calls = await t.as(department)('list_my_department_calls', { p_limit: 20, p_cursor: null });
    expect(calls.items[0]).toMatchObject({ reportId: r.id, answeredAt: null });
    await expectRefused(step(department, r.id, 'department_report'), 'grid.note_required');
    await expectRefused(step('resident', r.id, 'department_report', { p_note: '我来报到' }), 'grid.not_called');
    await expectRefused(step(department, r.id, 'accept'), 'grid.not_your_level');
    const answered = await step(department, r.id, 'department_report', { p_note: '已更换灯头，试灯正常。', p_file_ids: [await photo(department)] });
    expect(answered.departmentCalls.find((c: { department: string }) => c.department === '供电所').answer).toBe('已更换灯头，试灯正常。');
    await expectRefused(step(department, r.id, 'department_report', { p_note: '再报一次' }), 'grid.not_called');
    // 城管 has not answered yet.
    await expectRefused(step('committee', r.id, 'resolve', { p_note: '已修复' }), 'grid.department_pending');
    await t.sql(`update app.department_calls set answered_at = now(), answer = '不涉及城管', answered_by = $2 where report_id = $1 and department_id = $3`, [
      r.id,
      persona.admin,
      cityManagement,
    ]);
    // The department's photo is the after-photo.
    expect((await step('committee', r.id, 'resolve', { p_note: '供电所已修复' })).status).toBe('resolved');
  });

  it('lets a department contact upload photos for reports of their street, and nothing else', async () => {
    const up = (purpose: string, communityId = chunhui) =>
      t.as(department)('create_upload', {
        p_community_id: communityId,
        p_kind: 'photo',
        p_purpose: purpose,
        p_name: '现场.jpg',
        p_size: 1000,
        p_idempotency_key: randomUUID(),
      });
    expect((await up('grid_report')).status).toBe('uploading');
    await expectRefused(up('application'), 'core.forbidden');
    await expectRefused(up('topic'), 'core.forbidden');
    await expectRefused(
      t.as('resident')('create_upload', {
        p_community_id: liutang,
        p_kind: 'photo',
        p_purpose: 'grid_report',
        p_name: 'x.jpg',
        p_size: 10,
        p_idempotency_key: randomUUID(),
      }),
      'core.forbidden',
    );
  });

  it('lets only the reporter reopen, with a reason, within 7 days of closing', async () => {
    const r = await report('resident');
    await step('grid_worker', r.id, 'accept');
    await step('grid_worker', r.id, 'resolve', { p_note: '已处理' });
    await expectRefused(step('grid_worker', r.id, 'reopen', { p_note: '没好' }), 'grid.reporter_only');
    await expectRefused(step('resident', r.id, 'reopen'), 'grid.note_required');
    const reopened = await step('resident', r.id, 'reopen', { p_note: '晚上还是在拖椅子。' });
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, level: 'grid' });
    await step('grid_worker', r.id, 'resolve', { p_note: '再次上门，已加装椅脚垫。' });
    await age(r.id, 24 * 7 + 1);
    await expectRefused(step('resident', r.id, 'reopen', { p_note: '又开始了' }), 'grid.reopen_closed');
    expect((await step('resident', r.id, 'confirm')).status).toBe('confirmed');
  });

  it('takes one rating from the reporter after confirming; 1–2 stars send it back to the community for review', async () => {
    const good = await report('resident');
    await step('grid_worker', good.id, 'accept');
    await step('grid_worker', good.id, 'resolve', { p_note: '已处理' });
    await expectRefused(step('resident', good.id, 'rate', { p_rating: 5 }), 'grid.invalid_transition'); // not confirmed yet
    await step('resident', good.id, 'confirm');
    await expectRefused(step('resident2', good.id, 'rate', { p_rating: 5 }), 'grid.report_not_found');
    await expectRefused(step('resident', good.id, 'rate', { p_rating: 6 }), 'grid.rating_invalid');
    expect(await step('resident', good.id, 'rate', { p_rating: 4 })).toMatchObject({ rating: 4, status: 'confirmed', actions: [] });
    await expectRefused(step('resident', good.id, 'rate', { p_rating: 5 }), 'grid.invalid_transition');

    const poor = await report('resident');
    await step('grid_worker', poor.id, 'accept');
    await step('grid_worker', poor.id, 'resolve', { p_note: '已处理' });
    await step('resident', poor.id, 'confirm');
    const review = await step('resident', poor.id, 'rate', { p_rating: 1, p_note: '根本没人来' });
    expect(review).toMatchObject({ status: 'in_progress', level: 'community', rating: 1, reopenCount: 1 });
    expect((await steps(poor.id)).map((s) => s.action).slice(-2)).toEqual(['rate', 'review']);
    expect((await step('committee', poor.id, 'resolve', { p_note: '社区复核：已约谈楼上住户。' })).status).toBe('resolved');
  });
});

describe('escalation by time', () => {
  it('climbs one level once per overdue step, however many schedulers run at the same time', async () => {
    const a = await report('resident');
    const b = await report('resident2');
    await step('grid_worker', b.id, 'accept');
    await age(a.id, 25); // past the 24 h to accept
    await age(b.id, 73); // past the 72 h to solve
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => wide.rpc('escalate_overdue_reports' as DbFunction, { p_limit: 200 } as never, { kind: 'service' })),
    );
    const total = runs.reduce<number>((n, x) => n + (x as { escalated: number }).escalated, 0);
    expect(total).toBeGreaterThanOrEqual(2);
    for (const id of [a.id, b.id]) {
      expect(await row(id)).toMatchObject({ level: 'community', status: 'reported' });
      expect((await steps(id)).filter((s) => s.action === 'auto_escalate')).toEqual([
        expect.objectContaining({ from_level: 'grid', to_level: 'community', on_time: false }),
      ]);
    }
    // Running again changes nothing: the community's own deadline has not passed.
    await t.service('escalate_overdue_reports', { p_limit: 200 });
    expect((await steps(a.id)).filter((s) => s.action === 'auto_escalate')).toHaveLength(1);
    // Past the community's deadline it climbs to the street, and stops there.
    await age(a.id, 25);
    await t.service('escalate_overdue_reports', { p_limit: 200 });
    await age(a.id, 1000);
    await t.service('escalate_overdue_reports', { p_limit: 200 });
    expect((await row(a.id)).level).toBe('street');
    expect((await steps(a.id)).filter((s) => s.action === 'auto_escalate')).toHaveLength(2);
  });

  it("is the server's job: signed-in callers cannot run it", async () => {
    await expect(t.as('admin')('escalate_overdue_reports', { p_limit: 10 })).rejects.toBeTruthy();
  });
});

describe("the grid worker's day", () => {
  it('records visits in my grid only, with follow-ups that need a date not in the past', async () => {
    const visit = (who: Who, over: Record<string, unknown> = {}) =>
      t.as(who)('record_visit', {
        p_household_id: household.zhang,
        p_met: '张秀兰本人',
        p_topics: ['独居老人'],
        p_note: '身体还好',
        p_follow_up: null,
        p_follow_up_due: null,
        p_dispute_id: null,
        ...over,
      });
    const v = await visit('grid_worker', { p_follow_up: '陪她去办高龄津贴', p_follow_up_due: '2099-01-01' });
    expect(v).toMatchObject({ address: '1号楼 2单元301', followUp: '陪她去办高龄津贴' });
    await expectRefused(visit(worker2), 'grid.not_your_grid');
    await expectRefused(visit('resident'), 'grid.not_your_grid');
    await expectRefused(visit('grid_worker', { p_household_id: household.liutang }), 'grid.household_not_found');
    await expectRefused(visit('grid_worker', { p_follow_up: '回访' }), 'grid.follow_up_needs_date');
    await expectRefused(visit('grid_worker', { p_follow_up: '回访', p_follow_up_due: '2020-01-01' }), 'grid.follow_up_in_past');
    await expectRefused(t.as(worker2)('complete_follow_up', { p_visit_id: v.id }), 'grid.visit_not_found');
    expect((await t.as('grid_worker')('complete_follow_up', { p_visit_id: v.id })).followUpDoneAt).not.toBeNull();
    await expectRefused(t.as('resident')('list_visits', { p_community_id: chunhui, p_limit: 20, p_cursor: null }), 'core.forbidden');
    const mine = await t.as(worker2)('list_visits', { p_community_id: chunhui, p_limit: 100, p_cursor: null });
    expect(mine.items.map((x: { id: string }) => x.id)).not.toContain(v.id);
    await expect(t.sqlAs('resident', `select * from app.household_visits`)).rejects.toThrow(/permission denied/);
  });

  it("lists my grids' households not visited this quarter", async () => {
    const before = await t.as(worker2)('list_unvisited_households', { p_community_id: chunhui, p_limit: 100, p_cursor: null });
    expect(before.items.every((h: { gridName: string }) => h.gridName === '第二网格')).toBe(true);
    const target = before.items.find((h: { householdId: string }) => h.householdId !== household.chen);
    expect(target).toBeTruthy();
    await t.as(worker2)('record_visit', {
      p_household_id: target.householdId,
      p_met: '户主',
      p_topics: [],
      p_note: '',
      p_follow_up: null,
      p_follow_up_due: null,
      p_dispute_id: null,
    });
    const after = await t.as(worker2)('list_unvisited_households', { p_community_id: chunhui, p_limit: 100, p_cursor: null });
    expect(after.items.map((h: { householdId: string }) => h.householdId)).not.toContain(target.householdId);
    await expectRefused(t.as('clerk')('list_unvisited_households', { p_community_id: chunhui, p_limit: 20, p_cursor: null }), 'core.forbidden');
  });

  it('keeps a work log for my grid, dated today or within the last month', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(await t.as('grid_worker')('write_work_log', { p_grid_id: grid1, p_day: today, p_body: '巡查两栋楼，无异常。' })).toMatchObject({
      body: '巡查两栋楼，无异常。',
    });
    await expectRefused(t.as('grid_worker')('write_work_log', { p_grid_id: grid2, p_day: today, p_body: '不是我的网格' }), 'grid.not_your_grid');
    await expectRefused(t.as('grid_worker')('write_work_log', { p_grid_id: grid1, p_day: '2099-01-01', p_body: '未来的日志' }), 'grid.log_day_invalid');
    await expectRefused(t.as('grid_worker')('write_work_log', { p_grid_id: grid1, p_day: '2020-01-01', p_body: '很久以前' }), 'grid.log_day_invalid');
    const other = await t.as(worker2)('list_work_logs', { p_community_id: chunhui, p_limit: 100, p_cursor: null });
    expect(other.items.some((l: { body: string }) => l.body === '巡查两栋楼，无异常。')).toBe(false);
  });
});

describe('disputes', () => {
  it("are read only by the grid's worker and the committee; neighbours, clerks and other grids are told they do not exist", async () => {
    const d = await t.as('grid_worker')('open_dispute', {
      p_grid_id: grid1,
      p_title: '楼道堆物纠纷',
      p_details: '两户为楼道里的鞋柜吵了起来。',
      p_party_household_ids: [household.zhang, household.li],
      p_report_id: null,
    });
    expect(d.parties).toHaveLength(2);
    expect((await t.as('committee')('get_dispute', { p_dispute_id: d.id })).details).toBe('两户为楼道里的鞋柜吵了起来。');
    for (const who of ['resident', 'resident2', 'clerk', 'supervisor', worker2, 'village_committee'] as const) {
      await expectRefused(t.as(who)('get_dispute', { p_dispute_id: d.id }), 'grid.dispute_not_found');
      await expectRefused(t.as(who)('record_mediation', { p_dispute_id: d.id, p_notes: '我来调解' }), 'grid.dispute_not_found');
    }
    await expect(t.sqlAs('resident', `select * from app.disputes`)).rejects.toThrow(/permission denied/);
    await expect(t.sqlAs('committee', `select * from app.mediation_sessions`)).rejects.toThrow(/permission denied/);
    const list = await t.as(worker2)('list_disputes', { p_community_id: chunhui, p_limit: 100, p_cursor: null });
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    await expectRefused(
      t.as('grid_worker')('open_dispute', {
        p_grid_id: grid1,
        p_title: '跨社区',
        p_details: '当事人不在本社区。',
        p_party_household_ids: [household.liutang],
        p_report_id: null,
      }),
      'grid.household_not_found',
    );
    await expectRefused(
      t.as('grid_worker')('open_dispute', {
        p_grid_id: grid2,
        p_title: '别的网格',
        p_details: '不是我的网格的纠纷。',
        p_party_household_ids: [household.chen],
        p_report_id: null,
      }),
      'core.forbidden',
    );
  });

  it('need a mediation before an agreement, an outcome to conclude, and nothing after closing', async () => {
    const d = await t.as('grid_worker')('open_dispute', {
      p_grid_id: grid1,
      p_title: '噪音纠纷',
      p_details: '楼上楼下为噪音多次争吵。',
      p_party_household_ids: [household.zhang],
      p_report_id: null,
    });
    await expectRefused(
      t.as('grid_worker')('conclude_dispute', { p_dispute_id: d.id, p_status: 'agreed', p_agreement: '互相谅解', p_referred_to: null }),
      'grid.mediation_required',
    );
    await t.as('grid_worker')('record_mediation', { p_dispute_id: d.id, p_notes: '双方坐下来谈了一次。' });
    await expectRefused(
      t.as('grid_worker')('conclude_dispute', { p_dispute_id: d.id, p_status: 'agreed', p_agreement: null, p_referred_to: null }),
      'grid.outcome_required',
    );
    const done = await t.as('committee')('conclude_dispute', {
      p_dispute_id: d.id,
      p_status: 'agreed',
      p_agreement: '晚上十点后不再走动拖物',
      p_referred_to: null,
    });
    expect(done).toMatchObject({ status: 'agreed', sessions: [expect.objectContaining({ notes: '双方坐下来谈了一次。' })] });
    await expectRefused(t.as('grid_worker')('record_mediation', { p_dispute_id: d.id, p_notes: '再谈一次' }), 'grid.dispute_closed');
    // A follow-up visit can point at the dispute.
    const v = await t.as('grid_worker')('record_visit', {
      p_household_id: household.zhang,
      p_met: '张秀兰',
      p_topics: ['矛盾纠纷'],
      p_note: '协议执行良好',
      p_follow_up: null,
      p_follow_up_due: null,
      p_dispute_id: d.id,
    });
    expect((await t.sql(`select dispute_id from app.household_visits where id = $1`, [v.id])).rows[0].dispute_id).toBe(d.id);
  });
});

describe('考核 figures', () => {
  const lastMonth = () => {
    const now = new Date(Date.now() + 8 * 3600_000); // Asia/Shanghai
    const m = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    return m.toISOString().slice(0, 10);
  };

  it('equal a recount from the raw records, for every worker and month with data', async () => {
    const months = (
      await t.sql(`select distinct to_char(date_trunc('month', at at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') m from app.report_steps`)
    ).rows.map((x) => x.m);
    const workers = [persona.grid_worker, worker2];
    let compared = 0;
    for (const month of months) {
      for (const w of workers) {
        const f = await t.as('committee')('get_grid_figures', { p_community_id: chunhui, p_month: month, p_worker_id: w });
        expect(f).toEqual(await recount(w, chunhui, month));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
    // The seeded month holds what the seeds put there (more when the seeds' "today" falls in it too).
    const seeded = await t.as('grid_worker')('get_grid_figures', { p_community_id: chunhui, p_month: lastMonth(), p_worker_id: null });
    expect(seeded.resolved).toBeGreaterThanOrEqual(2);
    expect(seeded.ratings).toBeGreaterThanOrEqual(2);
    expect(seeded.disputesMediated).toBe(1);
  });

  it('are shown to the worker, the committee, the supervisors and the street; not to another worker, a resident or another community', async () => {
    const month = lastMonth();
    const args = { p_community_id: chunhui, p_month: month, p_worker_id: persona.grid_worker };
    for (const who of ['grid_worker', 'committee', 'supervisor', 'admin'] as const)
      expect((await t.as(who)('get_grid_figures', args)).workerId).toBe(persona.grid_worker);
    for (const who of [worker2, 'resident', 'clerk'] as const) await expectRefused(t.as(who)('get_grid_figures', args), 'core.forbidden');
    await expectRefused(t.as('village_committee')('get_grid_figures', args), 'core.forbidden');
    await expectRefused(t.as('committee')('get_grid_figures', { ...args, p_worker_id: persona.clerk }), 'grid.worker_not_found');
    await expectRefused(t.as('committee')('get_grid_figures', { ...args, p_month: month.slice(0, 8) + '15' }), 'core.invalid_input');
    const all = await t.as('committee')('list_grid_figures', { p_community_id: chunhui, p_month: month, p_limit: 100, p_cursor: null });
    expect(all.items.map((x: { workerId: string }) => x.workerId).sort()).toEqual([persona.grid_worker, worker2].sort());
    await expectRefused(t.as('grid_worker')('list_grid_figures', { p_community_id: chunhui, p_month: month, p_limit: 100, p_cursor: null }), 'core.forbidden');
  });

  it("count this month's work as it happens: on time, late, escalated, reopened, rated", async () => {
    const month = (await t.sql(`select to_char(date_trunc('month', now() at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') m`)).rows[0].m;
    const before = await t.as('grid_worker')('get_grid_figures', { p_community_id: chunhui, p_month: month, p_worker_id: null });
    const late = await report('resident');
    await age(late.id, 30);
    await step('grid_worker', late.id, 'accept'); // late
    await step('grid_worker', late.id, 'resolve', { p_note: '已处理' });
    await step('resident', late.id, 'reopen', { p_note: '没处理好' });
    await step('grid_worker', late.id, 'resolve', { p_note: '再次处理' });
    await step('resident', late.id, 'confirm');
    await step('resident', late.id, 'rate', { p_rating: 5 });
    const after = await t.as('grid_worker')('get_grid_figures', { p_community_id: chunhui, p_month: month, p_worker_id: null });
    expect(after.reports - before.reports).toBe(1);
    expect(after.acceptedOnTime - before.acceptedOnTime).toBe(0);
    expect(after.resolved - before.resolved).toBe(2);
    expect(after.reopened - before.reopened).toBe(1);
    expect(after.ratings - before.ratings).toBe(1); // one rated report, though resolved twice
    expect(after).toEqual(await recount(persona.grid_worker, chunhui, month));
  });
});

describe('the desk', () => {
  it('counts what waits for a worker and for the committee, and refuses outsiders', async () => {
    const desk = await t.as('grid_worker')('get_grid_desk', { p_community_id: chunhui });
    expect(desk).toMatchObject({ isWorker: true, grids: [{ id: grid1, name: '第一网格' }], communityOpen: null, mayMediate: true });
    expect(desk.gridOpen).toBeGreaterThan(0);
    const committee = await t.as('committee')('get_grid_desk', { p_community_id: chunhui });
    expect(committee).toMatchObject({ isWorker: false, isStaff: true, mayMediate: true });
    expect(committee.communityOpen).toBeGreaterThanOrEqual(1);
    await expectRefused(t.as('villager')('get_grid_desk', { p_community_id: chunhui }), 'core.forbidden');
    expect((await t.as(department)('get_me')).departments).toEqual([{ id: power, name: '供电所' }]);
  });
});

/**
 * The figures recounted in TypeScript from the raw rows, the way a street auditor would with a
 * spreadsheet: a second, independent implementation of the same definitions.
 */
async function recount(worker: string, communityId: string, month: string) {
  const range = (
    await t.sql(`select ($1::date::timestamp at time zone 'Asia/Shanghai') t0, (($1::date + interval '1 month')::timestamp at time zone 'Asia/Shanghai') t1`, [
      month,
    ])
  ).rows[0];
  const inMonth = (d: Date) => d >= range.t0 && d < range.t1;
  const grids = (
    await t.sql(`select grid_id from app.memberships where profile_id = $1 and community_id = $2 and role = 'grid_worker'`, [worker, communityId])
  ).rows.map((x) => x.grid_id);
  const reports = (await t.sql(`select id, grid_id, rating from app.grid_reports where community_id = $1`, [communityId])).rows;
  const allSteps = (
    await t.sql(`select report_id, action, at, actor_id, from_level, to_level, on_time from app.report_steps where community_id = $1 order by at, id`, [
      communityId,
    ])
  ).rows;
  const stepsOf = (id: string) => allSteps.filter((s) => s.report_id === id);
  const arrived = reports.filter(
    (r) => grids.includes(r.grid_id) && stepsOf(r.id).some((s) => s.action === 'report' && s.to_level === 'grid' && inMonth(s.at)),
  );
  const acceptedOnTime = arrived.filter((r) => stepsOf(r.id).some((s) => s.action === 'accept' && s.from_level === 'grid' && s.on_time)).length;
  const resolved = allSteps.filter((s) => s.action === 'resolve' && s.from_level === 'grid' && s.actor_id === worker && inMonth(s.at));
  const escalated = arrived.filter((r) => stepsOf(r.id).some((s) => ['escalate', 'auto_escalate'].includes(s.action) && s.from_level === 'grid')).length;
  const reopened = new Set(
    resolved.filter((x) => stepsOf(x.report_id).some((s) => ['reopen', 'review'].includes(s.action) && s.at > x.at)).map((x) => x.report_id),
  ).size;
  const ratings = [...new Set(resolved.map((x) => x.report_id))].map((id) => reports.find((r) => r.id === id)!.rating).filter((v): v is number => v !== null);
  const visits = (await t.sql(`select household_id, visited_at from app.household_visits where visited_by = $1 and community_id = $2`, [worker, communityId]))
    .rows;
  const households = (
    await t.sql(
      `select count(*)::int n from app.households h join app.buildings b on b.id = h.building_id
    where h.community_id = $1 and b.grid_id = any($2) and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')`,
      [communityId, grids],
    )
  ).rows[0].n;
  const sessions = (await t.sql(`select dispute_id, held_at from app.mediation_sessions where mediator_id = $1 and community_id = $2`, [worker, communityId]))
    .rows;
  const rate = (n: number, d: number) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);
  const name = (await t.sql(`select app.masked_name_of($1) n`, [worker])).rows[0].n;
  return {
    workerId: worker,
    name,
    month: month.slice(0, 7),
    reports: arrived.length,
    acceptedOnTime: allSteps.filter((s) => arrived.some((r) => r.id === s.report_id) && s.action === 'accept' && s.from_level === 'grid' && s.on_time).length,
    acceptedOnTimeRate: rate(acceptedOnTime, arrived.length),
    resolved: resolved.length,
    resolvedOnTime: resolved.filter((s) => s.on_time).length,
    resolvedOnTimeRate: rate(resolved.filter((s) => s.on_time).length, resolved.length),
    escalated,
    escalatedRate: rate(escalated, arrived.length),
    reopened,
    reopenedRate: rate(reopened, resolved.length),
    averageRating: ratings.length ? Math.round((100 * ratings.reduce((a, b) => a + b, 0)) / ratings.length) / 100 : null,
    ratings: ratings.length,
    householdsVisited: new Set(visits.filter((v) => inMonth(v.visited_at)).map((v) => v.household_id)).size,
    households,
    disputesMediated: new Set(sessions.filter((s) => inMonth(s.held_at)).map((s) => s.dispute_id)).size,
  };
}
