import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { verifyChain, type ChainExport } from '../../../miniapp/src/lib/chain.js';
import {
  AccessLog,
  ChainExportPage,
  MyData,
  Obligations,
  PublicChainEntry,
  PublicChainPage,
  PublicRecordRef,
  RetentionPolicy,
} from '../../_contracts/trust.js';
import { PUBLIC_RATE_LIMIT } from './routes.js';

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi({ CRON_SECRET: 'cron-secret-for-tests' });
});
afterAll(async () => api.close());

const { chunhui } = community;
const chain = `/api/public/chains/${chunhui}`;

describe('the public record chain over HTTP, without signing in', () => {
  it('shows the newest entries first with their content, and says what the head is', async () => {
    const r = await api.call('GET', `${chain}?limit=3`);
    expect(r.status).toBe(200);
    const page = PublicChainPage.parse(r.body);
    expect(page.community).toMatchObject({ id: chunhui, name: '春晖社区' });
    expect(page.items.map((e) => e.seq)).toEqual([page.head!.seq, page.head!.seq - 1, page.head!.seq - 2]);
    expect(page.items[0]!.content).toBeTruthy();
    const next = PublicChainPage.parse((await api.call('GET', `${chain}?limit=3&cursor=${page.nextCursor}`)).body);
    expect(next.items[0]!.seq).toBe(page.head!.seq - 3);
    expect((await api.call('GET', `/api/public/chains/${randomUUID()}`)).status).toBe(404);
    expect((await api.call('GET', '/api/public/chains/not-an-id')).status).toBe(400);
  });

  it("exports in pages that together make a file the checker finds intact; one entry and a record's entry by id", async () => {
    const pages: ChainExport[] = [];
    for (let from: number | null = 1; from !== null; ) {
      const r = await api.call('GET', `${chain}/export?fromSeq=${from}&limit=2`);
      expect(r.status).toBe(200);
      const page = ChainExportPage.parse(r.body);
      pages.push(page as ChainExport);
      from = page.nextFromSeq;
    }
    const file = { ...pages[0]!, entries: pages.flatMap((p) => p.entries) };
    expect(file.entries.length).toBe(file.head!.seq);
    expect(verifyChain(file)).toMatchObject({ ok: true, checked: file.head!.seq });
    expect((await api.call('GET', `${chain}/export?limit=501`)).status).toBe(400);

    const one = PublicChainEntry.parse((await api.call('GET', `${chain}/entries/1`)).body);
    expect(one.entry).toEqual(file.entries[0]);
    expect((await api.call('GET', `${chain}/entries/100000`)).status).toBe(404);
    const ref = await api.call('GET', `${chain}/records?kind=notice&recordId=a1000000-0000-4000-8000-000000000003:1`);
    expect(PublicRecordRef.parse(ref.body).entry.recordId).toBe('a1000000-0000-4000-8000-000000000003:1');
    expect((await api.call('GET', `${chain}/records?kind=notice&recordId=a1000000-0000-4000-8000-000000000002:1`)).status).toBe(404);
    expect((await api.call('GET', `${chain}/records?kind=nonsense&recordId=x`)).status).toBe(400);
  });

  it('publishes the retention rules', async () => {
    const r = RetentionPolicy.parse((await api.call('GET', '/api/public/retention')).body);
    expect(r.items.find((x) => x.kind === 'outbox')?.days).toBe(30);
  });
});

describe('my data, who looked at it, and deleting my account', () => {
  it('gives a signed-in person their data; nobody else', async () => {
    expect((await api.call('GET', '/api/me/data')).status).toBe(401);
    const data = MyData.parse((await api.call('GET', '/api/me/data', { token: await api.login('resident') })).body);
    expect(data.profile.realName).toBe('张秀兰');
  });

  it("shows a resident who read their case, and the community's log to the supervisor only", async () => {
    const resident = await api.login('resident');
    const c = await api.call('POST', '/api/hall/applications', {
      token: resident,
      headers: { 'idempotency-key': `k-${randomUUID()}` },
      body: { itemId: 'd1000000-0000-4000-8000-000000000001', formData: { name: '张秀兰', idNumber: '43010219520312002X', purpose: '就业', proof: '房产证' } },
    });
    expect(c.status).toBe(201);
    expect((await api.call('GET', `/api/hall/applications/${c.body.id}`, { token: await api.login('clerk') })).status).toBe(200);
    const mine = AccessLog.parse((await api.call('GET', '/api/me/access-log', { token: resident })).body);
    expect(mine.items[0]).toMatchObject({ what: 'case', role: 'clerk', entityId: c.body.id });
    const staff = await api.call('GET', `/api/staff/access-log?communityId=${chunhui}`, { token: await api.login('supervisor') });
    expect(AccessLog.parse(staff.body).items.some((x) => x.entityId === c.body.id)).toBe(true);
    expect((await api.call('GET', `/api/staff/access-log?communityId=${chunhui}`, { token: await api.login('committee') })).status).toBe(403);
    expect((await api.call('GET', `/api/staff/access-log?communityId=${chunhui}`, { token: await api.login('villager') })).status).toBe(404);
  });

  it('deletes an account only with the obligations the person saw; the token stops at once', async () => {
    const token = await api.login('resident2');
    const o = Obligations.parse((await api.call('GET', '/api/me/obligations', { token })).body);
    expect((await api.call('POST', '/api/me/delete-account', { token, body: { confirm: false, obligations: o.count } })).status).toBe(400);
    const stale = await api.call('POST', '/api/me/delete-account', { token, body: { confirm: true, obligations: o.count + 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('trust.obligations_changed');
    const done = await api.call('POST', '/api/me/delete-account', { token, body: { confirm: true, obligations: o.count } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ deleted: true });
    expect((await api.call('GET', '/api/me', { token })).status).toBe(401);
    expect((await api.call('POST', '/api/auth/dev', { body: { persona: 'resident2' } })).status).toBe(404);
  });
});

describe('scheduled jobs and limits', () => {
  it('run the chain and retention jobs through the cron route', async () => {
    const headers = { authorization: 'Bearer cron-secret-for-tests' };
    const chainJob = await api.call('GET', '/api/cron/public-records', { headers });
    expect(chainJob.status).toBe(200);
    expect(chainJob.body).toHaveProperty('appended');
    const retention = await api.call('GET', '/api/cron/retention', { headers });
    expect(retention.status).toBe(200);
    expect(Object.keys(retention.body).sort()).toEqual(['caseDetails', 'files', 'notifications', 'outbox', 'rateLimits', 'verifications']);
  });

  it('limits the public routes per client address', async () => {
    let status = 200;
    for (let i = 0; i <= PUBLIC_RATE_LIMIT && status === 200; i++) status = (await api.call('GET', '/api/public/retention')).status;
    expect(status).toBe(429);
    const r = await api.call('GET', `${chain}?limit=1`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
