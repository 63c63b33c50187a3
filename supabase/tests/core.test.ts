import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, testDb } from '../../test/db.js';
import { building, community, persona, verificationRequest } from '../../test/personas.js';

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

async function hasRole(who: Parameters<typeof t.sqlAs>[0], communityId: string, roles: string) {
  const r = await t.sqlAs<{ ok: boolean }>(who, `select app.has_role($1, $2::app.role[]) as ok`, [communityId, roles]);
  return r.rows[0]!.ok;
}

describe('app.has_role', () => {
  it('is true for a role the caller holds in that community', async () => {
    expect(await hasRole('resident', community.chunhui, '{resident}')).toBe(true);
    expect(await hasRole('committee', community.chunhui, '{committee,clerk}')).toBe(true);
  });
  it('is false for a role the caller does not hold', async () => {
    expect(await hasRole('resident', community.chunhui, '{committee,clerk}')).toBe(false);
  });
  it('is false in another community, even for the same role', async () => {
    expect(await hasRole('committee', community.liutang, '{committee}')).toBe(false);
    expect(await hasRole('villager', community.chunhui, '{resident}')).toBe(false);
  });
  it('counts a street admin as admin of every community under the street, and as nothing else', async () => {
    expect(await hasRole('admin', community.chunhui, '{admin}')).toBe(true);
    expect(await hasRole('admin', community.liutang, '{admin}')).toBe(true);
    expect(await hasRole('admin', community.liutang, '{committee}')).toBe(false);
  });
  it('is false for nobody (no claims)', async () => {
    const r = await t.sql<{ ok: boolean }>(`select app.has_role($1, '{resident}') as ok`, [community.chunhui]);
    expect(r.rows[0]!.ok).toBe(false);
  });
});

describe('auth.uid()', () => {
  it('reads the sub claim, and treats an empty setting as no one', async () => {
    const r = await t.sqlAs<{ uid: string }>('resident', 'select auth.uid() as uid');
    expect(r.rows[0]!.uid).toBe(persona.resident);
    const c = await t.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('request.jwt.claims', '{"sub":"${persona.resident}"}', true)`);
      await c.query('commit');
      // After the transaction the setting reads back as '' (not null).
      const after = await c.query<{ raw: string; uid: string | null }>(`select current_setting('request.jwt.claims', true) as raw, auth.uid() as uid`);
      expect(after.rows[0]!.raw).toBe('');
      expect(after.rows[0]!.uid).toBeNull();
    } finally {
      c.release();
    }
  });
});

describe('resident verification', () => {
  it('lets a person ask to join a community and household', async () => {
    const stranger = ((await t.service('upsert_wechat_profile', { p_openid: 'o_test_stranger_1' })) as { profile: { id: string } }).profile;
    const r = await t.as(stranger.id)('request_verification', {
      p_community_id: community.chunhui,
      p_building_id: building.chunhui3,
      p_room: '2单元402',
      p_real_name: '钱小梅',
      p_relation: '租户',
    });
    expect(r.status).toBe('pending');
    const me = await t.as(stranger.id)('get_me');
    expect(me.verifications[0].status).toBe('pending');
    expect(me.communities).toEqual([]);
  });

  it('refuses a second pending request to the same community', async () => {
    await expectRefused(
      t.as(persona.newcomer)('request_verification', {
        p_community_id: community.chunhui,
        p_building_id: building.chunhui1,
        p_room: '1单元101',
        p_real_name: '王建国',
        p_relation: '户主',
      }),
      'core.verification_pending',
    );
  });

  it('refuses a resident who is already verified there', async () => {
    await expectRefused(
      t.as('resident')('request_verification', {
        p_community_id: community.chunhui,
        p_building_id: building.chunhui1,
        p_room: '2单元301',
        p_real_name: '张秀兰',
        p_relation: '户主',
      }),
      'core.already_verified',
    );
  });

  it('refuses a building of another community', async () => {
    const s = ((await t.service('upsert_wechat_profile', { p_openid: 'o_test_stranger_2' })) as { profile: { id: string } }).profile;
    await expectRefused(
      t.as(s.id)('request_verification', {
        p_community_id: community.chunhui,
        p_building_id: building.liutangEast,
        p_room: '1号',
        p_real_name: '孙小明',
        p_relation: '户主',
      }),
      'core.building_not_found',
    );
  });

  it('stores a phone number only after its separate consent', async () => {
    const s = ((await t.service('upsert_wechat_profile', { p_openid: 'o_test_stranger_3' })) as { profile: { id: string } }).profile;
    const args = {
      p_community_id: community.chunhui,
      p_building_id: building.chunhui3,
      p_room: '3单元101',
      p_real_name: '冯志强',
      p_relation: '户主',
      p_phone: '13912345678',
    };
    await expectRefused(t.as(s.id)('request_verification', args), 'core.consent_required');
    await t.as(s.id)('record_consent', { p_purpose: 'phone_number', p_version: '2026-11-01', p_granted: true });
    const r = await t.as(s.id)('request_verification', args);
    // Staff see the number masked only.
    const queue = (await t.as('committee')('list_verification_requests', { p_community_id: community.chunhui })).items;
    const mine = queue.find((q: { id: string }) => q.id === r.id);
    expect(mine.phoneMasked).toBe('139****5678');
    expect(JSON.stringify(queue)).not.toContain('13912345678');
  });

  it('lets a committee member approve: the person becomes a resident of that household', async () => {
    const d = await t.as('committee')('decide_verification', { p_request_id: verificationRequest.newcomerChunhui, p_approve: true });
    expect(d.status).toBe('approved');
    const me = await t.as(persona.newcomer)('get_me');
    expect(me.communities).toHaveLength(1);
    expect(me.communities[0].roles).toEqual(['resident']);
    expect(me.communities[0].household.address).toBe('2号楼 3单元101');
    expect(me.profile.realName).toBe('王建国');
  });

  it('refuses deciding a request twice', async () => {
    await expectRefused(
      t.as('committee')('decide_verification', { p_request_id: verificationRequest.newcomerChunhui, p_approve: false, p_reason: '重复' }),
      'core.verification_decided',
    );
  });

  it('refuses a refusal without a reason', async () => {
    await expectRefused(
      t.as('committee')('decide_verification', { p_request_id: verificationRequest.newcomer2Chunhui, p_approve: false, p_reason: ' ' }),
      'core.reason_required',
    );
  });

  it('refuses a committee member of another community', async () => {
    await expectRefused(
      t.as('village_committee')('decide_verification', { p_request_id: verificationRequest.newcomer2Chunhui, p_approve: true }),
      'core.verification_not_found',
    );
    await expectRefused(
      t.as('committee')('decide_verification', { p_request_id: verificationRequest.newcomer2Liutang, p_approve: true }),
      'core.verification_not_found',
    );
  });

  it('refuses a resident, a clerk and a supervisor of the same community', async () => {
    for (const who of ['resident', 'clerk', 'supervisor'] as const) {
      await expectRefused(t.as(who)('decide_verification', { p_request_id: verificationRequest.newcomer2Chunhui, p_approve: true }), 'core.forbidden');
    }
  });

  it('lets the grid worker decide for buildings in their grid, and not in another grid', async () => {
    const s = ((await t.service('upsert_wechat_profile', { p_openid: 'o_test_stranger_4' })) as { profile: { id: string } }).profile;
    const other = await t.as(s.id)('request_verification', {
      p_community_id: community.chunhui,
      p_building_id: building.chunhui3,
      p_room: '1单元101',
      p_real_name: '卫红',
      p_relation: '户主',
    });
    await expectRefused(t.as('grid_worker')('decide_verification', { p_request_id: other.id, p_approve: true }), 'core.forbidden');
    const d = await t.as('grid_worker')('decide_verification', {
      p_request_id: verificationRequest.newcomer2Chunhui,
      p_approve: false,
      p_reason: '请带户口本到社区核对',
    });
    expect(d.status).toBe('refused');
    const me = await t.as(persona.newcomer2)('get_me');
    const refused = me.verifications.find((v: { id: string }) => v.id === verificationRequest.newcomer2Chunhui);
    expect(refused.reason).toBe('请带户口本到社区核对');
  });

  it('shows each person only the requests they may see', async () => {
    const asResident = (await t.as('resident')('list_verification_requests', { p_community_id: community.chunhui, p_status: null })).items;
    expect(asResident).toEqual([]);
    const asVillageCommittee = (await t.as('village_committee')('list_verification_requests', { p_community_id: community.chunhui, p_status: null })).items;
    expect(asVillageCommittee).toEqual([]);
    const asGridWorker = (await t.as('grid_worker')('list_verification_requests', { p_community_id: community.chunhui, p_status: null })).items;
    expect(asGridWorker.length).toBeGreaterThan(0);
    expect(asGridWorker.every((r: { gridName: string }) => r.gridName === '第一网格')).toBe(true);
  });

  it('lets a person withdraw only their own pending request', async () => {
    await expectRefused(t.as('resident')('withdraw_verification', { p_request_id: verificationRequest.newcomer2Liutang }), 'core.verification_not_found');
    const w = await t.as(persona.newcomer2)('withdraw_verification', { p_request_id: verificationRequest.newcomer2Liutang });
    expect(w.status).toBe('withdrawn');
  });
});

describe('personal data', () => {
  it('never lets another person read openid or the full phone number', async () => {
    await expect(t.sqlAs('committee', 'select phone from app.profiles')).rejects.toThrow(/permission denied/);
    await expect(t.sqlAs('committee', 'select wechat_openid from app.profiles')).rejects.toThrow(/permission denied/);
    const r = await t.sqlAs<{ phone_masked: string }>('committee', 'select phone_masked from app.profiles where id = $1', [persona.resident]);
    expect(r.rows[0]!.phone_masked).toBe('138****1001');
  });
  it('lets residents read no other resident profile', async () => {
    const r = await t.sqlAs('resident', 'select id from app.profiles');
    expect(r.rows.map((x) => x.id)).toEqual([persona.resident]);
  });
  it('shows a person their own phone number in full', async () => {
    const me = await t.as('resident')('get_me');
    expect(me.profile.phone).toBe('13800001001');
  });
  it('removes the stored phone number when its consent is withdrawn', async () => {
    await t.as('resident2')('record_consent', { p_purpose: 'phone_number', p_version: '2026-11-01', p_granted: false });
    const me = await t.as('resident2')('get_me');
    expect(me.profile.phone).toBeNull();
    expect(me.consents.phone_number.granted).toBe(false);
  });
});

describe('consents and the audit log', () => {
  it('keep consents append-only, even for the table owner', async () => {
    await t.as('resident')('record_consent', { p_purpose: 'privacy_policy', p_version: '2026-11-01', p_granted: true });
    await expect(t.sql(`update app.consents set granted = false`)).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.consents`)).rejects.toThrow(/core.append_only/);
  });
  it('keep the audit log append-only', async () => {
    await expect(t.sql(`delete from app.audit_log`)).rejects.toThrow(/core.append_only/);
  });
  it('record who decided a verification and for whom; supervisors read it, residents do not', async () => {
    const entries = (await t.as('supervisor')('list_audit_log', { p_community_id: community.chunhui })).items;
    const approve = entries.find((e: { action: string }) => e.action === 'verification.approve');
    expect(approve.entityId).toBe(verificationRequest.newcomerChunhui);
    expect(approve.actor).toBe('王*平');
    const raw = await t.sql(`select actor_id, on_behalf_of from app.audit_log where action = 'verification.approve'`);
    expect(raw.rows[0]).toEqual({ actor_id: persona.committee, on_behalf_of: persona.newcomer });
    expect((await t.as('resident')('list_audit_log', { p_community_id: community.chunhui })).items).toEqual([]);
    expect((await t.as('village_committee')('list_audit_log', { p_community_id: community.chunhui })).items).toEqual([]);
  });
});
