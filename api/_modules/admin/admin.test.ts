import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { CommunitySetup, ImportResult, StreetDashboard } from '../../_contracts/admin.js';

// The spreadsheet side over HTTP: the template, .xlsx and GBK .csv uploads (dry run, then for real),
// sign-in turning a roster row into membership, and .xlsx exports.

let api: Awaited<ReturnType<typeof testApi>>;
let admin = '';
beforeAll(async () => {
  api = await testApi();
  admin = await api.login('admin');
});
afterAll(async () => api.close());

const street = '10000000-0000-4000-8000-000000000001';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(communityId: string, bytes: Buffer, name: string, dryRun: boolean, token = admin, kind = 'households') {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await api.app.request(`/api/admin/communities/${communityId}/imports?dryRun=${dryRun}&kind=${kind}`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function readSheet(bytes: ArrayBuffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const s = wb.worksheets[0]!;
  const out: string[][] = [];
  s.eachRow((r) => out.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return { name: s.name, rows: out };
}

describe('admin API', () => {
  let communityId = '';

  it("creates a community for the admin's street; a committee member may not", async () => {
    const body = {
      streetId: street,
      name: '新华社区',
      kind: 'community',
      address: '青石街道新华路 1 号',
      servicePhone: '0731-8452 9900',
      serviceHours: '工作日',
    };
    const r = await api.call('POST', '/api/admin/communities', { token: admin, body });
    expect(r.status).toBe(201);
    communityId = CommunitySetup.parse(r.body).id;
    const committee = await api.login('committee');
    expect((await api.call('POST', '/api/admin/communities', { token: committee, body: { ...body, name: '另一个社区' } })).status).toBe(403);
  });

  it("changes a community's settings for its street's admin; the committee of another community may not", async () => {
    const body = {
      streetId: street,
      name: '新华社区',
      kind: 'community',
      address: '青石街道新华路 1 号',
      servicePhone: '0731-8452 9900',
      serviceHours: '工作日 8:30–17:30',
      cosignThreshold: 15,
      objectionDays: 5,
    };
    const r = await api.call('PUT', `/api/admin/communities/${communityId}`, { token: admin, body });
    expect(r.status).toBe(200);
    expect(CommunitySetup.parse(r.body)).toMatchObject({ id: communityId });
    const back = (await api.call('GET', `/api/admin/communities/${communityId}`, { token: admin })).body as Record<string, unknown>;
    expect(JSON.stringify(back)).toContain('工作日 8:30–17:30');
    const villageCommittee = await api.login('village_committee');
    const refused = await api.call('PUT', `/api/admin/communities/${communityId}`, { token: villageCommittee, body: { ...body, name: '改名' } });
    expect([403, 404]).toContain(refused.status);
    expect(JSON.stringify((await api.call('GET', `/api/admin/communities/${communityId}`, { token: admin })).body)).not.toContain('改名');
  });

  it('offers a template that reads back as a valid sheet', async () => {
    const res = await api.app.request('/api/admin/templates/households', { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('导入模板'));
    const sheet = await readSheet(await res.arrayBuffer());
    expect(sheet.rows[0]).toEqual(['网格', '楼栋', '门牌号', '姓名', '手机号', '与户主关系']);
    // The template itself imports cleanly.
    const bytes = Buffer.from(
      await (await api.app.request('/api/admin/templates/households', { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer(),
    );
    const r = await upload(communityId, bytes, '模板.xlsx', true);
    expect(r.status).toBe(200);
    expect(ImportResult.parse(r.body)).toMatchObject({ rows: 3, refused: 0 });
  });

  it('imports an .xlsx: the dry run writes nothing, the real run writes, the same file again changes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('台账');
    s.addRow(['网格', '楼栋', '门牌号', '姓名', '手机号', '与户主关系']);
    s.addRow(['新一网格', '1栋', '101', '郑大民', '13911110001', '户主']);
    s.addRow(['新一网格', '1栋', '101', '郑小民', 13911110002, '子女']); // a phone typed as a number
    s.addRow(['新一网格', '', '102', '钱多多', '13911110003', '户主']); // no building
    s.addRow(['新二网格', '2栋', '201', '孙晓', '1391111', '户主']); // malformed phone
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const dry = await upload(communityId, bytes, '台账.xlsx', true);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 4, created: 2, refused: 2 });
    expect(dry.body.details.filter((d: { action: string }) => d.action === 'refused').map((d: { row: number }) => d.row)).toEqual([4, 5]);
    expect((await api.db.sql(`select count(*)::int n from app.households where community_id = $1`, [communityId])).rows[0].n).toBe(0);
    const real = await upload(communityId, bytes, '台账.xlsx', false);
    expect(real.body).toMatchObject({ dryRun: false, created: 2, refused: 2 });
    expect((await api.db.sql(`select count(*)::int n from app.roster_entries where community_id = $1`, [communityId])).rows[0].n).toBe(2);
    const again = await upload(communityId, bytes, '台账.xlsx', false);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('reads a .csv saved by Excel in UTF-8 or in GBK', async () => {
    const utf = await upload(
      communityId,
      Buffer.from('\uFEFF网格,楼栋,门牌号,姓名,手机号,与户主关系\r\n新二网格,3栋,301,冯春,13911110009,户主\r\n'),
      'utf8.csv',
      true,
    );
    expect(utf.body).toMatchObject({ rows: 1, created: 1, refused: 0 });
    // "楼栋,门牌号\r\n3栋,302\r\n" as Excel saves it on a Chinese Windows (GBK bytes).
    const gbk = Buffer.from('c2a5b6b02cc3c5c5c6bac50d0a33b6b02c3330320d0a', 'hex');
    const r = await upload(communityId, gbk, 'gbk.csv', true);
    expect(r.status).toBe(200);
    // Decoded correctly: the new building is named, and refused only because a new building needs its grid.
    expect(r.body).toMatchObject({ rows: 1, refused: 1 });
    expect(r.body.details[0]).toMatchObject({ building: '3栋', room: '302', reason: '新楼栋需要写明所在网格' });
  });

  it("refuses what is not a sheet, a sheet without our columns, another community's committee, and a resident", async () => {
    expect((await upload(communityId, Buffer.from('%PDF-1.4 not a sheet'), 'x.pdf', true)).status).toBe(400);
    expect((await upload(communityId, Buffer.from('a,b\r\n1,2\r\n'), 'x.csv', true)).body.error.code).toBe('admin.import_unreadable');
    const village = await api.login('village_committee');
    expect((await upload(community.chunhui, Buffer.from('楼栋,门牌号\r\n1号楼,101\r\n'), 'x.csv', true, village)).status).toBe(404);
    const resident = await api.login('resident');
    expect((await upload(community.chunhui, Buffer.from('楼栋,门牌号\r\n1号楼,101\r\n'), 'x.csv', true, resident)).status).toBe(404);
  });

  it('turns a roster row into membership when that person signs in having shared the number', async () => {
    // 陈晓雨 (volunteer persona, 13800001004) is on the new community's sheet.
    await upload(communityId, Buffer.from('网格,楼栋,门牌号,姓名,手机号\r\n新一网格,1栋,103,陈晓雨,13800001004\r\n'), 'x.csv', false);
    await api.db.sql(
      `insert into app.consents (profile_id, purpose, version, granted) select id, 'phone_number', '1', true from app.profiles where persona = 'volunteer'`,
    );
    const token = await api.login('volunteer');
    const me = (await api.call('GET', '/api/me', { token })).body;
    expect(me.communities.map((c: { name: string }) => c.name)).toContain('新华社区');
  });

  it('imports a 代表/党员 roster from its own template, and wants its own columns', async () => {
    const res = await api.app.request('/api/admin/templates/roster', { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect((await readSheet(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer)).rows[0]).toEqual(['姓名', '手机号', '名册']);
    const dry = await upload(communityId, bytes, '名册.xlsx', true, admin, 'roster');
    expect(dry.status).toBe(200);
    expect(ImportResult.parse(dry.body)).toMatchObject({ rows: 3, created: 3, refused: 0 });
    // A household sheet sent as a roster is refused by its columns, naming them.
    const wrong = await upload(communityId, Buffer.from('楼栋,门牌号\r\n1号楼,101\r\n'), 'x.csv', true, admin, 'roster');
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('名册');
    expect((await upload(communityId, bytes, '名册.xlsx', true, admin, 'people')).status).toBe(400);
    const village = await api.login('village_committee');
    expect((await upload(communityId, bytes, '名册.xlsx', true, village, 'roster')).status).toBe(404);
  });

  it("keeps a community's rule for points on moving out, and lists the street's departments for its admin only", async () => {
    const body = { streetId: street, name: '新华社区', kind: 'community', pointsOnMoveOut: 'transfer' };
    expect((await api.call('PUT', `/api/admin/communities/${communityId}`, { token: admin, body })).body.pointsOnMoveOut).toBe('transfer');
    expect((await api.call('PUT', `/api/admin/communities/${communityId}`, { token: admin, body: { ...body, pointsOnMoveOut: 'x' } })).status).toBe(400);
    const list = await api.call('GET', `/api/admin/streets/${street}/departments`, { token: admin });
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.items)).toBe(true);
    const committee = await api.login('committee');
    expect((await api.call('GET', `/api/admin/streets/${street}/departments`, { token: committee })).status).toBe(403);
  });

  it('exports the street dashboard and a register as .xlsx files, and audits the export', async () => {
    const period = 'from=2026-01-01&to=2027-01-01';
    const dash = await api.call('GET', `/api/admin/streets/${street}/dashboard?${period}`, { token: admin });
    expect(StreetDashboard.parse(dash.body).items.length).toBeGreaterThanOrEqual(3);
    const file = await api.app.request(`/api/admin/streets/${street}/dashboard/export?${period}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(file.headers.get('content-type')).toBe(XLSX);
    const sheet = await readSheet(await file.arrayBuffer());
    expect(sheet.rows[0]![0]).toBe('社区');
    expect(sheet.rows.map((r) => r[0])).toEqual(expect.arrayContaining(['春晖社区', '柳塘村', '新华社区']));
    expect((await api.db.sql(`select count(*)::int n from app.audit_log where action = 'export.street_dashboard'`)).rows[0].n).toBe(1);
    const members = await api.app.request(`/api/admin/communities/${community.chunhui}/export?kind=members&${period}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const m = await readSheet(await members.arrayBuffer());
    expect(m.rows.flat()).toContain('张*兰');
    expect(m.rows.flat().join()).not.toContain('13800001001');
    expect((await api.db.sql(`select count(*)::int n from app.audit_log where action = 'export.members'`)).rows[0].n).toBe(1);
    const resident = await api.login('resident');
    expect(
      (await api.app.request(`/api/admin/communities/${community.chunhui}/export?kind=members&${period}`, { headers: { authorization: `Bearer ${resident}` } }))
        .status,
    ).toBe(404);
  });
});
