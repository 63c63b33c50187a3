import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { testApi } from '../test/api.js';
import { community } from '../test/personas.js';
import { CHECKIN_LIMITS } from './_modules/volunteer/routes.js';

/**
 * Limits a person never meets in normal use, counted in Postgres (so they hold across serverless
 * instances), and counted even when the request itself fails.
 */
let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi({ WRITE_RATE_LIMIT: '5', WRITE_RATE_WINDOW_SECONDS: '60' });
});
afterAll(async () => api.close());

describe('writes per person', () => {
  it('answer 429 with Retry-After past the limit, count refused writes too, and leave other people alone', async () => {
    const resident = await api.login('resident');
    const topic = 'e3000000-0000-4000-8000-000000000001';
    // Two writes the rules refuse (a comment too short is caught before the database: not a write attempt;
    // co-signing one's own topic again is a write the database answers 409) …
    for (let i = 0; i < 2; i++) {
      const r = await api.call('POST', `/api/affairs/topics/${topic}/cosign`, { token: resident });
      expect([200, 409]).toContain(r.status);
    }
    // … and three that succeed use up the five.
    for (let i = 0; i < 3; i++) {
      const r = await api.call('POST', `/api/affairs/topics/${topic}/comments`, { token: resident, body: { body: `第 ${i + 1} 条意见：支持更换` } });
      expect(r.status).toBe(201);
    }
    const sixth = await api.call('POST', `/api/affairs/topics/${topic}/comments`, { token: resident, body: { body: '第六条意见' } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('request.rate_limited');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    const stored = await api.db.sql(`select count(*)::int as n from app.topic_comments where body = '第六条意见'`);
    expect(stored.rows[0].n).toBe(0);
    // Reading is not limited, and another person writes freely.
    expect((await api.call('GET', `/api/affairs/topics/${topic}`, { token: resident })).status).toBe(200);
    const other = await api.call('POST', `/api/affairs/topics/${topic}/comments`, { token: await api.login('resident2'), body: { body: '我也支持' } });
    expect(other.status).toBe(201);
  });
});

describe('check-in codes', () => {
  it('refuse guessing: after the per-person limit even the right code is 429, while others still check in', async () => {
    // Its own app with the default write limit: guesses must be stopped by the check-in limit, not the write one.
    const api = await testApi();
    onTestFinished(() => api.close());
    const committee = await api.login('committee');
    const starts = new Date(Date.now() + 3 * 3600_000).toISOString();
    const ends = new Date(Date.now() + 5 * 3600_000).toISOString();
    const created = await api.call('POST', '/api/volunteer/activities', {
      token: committee,
      body: {
        communityId: community.chunhui,
        title: '签到码测试',
        place: '社区门口',
        startsAt: starts,
        endsAt: ends,
        capacity: 5,
        pointsPerHour: 10,
        waitlist: false,
      },
    });
    const id = created.body.id as string;
    const [volunteer, resident2] = [await api.login('volunteer'), await api.login('resident2')];
    for (const [token, key] of [
      [volunteer, 'ci-key-0001'],
      [resident2, 'ci-key-0002'],
    ] as const) {
      expect((await api.call('POST', `/api/volunteer/activities/${id}/signups`, { token, headers: { 'idempotency-key': key } })).status).toBe(201);
    }
    // The activity is under way.
    await api.db.sql(
      `update app.activities set cancel_until = now() - interval '2 hours', starts_at = now() - interval '10 minutes',
                      ends_at = now() + interval '2 hours' where id = $1`,
      [id],
    );
    const code = (await api.call('GET', `/api/volunteer/activities/${id}/checkin-code`, { token: committee })).body.code as string;
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < CHECKIN_LIMITS.perPerson; i++) {
      statuses.push((await api.call('POST', `/api/volunteer/activities/${id}/checkins`, { token: volunteer, body: { code: wrong, direction: 'in' } })).status);
    }
    expect(statuses.every((s) => s === 409)).toBe(true);
    const blocked = await api.call('POST', `/api/volunteer/activities/${id}/checkins`, { token: volunteer, body: { code, direction: 'in' } });
    expect(blocked.status).toBe(429);
    const ok = await api.call('POST', `/api/volunteer/activities/${id}/checkins`, { token: resident2, body: { code, direction: 'in' } });
    expect(ok.status).toBe(200);
  });
});
