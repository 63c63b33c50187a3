import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { Application, ItemSummary, ServiceItem, Workbench } from '../../_contracts/hall.js';

let api: Awaited<ReturnType<typeof testApi>>;
let resident = '';
let clerk = '';
beforeAll(async () => {
  api = await testApi();
  resident = await api.login('resident');
  clerk = await api.login('clerk');
});
afterAll(async () => api.close());

const form = { name: '张秀兰', idNumber: '43010219520312002X', purpose: '办理居住证', proof: '房产证' };

describe('hall API', () => {
  it('GET /api/hall/items?q= searches the catalog', async () => {
    const r = await api.call('GET', `/api/hall/items?communityId=${community.chunhui}&q=${encodeURIComponent('居住证明')}`, { token: resident });
    expect(r.status).toBe(200);
    const items = r.body.items.map((i: unknown) => ItemSummary.parse(i));
    expect(items[0].name).toBe('居住证明');
    const item = ServiceItem.parse((await api.call('GET', `/api/hall/items/${items[0].id}`, { token: resident })).body);
    expect(item.materials).toContain('申请人身份证原件');
  });

  it('POST /api/hall/applications with Idempotency-Key → 201; a retry returns the same case', async () => {
    const body = { itemId: 'd1000000-0000-4000-8000-000000000001', formData: form };
    const a = await api.call('POST', '/api/hall/applications', { token: resident, body, headers: { 'idempotency-key': 'apply-0000001' } });
    expect(a.status).toBe(201);
    const b = await api.call('POST', '/api/hall/applications', { token: resident, body, headers: { 'idempotency-key': 'apply-0000001' } });
    expect(b.status).toBe(201);
    expect(Application.parse(b.body).id).toBe(a.body.id);
    const bad = await api.call('POST', '/api/hall/applications', {
      token: resident,
      body: { ...body, formData: { ...form, idNumber: '1' } },
      headers: { 'idempotency-key': 'apply-0000002' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'hall.field_invalid', message: '这一项填写的格式不对', fields: { idNumber: '这一项填写的格式不对' } });
  });

  it('GET /api/hall/applications/{id}: applicant and clerks only; anyone else gets 404', async () => {
    const mine = (await api.call('GET', '/api/hall/applications/mine', { token: resident })).body.items[0];
    expect((await api.call('GET', `/api/hall/applications/${mine.id}`, { token: resident })).status).toBe(200);
    expect((await api.call('GET', `/api/hall/applications/${mine.id}`, { token: clerk })).status).toBe(200);
    for (const who of ['resident2', 'villager', 'grid_worker']) {
      const r = await api.call('GET', `/api/hall/applications/${mine.id}`, { token: await api.login(who) });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('hall.application_not_found');
    }
  });

  it('steps with notes, refuses bad edges with 409, and shows the clerk workbench', async () => {
    const mine = (await api.call('GET', '/api/hall/applications/mine', { token: resident })).body.items[0];
    const noNote = await api.call('POST', `/api/hall/applications/${mine.id}/steps`, { token: clerk, body: { to: 'returned' } });
    expect(noNote.status).toBe(400);
    const jump = await api.call('POST', `/api/hall/applications/${mine.id}/steps`, { token: clerk, body: { to: 'completed' } });
    expect(jump.status).toBe(409);
    expect((await api.call('POST', `/api/hall/applications/${mine.id}/steps`, { token: resident, body: { to: 'accepted' } })).status).toBe(403);
    const w = Workbench.parse((await api.call('GET', `/api/hall/workbench?communityId=${community.chunhui}`, { token: clerk })).body);
    expect(w.cases).toBeGreaterThanOrEqual(1);
    const cases = (await api.call('GET', `/api/hall/workbench/cases?communityId=${community.chunhui}&limit=100`, { token: clerk })).body;
    expect(cases.items.map((x: { id: string }) => x.id)).toContain(mine.id);
    expect((await api.call('GET', `/api/hall/workbench/nope?communityId=${community.chunhui}`, { token: clerk })).status).toBe(400);
    expect((await api.call('GET', `/api/hall/workbench?communityId=${community.chunhui}`, { token: resident })).status).toBe(403);
  });
});
