import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { Activity, type ActivitySummary, SignupResult, VolunteerProfile, VolunteerRecord } from '../../_contracts/volunteer.js';
import { MyPoints, Publication, Rankings } from '../../_contracts/points.js';

let api: Awaited<ReturnType<typeof testApi>>;
let committee = '';
beforeAll(async () => {
  api = await testApi();
  committee = await api.login('committee');
});
afterAll(async () => api.close());

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

async function createActivity(capacity: number, waitlist: boolean) {
  const r = await api.call('POST', '/api/volunteer/activities', {
    token: committee,
    body: {
      communityId: community.chunhui,
      title: '周末助老',
      place: '社区门口',
      startsAt: inHours(5),
      endsAt: inHours(7),
      capacity,
      pointsPerHour: 10,
      waitlist,
    },
  });
  expect(r.status).toBe(201);
  return Activity.parse(r.body).id;
}

describe('volunteer API', () => {
  it('signs up with an Idempotency-Key: 201, the same answer on retry, 409 volunteer.activity_full when full', async () => {
    const id = await createActivity(1, false);
    const resident = await api.login('resident');
    const noKey = await api.call('POST', `/api/volunteer/activities/${id}/signups`, { token: resident });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('request.idempotency_key_required');
    const first = await api.call('POST', `/api/volunteer/activities/${id}/signups`, { token: resident, headers: { 'idempotency-key': 'signup-key-0001' } });
    expect(first.status).toBe(201);
    expect(SignupResult.parse(first.body).status).toBe('confirmed');
    const retry = await api.call('POST', `/api/volunteer/activities/${id}/signups`, { token: resident, headers: { 'idempotency-key': 'signup-key-0001' } });
    expect(retry.status).toBe(201);
    expect(retry.body.signupId).toBe(first.body.signupId);
    const full = await api.call('POST', `/api/volunteer/activities/${id}/signups`, {
      token: await api.login('resident2'),
      headers: { 'idempotency-key': 'signup-key-0002' },
    });
    expect(full.status).toBe(409);
    expect(full.body.error).toEqual({ code: 'volunteer.activity_full', message: '名额已满' });
  });

  it('answers with a waitlist position when the activity keeps one', async () => {
    const id = await createActivity(1, true);
    await api.call('POST', `/api/volunteer/activities/${id}/signups`, { token: await api.login('volunteer'), headers: { 'idempotency-key': 'w-key-00001' } });
    const r = await api.call('POST', `/api/volunteer/activities/${id}/signups`, {
      token: await api.login('resident2'),
      headers: { 'idempotency-key': 'w-key-00002' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const list = await api.call('GET', `/api/volunteer/activities?communityId=${community.chunhui}&scope=mine`, { token: await api.login('resident2') });
    expect(list.body.items.map((a: ActivitySummary) => a.id)).toContain(id);
  });

  it('validates activities in Chinese and writes nothing on bad input', async () => {
    const before = (await api.db.sql('select count(*)::int n from app.activities')).rows[0].n;
    const r = await api.call('POST', '/api/volunteer/activities', {
      token: committee,
      body: {
        communityId: community.chunhui,
        title: '',
        place: '',
        startsAt: inHours(5),
        endsAt: inHours(4),
        capacity: 0,
        pointsPerHour: 10,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toMatchObject({ title: '活动名称至少 2 个字', place: '请填写地点', capacity: '名额至少 1 人' });
    expect((await api.db.sql('select count(*)::int n from app.activities')).rows[0].n).toBe(before);
  });

  it('gives GET /api/points/me as { balance, available, pending } for the caller’s community', async () => {
    const r = await api.call('GET', '/api/points/me', { token: await api.login('volunteer') });
    expect(r.status).toBe(200);
    const p = MyPoints.parse(r.body);
    expect({ balance: p.balance, available: p.available, pending: p.pending }).toEqual({ balance: 100, available: 80, pending: 20 });
    expect(p.entries.length).toBeGreaterThan(0);
  });

  it('serves the profile, record, publication and rankings in their contract shapes', async () => {
    const v = await api.login('volunteer');
    VolunteerProfile.parse((await api.call('GET', `/api/volunteer/profile?communityId=${community.chunhui}`, { token: v })).body);
    const rec = VolunteerRecord.parse((await api.call('GET', `/api/volunteer/record?communityId=${community.chunhui}`, { token: v })).body);
    expect(rec.totalMinutes).toBe(300);
    const pub = Publication.parse((await api.call('GET', `/api/points/publications/2026-10?communityId=${community.chunhui}`, { token: v })).body);
    expect(pub.entries.length).toBe(3);
    Rankings.parse((await api.call('GET', `/api/points/rankings?communityId=${community.chunhui}&month=2026-10`, { token: v })).body);
    const bad = await api.call('GET', `/api/points/rankings?communityId=${community.chunhui}&month=2026-13`, { token: v });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.month).toBe('月份格式应为 2026-10');
  });

  it('refuses a deduction approved by its own requester with 409', async () => {
    const req = await api.call('POST', '/api/points/deductions', {
      token: committee,
      body: { profileId: '60000000-0000-4000-8000-000000000004', communityId: community.chunhui, points: 5, reason: '活动中擅自离岗' },
    });
    expect(req.status).toBe(201);
    const self = await api.call('POST', `/api/points/deductions/${req.body.id}/decision`, { token: committee, body: { approve: true } });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('points.second_approver_required');
  });
});
