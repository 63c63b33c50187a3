import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import { community, persona } from '../../test/personas.js';
import { ApiError } from '../../api/_lib/errors.js';

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const residence = 'd1000000-0000-4000-8000-000000000001'; // 居住证明, 3 working days
const disability = 'd1000000-0000-4000-8000-000000000005'; // offline only, by appointment
const goodForm = { name: '张秀兰', idNumber: '43010219520312002X', purpose: '办理居住证', proof: '房产证' };
const apply = (who: string, data: Record<string, unknown> = goodForm, key: string = randomUUID()) =>
  t.as(who)('submit_application', { p_item_id: residence, p_form_data: data, p_attachments: [], p_idempotency_key: key });
const advance = (who: string, id: string, to: string, note = '') => t.as(who)('advance_application', { p_application_id: id, p_to: to, p_note: note });

describe('catalog', () => {
  it('finds items by Chinese words and by theme, within the community', async () => {
    const hits = (await t.as('resident')('search_service_items', { p_community_id: community.chunhui, p_q: '居住证明' })).items;
    expect(hits[0].name).toBe('居住证明');
    const byMaterial = (await t.as('resident')('search_service_items', { p_community_id: community.chunhui, p_q: '租赁合同' })).items;
    expect(byMaterial.map((x: { name: string }) => x.name)).toContain('居住证明');
    const theme = (await t.as('resident')('search_service_items', { p_community_id: community.chunhui, p_theme: '证照办理' })).items;
    expect(theme.map((x: { name: string }) => x.name).sort()).toEqual(['个体工商户登记', '食品经营许可'].sort());
    expect(await t.as('villager')('search_service_items', { p_community_id: community.chunhui, p_q: '居住' })).toEqual({ items: [], nextCursor: null });
  });
});

describe('working days', () => {
  it('skip weekends and holidays and count make-up workdays', async () => {
    const q = (from: string, n: number) =>
      t.sql(`select app.add_working_days($1, $2::date, $3)::text d`, [community.chunhui, from, n]).then((r) => r.rows[0].d);
    expect(await q('2026-11-20', 3)).toBe('2026-11-25'); // Fri + 3 → Wed
    expect(await q('2026-12-30', 2)).toBe('2027-01-04'); // Wed; 12-31 Thu work, 01-01 holiday, weekend → Mon
    await t.as('committee')('set_holiday', { p_community_id: community.chunhui, p_day: '2026-11-28', p_kind: 'workday', p_name: '调休' });
    expect(await q('2026-11-27', 1)).toBe('2026-11-28'); // a Saturday made a workday
    await expectRefused(
      t.as('resident')('set_holiday', { p_community_id: community.chunhui, p_day: '2026-11-29', p_kind: 'workday', p_name: 'x' }),
      'core.forbidden',
    );
  });
});

describe('applications', () => {
  it('validate the form in the database: required fields, types and options', async () => {
    for (const [data, code, field] of [
      [{ ...goodForm, name: '' }, 'hall.field_required', 'name'],
      [{ ...goodForm, idNumber: '12345' }, 'hall.field_invalid', 'idNumber'],
      [{ ...goodForm, purpose: '炒股' }, 'hall.field_invalid', 'purpose'],
      [{ ...goodForm, phone: '123' }, 'hall.field_invalid', 'phone'],
      [{ ...goodForm, extra: 'x' }, 'hall.field_invalid', 'extra'],
    ] as const) {
      const err = await apply('resident', data as Record<string, unknown>).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(code);
      expect(Object.keys((err as ApiError).fields ?? {})).toEqual([field]);
    }
  });

  it('tell the clerk the next steps the database accepts, and nobody else', async () => {
    const a = await apply('resident');
    expect(a.nextSteps).toEqual([]);
    const seen = await t.as('clerk')('get_application', { p_application_id: a.id });
    expect(seen.nextSteps).toEqual(['accepted', 'returned', 'rejected']);
    // Every step offered is accepted, and a step not offered is refused.
    await expectRefused(advance('clerk', a.id, 'processing'), 'hall.invalid_transition');
    const accepted = await advance('clerk', a.id, seen.nextSteps[0]);
    expect(accepted.nextSteps).toEqual(['processing', 'returned', 'rejected']);
    const processing = await advance('clerk', a.id, 'processing');
    expect(processing.nextSteps).toEqual(['completed', 'returned']);
    expect((await t.as('resident')('get_application', { p_application_id: a.id })).nextSteps).toEqual([]);
  });

  it('run along the allowed edges only, each by its role, with a timeline', async () => {
    const a = await apply('resident');
    expect(a).toMatchObject({ status: 'submitted', dueOn: expect.any(String) });
    await expectRefused(advance('resident', a.id, 'accepted'), 'core.forbidden');
    await expectRefused(advance('committee', a.id, 'accepted'), 'core.forbidden');
    await expectRefused(advance('clerk', a.id, 'completed'), 'hall.invalid_transition');
    await expectRefused(advance('clerk', a.id, 'returned'), 'hall.note_required');
    await advance('clerk', a.id, 'accepted', '材料齐全');
    const back = await advance('clerk', a.id, 'returned', '请补充租赁合同照片');
    expect(back.status).toBe('returned');
    await expectRefused(
      t.as('resident2')('resubmit_application', { p_application_id: a.id, p_form_data: goodForm, p_attachments: [] }),
      'hall.application_not_found',
    );
    const again = await t.as('resident')('resubmit_application', {
      p_application_id: a.id,
      p_form_data: { ...goodForm, proof: '租赁合同（已补照片）' },
      p_attachments: [],
    });
    expect(again.status).toBe('submitted');
    await advance('clerk', a.id, 'accepted');
    await advance('clerk', a.id, 'processing');
    const done = await advance('clerk', a.id, 'completed', '证明已开具');
    expect(done.timeline.map((e: { to: string }) => e.to)).toEqual(['submitted', 'accepted', 'returned', 'submitted', 'accepted', 'processing', 'completed']);
    await expectRefused(advance('clerk', a.id, 'processing'), 'hall.invalid_transition');
    expect(done.nextSteps).toEqual([]);
    const notes = (await t.as('resident')('list_notifications')).items;
    expect(notes.some((n: { title: string }) => n.title === '居住证明：退回补正')).toBe(true);
  });

  it('reach a subscribed applicant as one WeChat subscribe message per acceptance', async () => {
    await expectRefused(t.as('clerk')('subscribe_hall', { p_community_id: community.chunhui }), 'volunteer.resident_required');
    await t.as('resident')('subscribe_hall', { p_community_id: community.chunhui });
    const a = await apply('resident');
    await advance('clerk', a.id, 'accepted', '已受理');
    await advance('clerk', a.id, 'processing');
    const out = await t.sql(
      `select payload->>'template' as template, payload->>'title' as title from app.outbox where profile_id = $1 and dedupe_key like 'case:%'`,
      [persona.resident],
    );
    expect(out.rows).toEqual([{ template: 'case', title: '居住证明 已受理' }]);
  });

  it('return the same case for a retry with the same Idempotency-Key', async () => {
    const [a, b] = await Promise.all([apply('resident2', goodForm, 'apply-key-0001'), apply('resident2', goodForm, 'apply-key-0001')]);
    expect(a.id).toBe(b.id);
    const n = await t.sql(`select count(*)::int n from app.applications where idempotency_key = 'apply-key-0001'`);
    expect(n.rows[0].n).toBe(1);
  });

  it('are unreadable by other residents, other communities and grid workers', async () => {
    const a = await apply('resident');
    for (const who of ['resident2', 'villager', 'grid_worker', 'village_committee'] as const) {
      await expectRefused(t.as(who)('get_application', { p_application_id: a.id }), 'hall.application_not_found');
    }
    const rows = await t.sqlAs('resident2', 'select id from app.applications where id = $1', [a.id]);
    expect(rows.rows).toEqual([]);
    expect((await t.as('clerk')('get_application', { p_application_id: a.id })).id).toBe(a.id);
  });

  it('refuse offline-only items and non-residents', async () => {
    await expectRefused(
      t.as('resident')('submit_application', { p_item_id: disability, p_form_data: {}, p_attachments: [], p_idempotency_key: 'off-1' }),
      'hall.offline_only',
    );
    await expectRefused(apply('clerk'), 'volunteer.resident_required');
  });
});

describe('ratings', () => {
  it('once, by the applicant, after completion; 1–2 stars open a follow-up a clerk must close', async () => {
    const a = await apply('resident');
    await expectRefused(t.as('resident')('rate_application', { p_application_id: a.id, p_rating: 5 }), 'hall.not_completed');
    await advance('clerk', a.id, 'accepted');
    await advance('clerk', a.id, 'processing');
    await advance('clerk', a.id, 'completed', '已办结');
    await expectRefused(t.as('clerk')('rate_application', { p_application_id: a.id, p_rating: 5 }), 'core.forbidden');
    const r = await t.as('resident')('rate_application', { p_application_id: a.id, p_rating: 2, p_comment: '来回跑了两趟' });
    expect(r.rectification).toMatchObject({ status: 'open' });
    await expectRefused(t.as('resident')('rate_application', { p_application_id: a.id, p_rating: 5 }), 'hall.already_rated');
    const bench = await t.as('clerk')('get_hall_workbench', { p_community_id: community.chunhui });
    expect(bench.rectifications).toBeGreaterThanOrEqual(1);
    const follow = (await t.as('clerk')('list_hall_work', { p_community_id: community.chunhui, p_tab: 'rectifications', p_limit: 100 })).items.find(
      (x: { applicationId: string }) => x.applicationId === a.id,
    );
    expect(follow.rating).toBe(2);
    await expectRefused(t.as('resident')('close_rectification', { p_rectification_id: follow.id, p_note: '好了' }), 'core.forbidden');
    await expectRefused(t.as('clerk')('close_rectification', { p_rectification_id: follow.id, p_note: '' }), 'hall.note_required');
    const closed = await t.as('clerk')('close_rectification', { p_rectification_id: follow.id, p_note: '已改为网上一次办结，不再要求到窗口' });
    expect(closed.status).toBe('closed');
    await expectRefused(t.as('resident')('get_hall_workbench', { p_community_id: community.chunhui }), 'core.forbidden');
  });

  it('of 3 or more stars open no follow-up', async () => {
    const a = await apply('resident');
    await advance('clerk', a.id, 'accepted');
    await advance('clerk', a.id, 'processing');
    await advance('clerk', a.id, 'completed');
    const r = await t.as('resident')('rate_application', { p_application_id: a.id, p_rating: 4 });
    expect(r.rectification).toBeNull();
  });
});

describe('appointments', () => {
  it('never overbook a slot under 25 concurrent bookings, and allow one active booking per person and item', async () => {
    const day = (await t.sql(`select app.add_working_days($1, app.today(), 10)::text d`, [community.chunhui])).rows[0].d;
    await expectRefused(
      t.as('resident')('create_appointment_slots', { p_item_id: disability, p_day: day, p_times: ['09:30'], p_minutes: 30, p_capacity: 4 }),
      'core.forbidden',
    );
    await t.as('clerk')('create_appointment_slots', { p_item_id: disability, p_day: day, p_times: ['09:30'], p_minutes: 30, p_capacity: 4 });
    const slot = (
      await t.sql(`select id from app.appointment_slots where item_id = $1 and (starts_at at time zone 'Asia/Shanghai')::date = $2 and capacity = 4`, [
        disability,
        day,
      ])
    ).rows[0].id;
    const ids = Array.from({ length: 25 }, () => randomUUID());
    await t.sql(`insert into app.profiles (id, display_name) select unnest($1::uuid[]), '预约测试'`, [ids]);
    await t.sql(
      `insert into app.memberships (profile_id, community_id, role, household_id) select unnest($1::uuid[]), $2, 'resident', '50000000-0000-4000-8000-000000000004'`,
      [ids, community.chunhui],
    );
    const results = await Promise.allSettled(ids.map((p) => t.as(p)('book_appointment', { p_slot_id: slot, p_idempotency_key: randomUUID() })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'hall.slot_full')).toBe(true);
    expect((await t.sql(`select booked from app.appointment_slots where id = $1`, [slot])).rows[0].booked).toBe(4);
    const other = (await t.sql(`select id from app.appointment_slots where item_id = $1 and booked = 0 limit 1`, [disability])).rows[0].id;
    const mine = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>).value;
    const owner = (await t.sql(`select profile_id from app.appointments where id = $1`, [mine.id])).rows[0].profile_id;
    await expectRefused(t.as(owner)('book_appointment', { p_slot_id: other, p_idempotency_key: randomUUID() }), 'hall.already_booked');
    await expectRefused(t.as('resident')('cancel_appointment', { p_appointment_id: mine.id }), 'hall.appointment_not_found');
    expect((await t.as(owner)('cancel_appointment', { p_appointment_id: mine.id })).status).toBe('cancelled');
    expect((await t.sql(`select booked from app.appointment_slots where id = $1`, [slot])).rows[0].booked).toBe(3);
  });

  it('refuse cancelling within 2 hours of the start; a clerk marks arrival', async () => {
    const slot = (
      await t.sql(
        `insert into app.appointment_slots (community_id, item_id, starts_at, ends_at, capacity)
                               values ($1, $2, now() + interval '1 hour', now() + interval '90 minutes', 2) returning id`,
        [community.chunhui, disability],
      )
    ).rows[0].id;
    const b = await t.as('resident2')('book_appointment', { p_slot_id: slot, p_idempotency_key: 'soon-1' });
    await expectRefused(t.as('resident2')('cancel_appointment', { p_appointment_id: b.id }), 'hall.cancel_closed');
    await expectRefused(t.as('committee')('mark_arrival', { p_appointment_id: b.id }), 'core.forbidden');
    expect((await t.as('clerk')('mark_arrival', { p_appointment_id: b.id })).status).toBe('arrived');
  });
});

describe('帮办代办', () => {
  it('lets a helper act only after the resident consented, and only on that case', async () => {
    const req = await t.as('resident')('request_proxy', { p_item_id: residence, p_note: '腿脚不便，请网格员帮我办' });
    await expectRefused(t.as('resident')('assign_proxy', { p_request_id: req.id, p_helper_id: persona.grid_worker }), 'core.forbidden');
    await expectRefused(t.as('clerk')('assign_proxy', { p_request_id: req.id, p_helper_id: persona.supervisor }), 'hall.helper_not_eligible');
    await t.as('clerk')('assign_proxy', { p_request_id: req.id, p_helper_id: persona.grid_worker });
    const submitAs = (who: string, request: string, key: string) =>
      t.as(who)('submit_application', { p_item_id: residence, p_form_data: goodForm, p_attachments: [], p_idempotency_key: key, p_proxy_request_id: request });
    await expectRefused(submitAs('grid_worker', req.id, 'proxy-1'), 'hall.consent_required');
    await expectRefused(t.as('resident2')('consent_proxy', { p_request_id: req.id }), 'hall.proxy_not_found');
    await t.as('resident')('consent_proxy', { p_request_id: req.id });
    await expectRefused(submitAs('volunteer', req.id, 'proxy-2'), 'hall.not_your_case');
    const a = await submitAs('grid_worker', req.id, 'proxy-3');
    expect(a.applicant).toBe('张*兰');
    const ev = await t.sql(`select actor_id, on_behalf_of from app.application_events where application_id = $1`, [a.id]);
    expect(ev.rows[0]).toEqual({ actor_id: persona.grid_worker, on_behalf_of: persona.resident });
    // The consented helper sees and acts on this case, and only this one.
    expect((await t.as('grid_worker')('get_application', { p_application_id: a.id })).id).toBe(a.id);
    await expectRefused(submitAs('grid_worker', req.id, 'proxy-4'), 'hall.not_your_case');
    const otherCase = await apply('resident');
    await expectRefused(t.as('grid_worker')('get_application', { p_application_id: otherCase.id }), 'hall.application_not_found');
    await advance('clerk', a.id, 'returned', '请补充身份证照片');
    const re = await t.as('grid_worker')('resubmit_application', {
      p_application_id: a.id,
      p_form_data: goodForm,
      p_attachments: [],
      p_note: '已上门拍照补充',
    });
    expect(re.status).toBe('submitted');
    const last = await t.sql(`select actor_id, on_behalf_of from app.application_events where application_id = $1 order by id desc limit 1`, [a.id]);
    expect(last.rows[0]).toEqual({ actor_id: persona.grid_worker, on_behalf_of: persona.resident });
    // The privacy consent is untouched by the proxy consent.
    const me = await t.as('resident')('get_me');
    expect(me.consents.proxy_handling.granted).toBe(true);
    expect(me.consents.privacy_policy).toBeUndefined();
  });
});
