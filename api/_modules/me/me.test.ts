import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { building, community, persona, verificationRequest } from '../../../test/personas.js';
import { Me, VerificationQueue, CommunityList } from '../../_contracts/core.js';

let api: Awaited<ReturnType<typeof testApi>>;
let resident = '';
let committee = '';
beforeAll(async () => {
  api = await testApi();
  resident = await api.login('resident');
  committee = await api.login('committee');
});
afterAll(async () => api.close());

const count = async (table: string) => (await api.db.sql(`select count(*)::int as n from ${table}`)).rows[0].n as number;

describe('GET /api/me', () => {
  it('returns who I am, my community, roles, household, grid worker and the privacy version, matching the contract', async () => {
    const r = await api.call('GET', '/api/me', { token: resident });
    expect(r.status).toBe(200);
    const me = Me.parse(r.body);
    expect(me.profile.realName).toBe('张秀兰');
    expect(me.profile.phoneMasked).toBe('138****1001');
    expect(me.communities).toHaveLength(1);
    expect(me.communities[0]).toMatchObject({ name: '春晖社区', kind: 'community', streetName: '青石街道', roles: ['resident'] });
    expect(me.communities[0]!.household?.address).toBe('1号楼 2单元301');
    expect(me.communities[0]!.gridWorker?.name).toBe('刘建华');
    expect(me.consents).toEqual({});
    expect(me.privacyPolicyVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows a street admin the street they administer', async () => {
    const me = Me.parse((await api.call('GET', '/api/me', { token: await api.login('admin') })).body);
    expect(me.adminOf).toEqual([{ streetId: '10000000-0000-4000-8000-000000000001', streetName: '青石街道' }]);
  });
});

describe('POST /api/me/consents', () => {
  it('records the privacy consent with its version; /me then reports it', async () => {
    const r = await api.call('POST', '/api/me/consents', { token: resident, body: { purpose: 'privacy_policy', version: '2026-11-01', granted: true } });
    expect(r.status).toBe(201);
    const me = Me.parse((await api.call('GET', '/api/me', { token: resident })).body);
    expect(me.consents.privacy_policy).toMatchObject({ version: '2026-11-01', granted: true });
  });

  it('rejects an unknown purpose with 400 and records nothing', async () => {
    const before = await count('app.consents');
    const r = await api.call('POST', '/api/me/consents', { token: resident, body: { purpose: 'sell_my_data', version: '1', granted: true } });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.purpose).toBe('授权类型不对');
    expect(await count('app.consents')).toBe(before);
  });
});

describe('verification through the API', () => {
  it('rejects bad input with Chinese field messages and writes nothing', async () => {
    const before = await count('app.verification_requests');
    const stranger = (await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oVerify_1' } })).body.token;
    const r = await api.call('POST', '/api/me/verifications', {
      token: stranger,
      body: { communityId: 'not-a-uuid', buildingId: building.chunhui1, room: '', realName: '张', relation: '邻居', phone: '12345' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields).toMatchObject({
      communityId: '编号格式不对',
      room: '请填写门牌号',
      realName: '请填写真实姓名',
      relation: '请选择与户主的关系',
      phone: '手机号格式不对',
    });
    expect(await count('app.verification_requests')).toBe(before);
  });

  it('lets a new WeChat user apply, and the committee approve from the queue', async () => {
    const stranger = (await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oVerify_2' } })).body.token;
    const created = await api.call('POST', '/api/me/verifications', {
      token: stranger,
      body: { communityId: community.chunhui, buildingId: building.chunhui3, room: '1单元202', realName: '褚文华', relation: '户主' },
    });
    expect(created.status).toBe(201);
    const queue = VerificationQueue.parse((await api.call('GET', `/api/staff/verifications?communityId=${community.chunhui}`, { token: committee })).body);
    expect(queue.items.map((q) => q.realName)).toContain('褚文华');
    const d = await api.call('POST', `/api/staff/verifications/${created.body.id}/decision`, { token: committee, body: { approve: true } });
    expect(d.status).toBe(200);
    const me = Me.parse((await api.call('GET', '/api/me', { token: stranger })).body);
    expect(me.communities[0]?.roles).toEqual(['resident']);
  });

  it('answers 409 for a second pending request', async () => {
    const r = await api.call('POST', '/api/me/verifications', {
      token: await api.login('villager'),
      body: { communityId: community.liutang, buildingId: building.liutangEast, room: '12号', realName: '赵满仓', relation: '户主' },
    });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'core.already_verified', message: '您已经是本社区认证居民了' });
  });

  it('refuses a resident deciding (403) and another community’s committee (404)', async () => {
    const asResident = await api.call('POST', `/api/staff/verifications/${verificationRequest.newcomer2Chunhui}/decision`, {
      token: resident,
      body: { approve: true },
    });
    expect(asResident.status).toBe(403);
    const asVillage = await api.call('POST', `/api/staff/verifications/${verificationRequest.newcomer2Chunhui}/decision`, {
      token: await api.login('village_committee'),
      body: { approve: true },
    });
    expect(asVillage.status).toBe(404);
    const row = await api.db.sql('select status from app.verification_requests where id = $1', [verificationRequest.newcomer2Chunhui]);
    expect(row.rows[0].status).toBe('pending');
  });

  it('requires a reason to refuse (400 before the database is asked)', async () => {
    const r = await api.call('POST', `/api/staff/verifications/${verificationRequest.newcomer2Chunhui}/decision`, {
      token: committee,
      body: { approve: false },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.fields.reason).toBe('请填写不通过的原因');
  });
});

describe('GET /api/communities', () => {
  it('lists communities, then the buildings of one, for the verification form', async () => {
    const r = await api.call('GET', '/api/communities', { token: resident });
    const list = CommunityList.parse(r.body);
    expect(list.items.map((c) => c.name).sort()).toEqual(['春晖社区', '柳塘村']);
    const liutang = list.items.find((c) => c.name === '柳塘村')!;
    const buildings = await api.call('GET', `/api/communities/${liutang.id}/buildings`, { token: resident });
    expect(buildings.body.items.map((b: { name: string }) => b.name)).toContain('东头组');
    const search = await api.call('GET', `/api/communities?q=${encodeURIComponent('柳塘')}`, { token: resident });
    expect(search.body.items.map((c: { name: string }) => c.name)).toEqual(['柳塘村']);
    const detail = await api.call('GET', `/api/communities/${liutang.id}`, { token: resident });
    expect(detail.body.grids.length).toBeGreaterThan(0);
  });
});

describe('GET /api/staff/audit-log', () => {
  it('shows supervisors what staff did, and residents nothing', async () => {
    await api.call('POST', `/api/staff/verifications/${verificationRequest.newcomerChunhui}/decision`, { token: committee, body: { approve: true } });
    const sup = await api.call('GET', `/api/staff/audit-log?communityId=${community.chunhui}`, { token: await api.login('supervisor') });
    expect(sup.status).toBe(200);
    expect(sup.body.items.some((e: { action: string }) => e.action === 'verification.approve')).toBe(true);
    const res = await api.call('GET', `/api/staff/audit-log?communityId=${community.chunhui}`, { token: resident });
    expect(res.body.items).toEqual([]);
    expect(persona.supervisor).toBeTruthy();
  });
});
