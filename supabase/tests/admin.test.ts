import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import type { DbFunction } from '../../api/_lib/db.js';
import { createPgDb } from '../../api/_lib/db-pg.js';
import { community, persona } from '../../test/personas.js';

// Setting up a street: who may change what, imports (dry run, bad rows, idempotent, concurrent), claims by
// phone after consent, roles with history taking effect at once, residents moving, and dashboards that equal
// a recount of the records.

let t: Awaited<ReturnType<typeof testDb>>;
let wide: ReturnType<typeof createPgDb>;
beforeAll(async () => {
  t = await testDb();
  wide = createPgDb(t.url, 10);
});
afterAll(async () => {
  await wide.close();
  await t.close();
});

const street = '10000000-0000-4000-8000-000000000001';
const chunhui = community.chunhui;
const liutang = community.liutang;
const newCommunity = (who: Parameters<typeof t.as>[0], name = `新区${randomUUID().slice(0, 6)}`, more: Record<string, unknown> = {}) =>
  t.as(who)('save_community', {
    ...more,
    p_community_id: null,
    p_street_id: street,
    p_name: name,
    p_kind: 'community',
    p_address: '青石街道新华路 1 号',
    p_service_phone: '0731-0000 0000',
    p_service_hours: '工作日',
    p_cosign_threshold: 5,
    p_objection_days: 7,
  });
const rows = (n: number, building = '8号楼', over: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({
    row: i + 2,
    grid: '一网格',
    building,
    room: `${Math.floor(i / 2) + 1}01室`,
    name: `居民${String(i).padStart(3, '0')}`,
    phone: `139${String(10000000 + i).slice(0, 8)}`,
    relation: i % 2 ? '配偶' : '户主',
    ...over(i),
  }));
const imp = (who: Parameters<typeof t.as>[0], communityId: string, r: unknown[], dry: boolean) =>
  t.as(who)('import_households', { p_community_id: communityId, p_rows: r, p_dry_run: dry, p_sha256: 'a'.repeat(64) });
const count = async (sql: string, args: unknown[] = []) => (await t.sql(sql, args)).rows[0].n as number;

describe('structure', () => {
  it("only a street admin creates or edits communities; a committee sets up its own grids and buildings, not another community's", async () => {
    await expectRefused(newCommunity('committee'), 'admin.street_admin_only');
    await expectRefused(newCommunity('resident'), 'admin.street_admin_only');
    const c = await newCommunity('admin');
    expect(c).toMatchObject({ cosignThreshold: 5, objectionDays: 7, mayEditCommunity: true, counts: { households: 0 } });
    expect(await count(`select count(*)::int n from app.report_categories where community_id = $1`, [c.id])).toBe(6);
    await expectRefused(newCommunity('admin', c.name), 'admin.name_taken');
    await expectRefused(
      t.as('committee')('save_community', {
        p_community_id: chunhui,
        p_street_id: street,
        p_name: '春晖社区',
        p_kind: 'community',
        p_address: '',
        p_service_phone: '',
        p_service_hours: '',
        p_cosign_threshold: 3,
        p_objection_days: 7,
      }),
      'admin.street_admin_only',
    );
    const g = await t.as('committee')('save_grid', {
      p_community_id: chunhui,
      p_grid_id: null,
      p_name: '第三网格',
      p_description: '新建小区',
      p_archived: false,
    });
    await expectRefused(
      t.as('committee')('save_grid', { p_community_id: liutang, p_grid_id: null, p_name: '南片网格', p_description: '', p_archived: false }),
      'admin.community_not_found',
    );
    await expectRefused(
      t.as('village_committee')('save_building', { p_community_id: chunhui, p_building_id: null, p_grid_id: g.id, p_name: '9号楼' }),
      'admin.community_not_found',
    );
    await expectRefused(
      t.as('committee')('save_building', { p_community_id: chunhui, p_building_id: null, p_grid_id: '30000000-0000-4000-8000-000000000003', p_name: '9号楼' }),
      'admin.grid_not_found',
    ); // a grid of 柳塘村
    const b = await t.as('committee')('save_building', { p_community_id: chunhui, p_building_id: null, p_grid_id: g.id, p_name: '9号楼' });
    const moved = await t.as('committee')('save_building', {
      p_community_id: chunhui,
      p_building_id: b.id,
      p_grid_id: '30000000-0000-4000-8000-000000000001',
      p_name: '9号楼',
    });
    expect(moved.gridId).toBe('30000000-0000-4000-8000-000000000001');
    expect((await t.sql(`select action from app.audit_log where entity_id = $1 order by id`, [b.id])).rows.map((r) => r.action)).toEqual([
      'building.create',
      'building.move',
    ]);
    const archived = await t.as('admin')('archive_community', { p_community_id: c.id, p_archived: true });
    expect(archived.archivedAt).not.toBeNull();
    await expectRefused(t.as('committee')('archive_community', { p_community_id: chunhui, p_archived: true }), 'admin.street_admin_only');
  });
});

describe('importing households and residents', () => {
  it('in a dry run reports what would happen and writes nothing', async () => {
    const c = await newCommunity('admin');
    const before = await count(`select (select count(*) from app.households) + (select count(*) from app.roster_entries) + (select count(*) from app.grids)
      + (select count(*) from app.buildings) + (select count(*) from app.imports) as n`);
    const r = await imp('admin', c.id, rows(20), true);
    expect(r).toMatchObject({ dryRun: true, rows: 20, created: 20, refused: 0 });
    expect(r.details[0].reason).toContain('新建网格 一网格');
    expect(
      await count(`select (select count(*) from app.households) + (select count(*) from app.roster_entries) + (select count(*) from app.grids)
      + (select count(*) from app.buildings) + (select count(*) from app.imports) as n`),
    ).toBe(before);
  });

  it('reports exactly the 3 bad rows of 100 with their reasons, writes the rest, and changes nothing on a second run', async () => {
    const c = await newCommunity('admin');
    const sheet = rows(100, '8号楼', (i) =>
      i === 10 ? { building: '' } : i === 40 ? { phone: '1380000' } : i === 70 ? { phone: `139${String(10000000 + 69).slice(0, 8)}`, room: '35' + '01室' } : {},
    );
    // Row 70 repeats row 69's household and phone.
    sheet[70]!.room = sheet[69]!.room;
    const dry = await imp('admin', c.id, sheet, true);
    const refused = dry.details.filter((d: { action: string }) => d.action === 'refused');
    expect(refused.map((d: { row: number }) => d.row)).toEqual([12, 42, 72]);
    expect(refused.map((d: { reason: string }) => d.reason)).toEqual([
      expect.stringContaining('缺少楼栋'),
      expect.stringContaining('手机号格式不对'),
      expect.stringContaining('重复'),
    ]);
    const real = await imp('admin', c.id, sheet, false);
    expect(real).toMatchObject({ dryRun: false, refused: 3, created: 97 });
    expect(await count(`select count(*)::int n from app.roster_entries where community_id = $1`, [c.id])).toBe(97);
    const again = await imp('admin', c.id, sheet, false);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 97, refused: 3 });
    // A corrected sheet updates only what changed.
    sheet[10]!.building = '8号楼';
    sheet[5]!.name = '改名了';
    const fixed = await imp('admin', c.id, sheet, false);
    expect(fixed).toMatchObject({ created: 1, updated: 1, refused: 2 });
    expect(await count(`select count(*)::int n from app.roster_entries where community_id = $1 and name = '改名了'`, [c.id])).toBe(1);
    expect(await count(`select count(*)::int n from app.memberships where community_id = $1`, [c.id])).toBe(0); // a roster, not members
  });

  it('run twice at the same time creates each household once', async () => {
    const c = await newCommunity('admin');
    const sheet = rows(200, '6号楼');
    const call = () =>
      wide.rpc('import_households' as DbFunction, { p_community_id: c.id, p_rows: sheet, p_dry_run: false, p_sha256: 'b'.repeat(64) } as never, {
        kind: 'user',
        sub: persona.admin,
        token: '',
        claims: { sub: persona.admin, role: 'authenticated', sv: 1 } as never,
      });
    const [a, b] = (await Promise.all([call(), call()])) as [{ created: number; unchanged: number }, { created: number; unchanged: number }];
    expect(a.created + b.created).toBe(200);
    expect(a.unchanged + b.unchanged).toBe(200);
    expect(await count(`select count(*)::int n from app.households where community_id = $1`, [c.id])).toBe(100);
    expect(await count(`select count(*)::int n from app.roster_entries where community_id = $1`, [c.id])).toBe(200);
  });

  it("is refused for another community's committee and for residents", async () => {
    await expectRefused(imp('village_committee', chunhui, rows(1), true), 'admin.community_not_found');
    await expectRefused(imp('resident', chunhui, rows(1), true), 'admin.community_not_found');
  });

  it('makes a resident a member only after they sign in with that phone and have agreed to share it', async () => {
    const c = await newCommunity('admin');
    const me = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name, phone) values ($1, '新居民', '13912345678')`, [me]);
    await imp('admin', c.id, [{ row: 2, grid: '一网格', building: '1栋', room: '101', name: '孙新民', phone: '13912345678', relation: '户主' }], false);
    expect(await t.as(me)('claim_invitations')).toEqual({ residents: 0, roles: 0, rosters: 0 });
    await t.as(me)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
    expect(await t.as(me)('claim_invitations')).toEqual({ residents: 1, roles: 0, rosters: 0 });
    expect(await t.as(me)('claim_invitations')).toEqual({ residents: 0, roles: 0, rosters: 0 });
    const m = (await t.sql(`select role, household_id from app.memberships where profile_id = $1 and community_id = $2`, [me, c.id])).rows;
    expect(m).toHaveLength(1);
    expect(m[0].role).toBe('resident');
  });
});

describe('staff roles', () => {
  it('take effect at once, are withdrawn at once, and leave a history with who and why', async () => {
    // 陈晓雨 (volunteer persona, phone 13800001004) becomes grid worker of 第二网格.
    const granted = await t.as('committee')('grant_role', {
      p_community_id: chunhui,
      p_phone: '13800001004',
      p_name: '陈晓雨',
      p_role: 'grid_worker',
      p_grid_id: '30000000-0000-4000-8000-000000000002',
      p_title: '第二网格网格员',
    });
    expect(granted).toMatchObject({ granted: true, member: { role: 'grid_worker', gridName: '第二网格' } });
    expect((await t.as('volunteer')('get_grid_desk', { p_community_id: chunhui })).isWorker).toBe(true);
    await expectRefused(
      t.as('committee')('grant_role', {
        p_community_id: chunhui,
        p_phone: '13800001004',
        p_name: '陈晓雨',
        p_role: 'grid_worker',
        p_grid_id: '30000000-0000-4000-8000-000000000002',
        p_title: '',
      }),
      'admin.role_exists',
    );
    await expectRefused(
      t.as('committee')('grant_role', { p_community_id: chunhui, p_phone: '13800001004', p_name: '陈晓雨', p_role: 'committee', p_grid_id: null, p_title: '' }),
      'admin.street_admin_only',
    );
    await expectRefused(
      t.as('village_committee')('grant_role', {
        p_community_id: chunhui,
        p_phone: '13800001004',
        p_name: '陈晓雨',
        p_role: 'clerk',
        p_grid_id: null,
        p_title: '',
      }),
      'admin.community_not_found',
    );
    await expectRefused(t.as('committee')('withdraw_role', { p_membership_id: granted.member.membershipId, p_reason: '' }), 'admin.reason_required');
    await t.as('committee')('withdraw_role', { p_membership_id: granted.member.membershipId, p_reason: '调去社区窗口' });
    // The very next call no longer has the role.
    expect((await t.as('volunteer')('get_grid_desk', { p_community_id: chunhui })).isWorker).toBe(false);
    const h = (
      await t.sql(`select role, ended_at is not null as ended, end_reason, note, ended_by from app.membership_history where membership_id = $1`, [
        granted.member.membershipId,
      ])
    ).rows;
    expect(h).toEqual([{ role: 'grid_worker', ended: true, end_reason: 'withdrawn', note: '调去社区窗口', ended_by: persona.committee }]);
    const page = await t.as('committee')('list_membership_history', { p_community_id: chunhui, p_limit: 5, p_cursor: null });
    expect(page.items[0]).toMatchObject({ role: 'grid_worker', endReason: 'withdrawn' });
  });

  it('invite someone without an account yet, who becomes staff on first sign-in with that phone', async () => {
    const invited = await t.as('admin')('grant_role', {
      p_community_id: liutang,
      p_phone: '13987654321',
      p_name: '柳新文',
      p_role: 'clerk',
      p_grid_id: null,
      p_title: '代办员',
    });
    expect(invited).toEqual({ granted: false, invited: true, member: null });
    const p = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name, phone) values ($1, '柳新文', '13987654321')`, [p]);
    await t.as(p)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
    expect(await t.as(p)('claim_invitations')).toEqual({ residents: 0, roles: 1, rosters: 0 });
    expect(await count(`select count(*)::int n from app.memberships where profile_id = $1 and community_id = $2 and role = 'clerk'`, [p, liutang])).toBe(1);
  });

  it('residents moving keep their history and records', async () => {
    const m = (await t.sql(`select id from app.memberships where profile_id = $1 and role = 'resident'`, [persona.resident2])).rows[0].id;
    await expectRefused(
      t.as('committee')('end_residence', { p_membership_id: m, p_reason: 'moved_household', p_note: '', p_new_household_id: null }),
      'admin.household_not_found',
    );
    const moved = await t.as('committee')('end_residence', {
      p_membership_id: m,
      p_reason: 'moved_household',
      p_note: '换到 1 号楼',
      p_new_household_id: '50000000-0000-4000-8000-000000000001',
    });
    expect(moved.member).toMatchObject({ role: 'resident', address: '1号楼 2单元301' });
    await expectRefused(
      t.as('village_committee')('end_residence', { p_membership_id: moved.member.membershipId, p_reason: 'moved_out', p_note: '' }),
      'admin.member_not_found',
    );
    await t.as('committee')('end_residence', { p_membership_id: moved.member.membershipId, p_reason: 'moved_out', p_note: '搬去外地' });
    expect(await count(`select count(*)::int n from app.memberships where profile_id = $1 and community_id = $2`, [persona.resident2, chunhui])).toBe(0);
    expect(
      (
        await t.sql(`select end_reason from app.membership_history where profile_id = $1 and community_id = $2 order by id`, [persona.resident2, chunhui])
      ).rows.map((r) => r.end_reason),
    ).toEqual(['moved_household', 'moved_out']);
    // Their report of last month is still theirs.
    expect(await count(`select count(*)::int n from app.grid_reports where reporter_id = $1`, [persona.resident2])).toBeGreaterThan(0);
  });
});

/** A resident of `communityId` in their own household (imported, signed in with that phone, consented). */
async function residentIn(communityId: string, phone: string, room: string, name = '新居民') {
  await imp('admin', communityId, [{ row: 2, grid: '一网格', building: '9栋', room, name, phone, relation: '户主' }], false);
  const id = randomUUID();
  await t.sql(`insert into app.profiles (id, display_name, phone) values ($1, $2, $3)`, [id, name, phone]);
  await t.as(id)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
  await t.as(id)('claim_invitations');
  return id;
}
const roster = (who: Parameters<typeof t.as>[0], communityId: string, r: unknown[], dry: boolean) =>
  t.as(who)('import_roster', { p_community_id: communityId, p_rows: r, p_dry_run: dry, p_sha256: 'b'.repeat(64) });
const tags = async (communityId: string) =>
  (
    await t.sql(`select p.phone, t.tag from app.member_tags t join app.profiles p on p.id = t.profile_id where t.community_id = $1 order by 1, 2`, [
      communityId,
    ])
  ).rows.map((r) => `${r.phone}:${r.tag}`);

describe('importing 代表 and 党员 rosters', () => {
  it('puts residents on the roster on confirmation only, reports bad rows, and changes nothing the second time', async () => {
    const c = await newCommunity('admin');
    await residentIn(c.id, '13911110001', '101', '周代表');
    await residentIn(c.id, '13911110002', '102', '吴党员');
    const sheet = [
      { row: 2, name: '周代表', phone: '13911110001', roster: '居民代表' },
      { row: 3, name: '周代表', phone: '13911110001', roster: '党员' },
      { row: 4, name: '吴党员', phone: '13911110002', roster: '党员' },
      { row: 5, name: '郑未来', phone: '13911110003', roster: '居民代表' },
      { row: 6, name: '王错号', phone: '1391111', roster: '党员' },
      { row: 7, name: '钱某', phone: '13911110004', roster: '团员' },
      { row: 8, name: '周代表', phone: '13911110001', roster: '居民代表' },
    ];
    const dry = await roster('admin', c.id, sheet, true);
    expect(dry).toMatchObject({ dryRun: true, rows: 7, created: 4, refused: 3 });
    expect(dry.details.filter((d: { action: string }) => d.action === 'refused').map((d: { row: number; reason: string }) => [d.row, d.reason])).toEqual([
      [6, '手机号格式不对：1391111'],
      [7, '名册应为 居民代表、村民代表 或 党员：团员'],
      [8, '与前面的行重复（同一名册、同一手机号）'],
    ]);
    expect(await tags(c.id)).toEqual([]);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1`, [c.id])).toBe(0);

    await roster('admin', c.id, sheet, false);
    expect(await tags(c.id)).toEqual(['13911110001:party_member', '13911110001:representative', '13911110002:party_member']);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1 and claimed_at is null`, [c.id])).toBe(1);
    expect(await count(`select count(*)::int n from app.audit_log where community_id = $1 and action = 'import.roster'`, [c.id])).toBe(1);
    const again = await roster('admin', c.id, sheet, false);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, refused: 3 });
    expect((await t.as('admin')('get_community_setup', { p_community_id: c.id })).counts).toMatchObject({
      representatives: 1,
      partyMembers: 2,
      pendingRosterTags: 1,
    });

    // The next sheet of 党员 leaves 吴 out: the dry run says so, the import takes them off; the 代表 roster is untouched.
    const next = [{ row: 2, name: '周代表', phone: '13911110001', roster: '党员' }];
    const preview = await roster('admin', c.id, next, true);
    expect(preview.details).toEqual([expect.objectContaining({ row: 0, action: 'update', reason: expect.stringContaining('移出党员名册') })]);
    await roster('admin', c.id, next, false);
    expect(await tags(c.id)).toEqual(['13911110001:party_member', '13911110001:representative']);
  });

  it('adds someone on the sheet once they sign in with that phone and are a resident there', async () => {
    const c = await newCommunity('admin');
    await roster('admin', c.id, [{ row: 2, name: '郑未来', phone: '13911120001', roster: '居民代表' }], false);
    // Signed in and consented, but not yet a resident of that community: nothing yet.
    const p = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name, phone) values ($1, '郑未来', '13911120001')`, [p]);
    await t.as(p)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
    expect(await t.as(p)('claim_invitations')).toEqual({ residents: 0, roles: 0, rosters: 0 });
    // Their household is imported with the same phone: the next sign-in makes them resident and representative.
    await imp('admin', c.id, [{ row: 2, grid: '一网格', building: '9栋', room: '301', name: '郑未来', phone: '13911120001', relation: '户主' }], false);
    expect(await t.as(p)('claim_invitations')).toEqual({ residents: 1, roles: 0, rosters: 1 });
    expect(await tags(c.id)).toEqual(['13911120001:representative']);
    expect(await t.as(p)('claim_invitations')).toEqual({ residents: 0, roles: 0, rosters: 0 });
  });

  it('run four times at once lists each person once', async () => {
    const c = await newCommunity('admin');
    await residentIn(c.id, '13911130001', '101', '同时甲');
    const sheet = Array.from({ length: 50 }, (_, i) => ({
      row: i + 2,
      name: `名册${i}号`,
      phone: `139111300${String(i + 1).padStart(2, '0')}`,
      roster: '党员',
    }));
    const call = () =>
      wide.rpc('import_roster' as DbFunction, { p_community_id: c.id, p_rows: sheet, p_dry_run: false, p_sha256: 'c'.repeat(64) } as never, {
        kind: 'user',
        sub: persona.admin,
        token: '',
        claims: { sub: persona.admin, role: 'authenticated', sv: 1 } as never,
      });
    const results = (await Promise.all([call(), call(), call(), call()])) as Array<{ created: number; unchanged: number }>;
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(50);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1 and claimed_at is null`, [c.id])).toBe(49);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1`, [c.id])).toBe(50);
    expect(await tags(c.id)).toEqual(['13911130001:party_member']);
  });

  it('takes nobody off while some rows could not be read, and says who would have come off', async () => {
    const c = await newCommunity('admin');
    const zhou = await residentIn(c.id, '13911140001', '101', '周留任');
    await roster('admin', c.id, [{ row: 2, name: '周留任', phone: '13911140001', roster: '党员' }], false);
    await roster('admin', c.id, [{ row: 2, name: '郑等待', phone: '13911140002', roster: '党员' }], false);
    expect(await tags(c.id)).toEqual([]); // 郑 is pending only, and 周 came off: that sheet was the whole roster
    await roster(
      'admin',
      c.id,
      [
        { row: 2, name: '周留任', phone: '13911140001', roster: '党员' },
        { row: 3, name: '郑等待', phone: '13911140002', roster: '党员' },
      ],
      false,
    );
    expect(await tags(c.id)).toEqual(['13911140001:party_member']);
    // 周's number mistyped on the next sheet: 周 stays, and so does 郑's line.
    const typo = [
      { row: 2, name: '周留任', phone: '1391114000', roster: '党员' },
      { row: 3, name: '郑等待', phone: '13911140002', roster: '党员' },
      { row: 4, name: '郑等待', phone: '13911140002', roster: '党员' },
    ];
    const dry = await roster('admin', c.id, typo, true);
    expect(dry).toMatchObject({ created: 0, updated: 0, unchanged: 1, refused: 2 });
    expect(dry.details.filter((d: { row: number }) => d.row === 0)).toEqual([
      expect.objectContaining({ action: 'refused', reason: expect.stringContaining('暂不移出') }),
    ]);
    await roster('admin', c.id, typo, false);
    expect(await tags(c.id)).toEqual(['13911140001:party_member']);
    // A repeated line alone does not hold removals back: the corrected sheet without 周 takes 周 off.
    await roster('admin', c.id, typo.slice(1), false);
    expect(await tags(c.id)).toEqual([]);
    expect(
      await count(`select count(*)::int n from app.audit_log where community_id = $1 and action in ('roster.add', 'roster.remove') and on_behalf_of = $2`, [
        c.id,
        zhou,
      ]),
    ).toBe(4);
    expect(await count(`select count(*)::int n from app.audit_log where community_id = $1 and action = 'roster.register'`, [c.id])).toBe(1);
  });

  it('matches a person by the number they were listed under after they withdraw their phone, and lists the number again later', async () => {
    const c = await newCommunity('admin');
    const wu = await residentIn(c.id, '13911150001', '101', '吴撤回');
    const sheet = [{ row: 2, name: '吴撤回', phone: '13911150001', roster: '居民代表' }];
    await roster('admin', c.id, sheet, false);
    await t.as(wu)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: false });
    expect((await t.sql(`select phone from app.profiles where id = $1`, [wu])).rows[0].phone).toBeNull();
    // The same sheet: still on the roster, nothing pending.
    expect(await roster('admin', c.id, sheet, false)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await count(`select count(*)::int n from app.member_tags where community_id = $1 and profile_id = $2`, [c.id, wu])).toBe(1);
    // A sheet without them: off, by the number they were listed under.
    await roster('admin', c.id, [{ row: 2, name: '冯新任', phone: '13911150002', roster: '居民代表' }], false);
    expect(await count(`select count(*)::int n from app.member_tags where community_id = $1 and profile_id = $2`, [c.id, wu])).toBe(0);
    // Listed again: the line waits, and joins them when they share the number again.
    expect(await roster('admin', c.id, sheet, false)).toMatchObject({ created: 1 });
    await t.as(wu)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
    await t.sql(`update app.profiles set phone = '13911150001' where id = $1`, [wu]);
    expect(await t.as(wu)('claim_invitations')).toMatchObject({ rosters: 1 });
    expect(await count(`select count(*)::int n from app.member_tags where community_id = $1 and profile_id = $2`, [c.id, wu])).toBe(1);

    // A claimed line whose person left the roster some other way is opened again by the next sheet.
    await t.sql(`delete from app.member_tags where community_id = $1 and profile_id = $2`, [c.id, wu]);
    await t.sql(`update app.profiles set phone = null where id = $1`, [wu]);
    expect(await roster('admin', c.id, sheet, true)).toMatchObject({ created: 1, unchanged: 0 });
    await roster('admin', c.id, sheet, false);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1 and claimed_at is null`, [c.id])).toBe(1);

    // Someone on the roster whose number we never knew is not taken off by a sheet; the dry run says so.
    const old = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name) values ($1, '老代表')`, [old]);
    await t.sql(`insert into app.member_tags (profile_id, community_id, tag) values ($1, $2, 'representative')`, [old, c.id]);
    const dry = await roster('admin', c.id, sheet, true);
    expect(dry.details).toEqual([expect.objectContaining({ row: 0, action: 'refused', reason: expect.stringContaining('无法与表核对') })]);
    await roster('admin', c.id, sheet, false);
    expect(await count(`select count(*)::int n from app.member_tags where community_id = $1 and profile_id = $2`, [c.id, old])).toBe(1);
  });

  it('takes someone who moves out off the rosters, and an account deleted takes its claimed lines with it', async () => {
    const c = await newCommunity('admin');
    const li = await residentIn(c.id, '13911160001', '101', '李搬走');
    const he = await residentIn(c.id, '13911160002', '102', '何注销');
    await roster(
      'admin',
      c.id,
      [
        { row: 2, name: '李搬走', phone: '13911160001', roster: '居民代表' },
        { row: 3, name: '李搬走', phone: '13911160001', roster: '党员' },
        { row: 4, name: '何注销', phone: '13911160002', roster: '党员' },
      ],
      false,
    );
    const m = (await t.sql(`select id from app.memberships where profile_id = $1 and community_id = $2`, [li, c.id])).rows[0].id;
    await t.as('admin')('end_residence', { p_membership_id: m, p_reason: 'moved_out', p_note: '搬去外地' });
    expect(await tags(c.id)).toEqual(['13911160002:party_member']);
    expect((await t.sql(`select detail from app.audit_log where community_id = $1 and action = 'resident.moved_out'`, [c.id])).rows[0].detail.rosters).toEqual([
      'party_member',
      'representative',
    ]);
    expect(await count(`select count(*)::int n from app.roster_tag_entries where community_id = $1 and claimed_by = $2`, [c.id, li])).toBe(0);

    const obligations = (await t.as(he)('get_my_obligations')).count;
    await t.as(he)('delete_my_account', { p_obligations: obligations });
    for (const table of ['roster_entries', 'roster_tag_entries']) {
      expect(await count(`select count(*)::int n from app.${table} where claimed_by = $1 or phone = '13911160002'`, [he])).toBe(0);
    }
    expect(await tags(c.id)).toEqual([]);
  });

  it('locks nothing in a dry run, and a move out waits for an import of the same community', async () => {
    const c = await newCommunity('admin');
    const sheet = [{ row: 2, name: '林等候', phone: '13911170001', roster: '党员' }];
    await roster('admin', c.id, sheet, false);
    const lin = await residentIn(c.id, '13911170001', '101', '林等候'); // claims the line on signing in
    expect(await tags(c.id)).toEqual(['13911170001:party_member']);
    await t.sql(`delete from app.member_tags where community_id = $1`, [c.id]);
    await t.sql(`update app.roster_tag_entries set claimed_by = null, claimed_at = null where community_id = $1`, [c.id]);
    const pending = { p_community_id: c.id, p_rows: sheet, p_sha256: 'd'.repeat(64) };
    const asAdmin = async (client: import('pg').PoolClient) => {
      await client.query('begin');
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: persona.admin, role: 'authenticated', sv: 1 }),
      ]);
    };
    // A dry run left open: a sign-in meanwhile still claims its line.
    const a = await t.pool.connect();
    try {
      await asAdmin(a);
      await a.query(`select public.import_roster($1, $2::jsonb, true, $3)`, [pending.p_community_id, JSON.stringify(sheet), pending.p_sha256]);
      expect(await t.as(lin)('claim_invitations')).toMatchObject({ rosters: 1 });
      await a.query('rollback');
    } finally {
      a.release();
    }
    // An import left open: moving the person out waits for it, then takes them off the roster.
    const b = await t.pool.connect();
    try {
      await asAdmin(b);
      await b.query(`select public.import_roster($1, $2::jsonb, false, $3)`, [pending.p_community_id, JSON.stringify(sheet), pending.p_sha256]);
      const m = (await t.sql(`select id from app.memberships where profile_id = $1 and community_id = $2`, [lin, c.id])).rows[0].id;
      let settled = false;
      const move = t
        .as('admin')('end_residence', { p_membership_id: m, p_reason: 'moved_out', p_note: '搬走' })
        .finally(() => {
          settled = true;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await b.query('commit');
      await move;
    } finally {
      b.release();
    }
    expect(await tags(c.id)).toEqual([]);
  });

  it("is refused for another community's committee and for residents", async () => {
    const line = [{ row: 2, name: '周代表', phone: '13911110001', roster: '居民代表' }];
    await expectRefused(roster('village_committee', chunhui, line, true), 'admin.community_not_found');
    await expectRefused(roster('resident', chunhui, line, true), 'admin.community_not_found');
  });
});

describe("a resident's points when they move out", () => {
  /** A household of two in a new community with this rule; the first has 80 spendable and 5 pending points. */
  async function family(rule: string) {
    const c = await newCommunity('admin', `积分${randomUUID().slice(0, 6)}`, { p_points_on_move_out: rule });
    expect(c.pointsOnMoveOut).toBe(rule);
    const n = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
    const mover = await residentIn(c.id, `13700${n}`, '501', '迁出人');
    await imp('admin', c.id, [{ row: 2, grid: '一网格', building: '9栋', room: '501', name: '留下人', phone: `13600${n}`, relation: '配偶' }], false);
    const stays = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name, phone) values ($1, '留下人', $2)`, [stays, `13600${n}`]);
    await t.as(stays)('record_consent', { p_purpose: 'phone_number', p_version: '1', p_granted: true });
    await t.as(stays)('claim_invitations');
    await t.sql(
      `insert into app.point_publications (community_id, month, objection_days, published_by, window_closes_at) values ($1, '2000-01-01', 0, $2, '2000-01-02')`,
      [c.id, persona.committee],
    );
    await t.sql(`insert into app.point_accounts (profile_id, community_id, balance) values ($1, $2, 85)`, [mover, c.id]);
    await t.sql(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month)
       values ($1, $2, 80, 'award', '早年服务', 'k1', '2000-01-01'), ($1, $2, 5, 'service', '本月服务', 'k2', date_trunc('month', now())::date)`,
      [mover, c.id],
    );
    const membership = (await t.sql(`select id from app.memberships where profile_id = $1 and community_id = $2`, [mover, c.id])).rows[0].id;
    return { c, mover, stays, membership };
  }
  const balance = async (p: string, c: string) =>
    (await t.sql(`select coalesce((select balance from app.point_accounts where profile_id = $1 and community_id = $2), 0) b`, [p, c])).rows[0].b as number;
  const ledgerMatches = async (c: string) =>
    count(
      `select count(*)::int n from app.point_accounts a
        where a.community_id = $1 and a.balance <> (select coalesce(sum(e.delta), 0) from app.point_entries e where e.profile_id = a.profile_id and e.community_id = a.community_id)`,
      [c],
    );

  it('transfers the spendable points to the one left in the household, leaving pending points, as two ledger entries', async () => {
    const f = await family('transfer');
    const out = await t.as('admin')('end_residence', { p_membership_id: f.membership, p_reason: 'moved_out', p_note: '随子女去外地' });
    expect(out.points).toMatchObject({ rule: 'transfer', points: 80 });
    expect(await balance(f.mover, f.c.id)).toBe(5);
    expect(await balance(f.stays, f.c.id)).toBe(80);
    expect(await ledgerMatches(f.c.id)).toBe(0);
    expect(await count(`select count(*)::int n from app.point_entries where community_id = $1 and kind = 'transfer'`, [f.c.id])).toBe(2);
  });

  it('writes the spendable points off when the rule is to close, and keeps them when it is to keep', async () => {
    const closed = await family('close');
    expect((await t.as('admin')('end_residence', { p_membership_id: closed.membership, p_reason: 'deceased', p_note: '病故' })).points).toMatchObject({
      rule: 'close',
      points: 80,
      to: null,
    });
    expect(await balance(closed.mover, closed.c.id)).toBe(5);
    expect(await balance(closed.stays, closed.c.id)).toBe(0);
    expect(await ledgerMatches(closed.c.id)).toBe(0);

    const kept = await family('keep');
    expect((await t.as('admin')('end_residence', { p_membership_id: kept.membership, p_reason: 'moved_out', p_note: '搬走' })).points).toMatchObject({
      rule: 'keep',
      points: 0,
    });
    expect(await balance(kept.mover, kept.c.id)).toBe(85);
    // Long absence is not moving out: nothing moves.
  });

  it('refuses a rule that is not one of keep, transfer or close', async () => {
    await expectRefused(
      t.as('admin')('save_community', {
        p_community_id: chunhui,
        p_street_id: street,
        p_name: '春晖社区',
        p_kind: 'community',
        p_address: '',
        p_service_phone: '',
        p_service_hours: '',
        p_cosign_threshold: 10,
        p_objection_days: 7,
        p_points_on_move_out: 'give_to_committee',
      }),
      'core.invalid_input',
    );
  });
});

describe("a street's departments", () => {
  it('are listed with their contacts for its admins only', async () => {
    await t.as('admin')('save_department', { p_street_id: street, p_department_id: null, p_name: `供水所${randomUUID().slice(0, 4)}`, p_phone: '' });
    const page = await t.as('admin')('list_street_departments', { p_street_id: street, p_limit: 100, p_cursor: null });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items[0]).toHaveProperty('contacts');
    await expectRefused(t.as('committee')('list_street_departments', { p_street_id: street, p_limit: 10, p_cursor: null }), 'admin.street_admin_only');
    await expectRefused(t.as('resident')('list_street_departments', { p_street_id: street, p_limit: 10, p_cursor: null }), 'admin.street_admin_only');
  });

  it("let a street admin find a community's households to move a resident to", async () => {
    const page = await t.as('admin')('list_grid_households', { p_community_id: chunhui, p_q: '1号楼', p_limit: 10, p_cursor: null });
    expect(page.items.length).toBeGreaterThan(0);
    await expectRefused(t.as('resident')('list_grid_households', { p_community_id: chunhui, p_q: null, p_limit: 10, p_cursor: null }), 'core.forbidden');
  });
});

describe('dashboards', () => {
  const period = async () =>
    (
      await t.sql(`select (date_trunc('month', now() at time zone 'Asia/Shanghai') - interval '2 months')::date::text f,
    ((now() at time zone 'Asia/Shanghai')::date + 1)::text as t`)
    ).rows[0] as { f: string; t: string };

  it('equal a recount from the raw rows', async () => {
    const { f, t: to } = await period();
    const d = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: String(to).slice(0, 10), p_refresh: true });
    const fig = d.figures;
    const toDate = String(to).slice(0, 10);
    const inPeriod = `between ($2::date::timestamp at time zone 'Asia/Shanghai') and ($3::date::timestamp at time zone 'Asia/Shanghai') - interval '1 microsecond'`;
    const args = [chunhui, f, toDate];
    expect(fig.casesOpen).toBe(
      await count(`select count(*)::int n from app.applications where community_id = $1 and status::text in ('submitted','accepted','processing','returned')`, [
        chunhui,
      ]),
    );
    expect(fig.casesReceived).toBe(await count(`select count(*)::int n from app.applications where community_id = $1 and created_at ${inPeriod}`, args));
    expect(fig.reportsReceived).toBe(await count(`select count(*)::int n from app.grid_reports where community_id = $1 and created_at ${inPeriod}`, args));
    expect(fig.reportsOpen).toBe(
      await count(`select count(*)::int n from app.grid_reports where community_id = $1 and status in ('reported','accepted','in_progress')`, [chunhui]),
    );
    expect(fig.topicsRaised).toBe(await count(`select count(*)::int n from app.topics where community_id = $1 and created_at ${inPeriod}`, args));
    expect(fig.pointsOutstanding).toBe(await count(`select coalesce(sum(balance), 0)::int n from app.point_accounts where community_id = $1`, [chunhui]));
    expect(fig.pointsIssued).toBe(
      await count(
        `select coalesce(sum(delta), 0)::int n from app.point_entries where community_id = $1 and kind in ('service','award') and created_at ${inPeriod}`,
        args,
      ),
    );
    expect(fig.verificationsPending).toBe(
      await count(`select count(*)::int n from app.verification_requests where community_id = $1 and status = 'pending'`, [chunhui]),
    );
    expect(fig.residents).toBe(await count(`select count(*)::int n from app.memberships where community_id = $1 and role = 'resident'`, [chunhui]));
    expect(fig.casesCompleted).toBe(
      await count(
        `select count(*)::int n from app.applications a where a.community_id = $1 and a.status = 'completed'
            and (select max(e.at) from app.application_events e where e.application_id = a.id and e.to_status = 'completed') ${inPeriod}`,
        args,
      ),
    );
    const hours = (
      await t.sql(
        `select round(coalesce(sum(minutes), 0) / 60.0, 1)::float8 n from app.activity_signups where community_id = $1 and minutes is not null and confirmed_at ${inPeriod}`,
        args,
      )
    ).rows[0].n;
    expect(fig.volunteerHours).toBe(hours);
    // Households of the period's important notices (each notice's audience) that have not read it.
    const unread = await count(
      `select count(*)::int n from app.notices n join app.households h on h.community_id = n.community_id join app.buildings b on b.id = h.building_id
        where n.community_id = $1 and n.important and n.first_published_at ${inPeriod}
          and (n.audience_grid_ids is null or b.grid_id = any (n.audience_grid_ids))
          and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')
          and not exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.household_id = h.id)`,
      args,
    );
    expect(fig.importantUnreadHouseholds).toBe(unread);
    expect(unread).toBeGreaterThan(0);
    // The trend's months recount too (this month and the two before).
    const trend = (await t.as('committee')('get_dashboard_trend', { p_street_id: null, p_community_id: chunhui, p_months: 3 })) as Array<{
      month: string;
      casesCompleted: number;
      volunteerHours: number;
    }>;
    for (const m of trend) {
      const bounds = `between (($2 || '-01')::date::timestamp at time zone 'Asia/Shanghai') and ((($2 || '-01')::date + interval '1 month')::timestamp at time zone 'Asia/Shanghai') - interval '1 microsecond'`;
      expect(m.casesCompleted).toBe(
        await count(
          `select count(*)::int n from app.application_events e join app.applications a on a.id = e.application_id
            where a.community_id = $1 and e.to_status = 'completed' and e.at ${bounds}`,
          [chunhui, m.month],
        ),
      );
      const h = (
        await t.sql(
          `select round(coalesce(sum(minutes), 0) / 60.0, 1)::float8 n from app.activity_signups where community_id = $1 and confirmed_at ${bounds}`,
          [chunhui, m.month],
        )
      ).rows[0].n;
      expect(m.volunteerHours).toBe(h);
    }
    const byStatus = Object.values(fig.reportsByStatus as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(byStatus).toBe(fig.reportsReceived);
    expect(d.grids.reduce((n: number, g: { reportsReceived: number }) => n + g.reportsReceived, 0)).toBe(fig.reportsReceived);
    // A new report moves the figures by exactly one.
    await t.as('resident')('create_report', {
      p_community_id: chunhui,
      p_category: 'other',
      p_description: '小区里有一只流浪狗，晚上一直叫。',
      p_place_kind: 'household',
      p_building_id: null,
      p_place_id: null,
      p_latitude: null,
      p_longitude: null,
      p_place_text: '',
      p_anonymous: false,
      p_file_ids: [],
      p_idempotency_key: randomUUID(),
    });
    // The answer is kept for ten minutes (said by computedAt); asking for a refresh counts again.
    const kept = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate });
    expect(kept.computedAt).toBe(d.computedAt);
    expect(kept.figures.reportsReceived).toBe(fig.reportsReceived);
    // A refresh within a minute of the last count serves that count (pressing 重新计算 again costs nothing).
    const soon = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate, p_refresh: true });
    expect(soon.computedAt).toBe(d.computedAt);
    await t.sql(`update app.dashboard_snapshots set computed_at = computed_at - interval '2 minutes' where community_id = $1`, [chunhui]);
    const after = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate, p_refresh: true });
    expect(Date.parse(after.computedAt)).toBeGreaterThan(Date.parse(d.computedAt) - 120_000);
    expect(after.figures.reportsReceived).toBe(fig.reportsReceived + 1);
    expect(after.grids.reduce((n: number, g: { reportsReceived: number }) => n + g.reportsReceived, 0)).toBe(fig.reportsReceived + 1);
    expect(after.figures.reportsOpen).toBe(fig.reportsOpen + 1);
    // A case completed now counts once among the period's completions, with its handling time.
    const open = (await t.sql(`select id from app.applications where community_id = $1 and status = 'processing' order by created_at limit 1`, [chunhui]))
      .rows[0] as { id: string } | undefined;
    expect(open).toBeDefined();
    await t.as('clerk')('advance_application', { p_application_id: open!.id, p_to: 'completed', p_note: '已办结' });
    // Kept answers older than ten minutes are computed again without being asked.
    await t.sql(`update app.dashboard_snapshots set computed_at = now() - interval '11 minutes' where community_id = $1`, [chunhui]);
    const done = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate });
    expect(done.figures.casesCompleted).toBe(fig.casesCompleted + 1);
    expect(done.figures.averageHandlingDays).not.toBeNull();
  });

  it("are for the street's admins (all communities) and each community's overseers; the period is checked", async () => {
    const { f, t: to } = await period();
    const toDate = String(to).slice(0, 10);
    const s = await t.as('admin')('get_street_dashboard', { p_street_id: street, p_from: f, p_to: toDate, p_limit: 100, p_cursor: null });
    expect(s.items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['春晖社区', '柳塘村']));
    const ch = s.items.find((i: { name: string }) => i.name === '春晖社区');
    const own = await t.as('committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate });
    expect(ch.figures).toEqual(own.figures);
    await expectRefused(
      t.as('committee')('get_street_dashboard', { p_street_id: street, p_from: f, p_to: toDate, p_limit: 10, p_cursor: null }),
      'admin.street_admin_only',
    );
    await expectRefused(
      t.as('village_committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate }),
      'admin.community_not_found',
    );
    await expectRefused(t.as('resident')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate }), 'admin.community_not_found');
    await expectRefused(t.as('admin')('get_community_dashboard', { p_community_id: chunhui, p_from: toDate, p_to: f }), 'admin.period_invalid');
    // Refreshing the street's page computes every community on it again, in one go, and drops kept answers over a day old.
    await t.sql(
      `insert into app.dashboard_snapshots (community_id, kind, period_from, period_to, body, computed_at)
       values ($1, 'figures', '2001-01-01', '2001-02-01', '{}', now() - interval '2 days')`,
      [chunhui],
    );
    await t.sql(`update app.dashboard_snapshots set computed_at = computed_at - interval '2 minutes' where period_from = $1`, [f]);
    const again = await t.as('admin')('get_street_dashboard', {
      p_street_id: street,
      p_from: f,
      p_to: toDate,
      p_limit: 100,
      p_cursor: null,
      p_refresh: true,
    });
    expect(Date.parse(again.items.find((i: { name: string }) => i.name === '春晖社区').computedAt)).toBeGreaterThan(Date.parse(ch.computedAt) - 120_000);
    expect(again.items.find((i: { name: string }) => i.name === '春晖社区').figures).toEqual(ch.figures);
    expect(await count(`select count(*)::int n from app.dashboard_snapshots where period_from = '2001-01-01'`)).toBe(0);
    // A kept answer is no way round the check: it is made before anything kept is read.
    expect(await count(`select count(*)::int n from app.dashboard_snapshots where community_id = $1 and period_from = $2`, [chunhui, f])).toBeGreaterThan(0);
    await expectRefused(
      t.as('village_committee')('get_community_dashboard', { p_community_id: chunhui, p_from: f, p_to: toDate, p_refresh: false }),
      'admin.community_not_found',
    );
    const trend = await t.as('admin')('get_dashboard_trend', { p_street_id: street, p_community_id: null, p_months: 12 });
    expect(trend).toHaveLength(12);
    await expectRefused(t.as('committee')('get_dashboard_trend', { p_street_id: street, p_community_id: null, p_months: 12 }), 'admin.street_admin_only');
  });

  it('exports mask people for whoever does not manage them, and are audited', async () => {
    const { f, t: to } = await period();
    const toDate = String(to).slice(0, 10);
    const admin = await t.as('admin')('export_register', { p_community_id: chunhui, p_kind: 'members', p_from: f, p_to: toDate, p_limit: 1000, p_offset: 0 });
    const committee = await t.as('committee')('export_register', {
      p_community_id: chunhui,
      p_kind: 'members',
      p_from: f,
      p_to: toDate,
      p_limit: 1000,
      p_offset: 0,
    });
    const names = (x: { rows: Array<Record<string, string>> }) => x.rows.map((r) => r['姓名']);
    expect(names(committee)).toContain('张秀兰');
    expect(names(admin)).not.toContain('张秀兰');
    expect(names(admin)).toContain('张*兰');
    expect(JSON.stringify(admin)).not.toContain('13800001001');
    expect(JSON.stringify(committee)).not.toContain('13800001001');
    expect((await t.sql(`select actor_id from app.audit_log where action = 'export.members' order by id desc limit 1`)).rows[0].actor_id).toBe(
      persona.committee,
    );
    await expectRefused(
      t.as('resident')('export_register', { p_community_id: chunhui, p_kind: 'members', p_from: f, p_to: toDate, p_limit: 10, p_offset: 0 }),
      'admin.community_not_found',
    );
  });
});
