import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { Poll, Topic } from '../../_contracts/affairs.js';
import type { recordingContentCheck } from '../../_lib/content-check.js';

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => api.close());

const poll = 'e4000000-0000-4000-8000-000000000001';
const vote = (token: string, key: string, choices = [1]) =>
  api.call('POST', `/api/affairs/polls/${poll}/votes`, { token, body: { choices }, headers: { 'idempotency-key': key } });

describe('affairs API', () => {
  it('POST /api/affairs/polls/{id}/votes → 201; a second ballot → 409 affairs.already_voted; outside the electorate → 403', async () => {
    const resident = await api.login('resident');
    expect((await vote(resident, 'vote-key-0001')).status).toBe(201);
    expect((await vote(resident, 'vote-key-0001')).status).toBe(201); // a retry
    const second = await vote(resident, 'vote-key-0002', [2]);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('affairs.already_voted');
    const clerk = await vote(await api.login('clerk'), 'vote-key-0003');
    expect(clerk.status).toBe(403);
    expect(clerk.body.error.code).toBe('affairs.not_in_electorate');
    const bad = await api.call('POST', `/api/affairs/polls/${poll}/votes`, {
      token: resident,
      body: { choices: [] },
      headers: { 'idempotency-key': 'vote-key-0004' },
    });
    expect(bad.status).toBe(400);
  });

  it('GET /api/affairs/polls/{id} includes results only when allowed', async () => {
    const open = Poll.parse((await api.call('GET', `/api/affairs/polls/${poll}`, { token: await api.login('committee') })).body);
    expect(open.results).toBeNull();
    expect(open.turnout).toBe(1);
    const closed = Poll.parse((await api.call('GET', '/api/affairs/polls/e4000000-0000-4000-8000-000000000002', { token: await api.login('resident') })).body);
    expect(closed.results?.map((r) => r.votes)).toEqual([1, 0, 3]);
  });

  it('raises a topic, co-signs, and checks comments before showing them', async () => {
    const r = await api.call('POST', '/api/affairs/topics', {
      token: await api.login('resident'),
      body: { communityId: community.chunhui, title: '路灯', description: '短' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toMatchObject({ title: '标题至少 4 个字', description: '请把情况说清楚（至少 10 个字）' });
    const t = await api.call('POST', '/api/affairs/topics', {
      token: await api.login('resident'),
      body: { communityId: community.chunhui, title: '2号楼路灯坏了一个月', description: '2号楼西侧路灯坏了一个月，晚上回家看不清台阶，请尽快修。' },
    });
    expect(t.status).toBe(201);
    const topic = Topic.parse(t.body);
    // The title and description went through the content check before neighbours could see them.
    expect(topic.checkStatus).toBe('passed');
    expect((api.deps.contentCheck as ReturnType<typeof recordingContentCheck>).seen.some((x) => x.includes('2号楼路灯坏了一个月'))).toBe(true);
    const c = await api.call('POST', `/api/affairs/topics/${topic.id}/comments`, {
      token: await api.login('resident2'),
      body: { body: '我也经常摔跤，支持！' },
    });
    expect(c.status).toBe(201);
    expect(c.body.checkStatus).toBe('passed');
    const seen = Topic.parse((await api.call('GET', `/api/affairs/topics/${topic.id}`, { token: await api.login('volunteer') })).body);
    expect(seen.comments.map((x) => x.body)).toContain('我也经常摔跤，支持！');
    expect((await api.call('GET', `/api/affairs/topics/${topic.id}`, { token: await api.login('villager') })).status).toBe(404);
  });

  it('refuses a meeting without quorum with 409 and a Chinese message', async () => {
    const committee = await api.login('committee');
    const t = await api.call('POST', '/api/affairs/topics', {
      token: committee,
      body: { communityId: community.chunhui, title: '楼道堆物整治', description: '清理楼道堆物需要全体居民代表表决后执行。' },
    });
    await api.call('POST', `/api/affairs/topics/${t.body.id}/take-up`, { token: committee, body: { templateId: 'e1000000-0000-4000-8000-000000000001' } });
    await api.call('POST', `/api/affairs/topics/${t.body.id}/steps`, { token: committee, body: { minutes: '提议' } });
    await api.call('POST', `/api/affairs/topics/${t.body.id}/steps`, { token: committee, body: { minutes: '商议' } });
    const roster = (await api.call('GET', `/api/affairs/rosters/party_member?communityId=${community.chunhui}&limit=100`, { token: committee })).body.items;
    const r = await api.call('POST', `/api/affairs/topics/${t.body.id}/meetings`, {
      token: committee,
      body: { motion: '同意整治', attendeeIds: roster.slice(0, 6).map((p: { id: string }) => p.id), yes: 6, no: 0, abstain: 0 },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('三分之二');
  });
});
