import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../api/_contracts/time.js';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb, userClaims } from '../../test/db.js';
import type { DbFunction } from '../../api/_lib/db.js';
import { createPgDb } from '../../api/_lib/db-pg.js';
import { community, persona } from '../../test/personas.js';

let t: Awaited<ReturnType<typeof testDb>>;
let wide: ReturnType<typeof createPgDb>; // many real connections for the concurrency tests
beforeAll(async () => {
  t = await testDb();
  wide = createPgDb(t.url, 100);
  // August was published and its objection window has closed: points earned then are available.
  await t.sql(
    `insert into app.point_publications (community_id, month, objection_days, published_by, published_at, window_closes_at)
               values ($1, '2026-08-01', 7, $2, '2026-09-02', '2026-09-09')`,
    [community.chunhui, persona.committee],
  );
});
afterAll(async () => {
  await wide.close();
  await t.close();
});

const chunhui = community.chunhui;
const asWide = (who: string) => (fn: string, args: Record<string, unknown>) =>
  wide.rpc(fn as DbFunction, args as never, { kind: 'user', sub: who, token: '', claims: userClaims(who) }) as Promise<any>;

/** Residents of 春晖社区 with `points` available each. */
async function residentsWithPoints(n: number, points: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await t.sql(`insert into app.profiles (id, display_name) select unnest($1::uuid[]), '兑换测试'`, [ids]);
  await t.sql(
    `insert into app.memberships (profile_id, community_id, role, household_id) select unnest($1::uuid[]), $2, 'resident', '50000000-0000-4000-8000-000000000004'`,
    [ids, chunhui],
  );
  await t.sql(`insert into app.point_accounts (profile_id, community_id, balance) select unnest($1::uuid[]), $2, $3`, [ids, chunhui, points]);
  await t.sql(
    `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month)
               select unnest($1::uuid[]), $2, $3, 'award', '八月奖励', 'aug-award', '2026-08-01'`,
    [ids, chunhui, points],
  );
  return ids;
}

async function goods(stock: number, price: number, limit: number | null = null) {
  const g = await t.as('clerk')('save_goods', {
    p_community_id: chunhui,
    p_goods_id: null,
    p_name: `测试商品${randomUUID().slice(0, 4)}`,
    p_description: '',
    p_picture_url: null,
    p_price_points: price,
    p_per_person_limit: limit,
    p_limit_period: 'month',
    p_available_from: null,
    p_available_until: null,
    p_on_shelf: true,
    p_pickup_days: 7,
    p_initial_stock: stock,
  });
  return g.id as string;
}
const redeem = (who: string, goodsId: string, key: string = randomUUID()) => asWide(who)('redeem_goods', { p_goods_id: goodsId, p_idempotency_key: key });
const invariants = async () => (await t.sql(`select app.mall_invariant_violations() v`)).rows[0].v;
const balanceOf = async (who: string) =>
  Number((await t.sql(`select balance from app.point_accounts where profile_id = $1 and community_id = $2`, [who, chunhui])).rows[0].balance);

describe('redeeming', () => {
  it('with stock 10 and 200 concurrent redemptions from different residents, exactly 10 succeed', async () => {
    const g = await goods(10, 20);
    const people = await residentsWithPoints(200, 50);
    const results = await Promise.allSettled(people.map((p) => redeem(p, g)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const out = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'mall.out_of_stock');
    expect(ok).toHaveLength(10);
    expect(out).toHaveLength(190);
    const row = (await t.sql(`select stock, reserved, handed_over, total_stocked from app.goods where id = $1`, [g])).rows[0];
    expect(row).toEqual({ stock: 0, reserved: 10, handed_over: 0, total_stocked: 10 });
    const spent = await t.sql(
      `select count(*)::int n from app.point_entries where kind = 'redemption' and reference like 'redemption:%' and profile_id = any($1)`,
      [people],
    );
    expect(spent.rows[0].n).toBe(10);
    expect(await invariants()).toEqual([]);
  });

  it('with enough points for 3 and 20 concurrent redemptions by one resident, exactly 3 succeed and the balance ends at its true value', async () => {
    const g = await goods(100, 10);
    const [p] = await residentsWithPoints(1, 30);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => redeem(p!, g)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'points.insufficient')).toBe(true);
    expect(await balanceOf(p!)).toBe(0);
    expect(await invariants()).toEqual([]);
  });

  it('holds the per-person limit under concurrency', async () => {
    const g = await goods(50, 5, 2);
    const [p] = await residentsWithPoints(1, 500);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => redeem(p!, g)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'mall.limit_reached')).toBe(true);
    expect(await balanceOf(p!)).toBe(490);
    expect(await invariants()).toEqual([]);
  });

  it('returns the same redemption for a retry with the same Idempotency-Key, even concurrently', async () => {
    const g = await goods(5, 10);
    const [p] = await residentsWithPoints(1, 100);
    const [a, b, c] = await Promise.all([redeem(p!, g, 'same-key-0001'), redeem(p!, g, 'same-key-0001'), redeem(p!, g, 'same-key-0001')]);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(a.pickupCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(await balanceOf(p!)).toBe(90);
  });

  it('spends only available points: pending points cannot be redeemed', async () => {
    const g = await goods(5, 85);
    // Seeds: the volunteer has 80 available and 20 pending (100 in all).
    await expectRefused(t.as('volunteer')('redeem_goods', { p_goods_id: g, p_idempotency_key: 'pending-try-1' }), 'points.insufficient');
    const stock = (await t.sql(`select stock from app.goods where id = $1`, [g])).rows[0].stock;
    expect(stock).toBe(5);
  });

  it('refuses off-shelf goods, other communities and non-residents', async () => {
    const g = await goods(5, 10);
    await t.sql(`update app.goods set on_shelf = false where id = $1`, [g]);
    await expectRefused(t.as('resident')('redeem_goods', { p_goods_id: g, p_idempotency_key: 'off-shelf-1' }), 'mall.not_available');
    await expectRefused(
      t.as('villager')('redeem_goods', { p_goods_id: 'c1000000-0000-4000-8000-000000000001', p_idempotency_key: 'other-comm-1' }),
      'mall.goods_not_found',
    );
    await expectRefused(
      t.as('clerk')('redeem_goods', { p_goods_id: 'c1000000-0000-4000-8000-000000000001', p_idempotency_key: 'clerk-try-1' }),
      'volunteer.resident_required',
    );
  });
});

describe('hand-over, cancel and expiry', () => {
  it('only a clerk of the good’s community hands over, and only once', async () => {
    const g = await goods(3, 10);
    const [p] = await residentsWithPoints(1, 100);
    const r = await redeem(p!, g);
    const villageClerk = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name) values ($1, '村文书')`, [villageClerk]);
    await t.sql(`insert into app.memberships (profile_id, community_id, role) values ($1, $2, 'clerk')`, [villageClerk, community.liutang]);
    await expectRefused(t.as(villageClerk)('hand_over_redemption', { p_pickup_code: r.pickupCode }), 'mall.redemption_not_found');
    await expectRefused(t.as('resident')('hand_over_redemption', { p_pickup_code: r.pickupCode }), 'mall.redemption_not_found');
    await expectRefused(t.as('committee')('hand_over_redemption', { p_pickup_code: r.pickupCode }), 'core.forbidden');
    const done = await t.as('clerk')('hand_over_redemption', { p_pickup_code: r.pickupCode.toLowerCase() });
    expect(done.status).toBe('handed_over');
    await expectRefused(t.as('clerk')('hand_over_redemption', { p_pickup_code: r.pickupCode }), 'mall.already_handed_over');
    await expectRefused(asWide(p!)('cancel_redemption', { p_redemption_id: r.id }), 'mall.redemption_closed');
    expect(await invariants()).toEqual([]);
  });

  it('refunds exactly once when expiry and cancel race', async () => {
    const g = await goods(5, 10);
    const people = await residentsWithPoints(5, 10);
    const rs = await Promise.all(people.map((p) => redeem(p, g)));
    await t.sql(`update app.redemptions set expires_at = now() - interval '1 second' where id = any($1)`, [rs.map((r) => r.id)]);
    const races = await Promise.allSettled([
      ...rs.map((r, i) => asWide(people[i]!)('cancel_redemption', { p_redemption_id: r.id })),
      wide.rpc('expire_redemptions', {}, { kind: 'service' }),
      wide.rpc('expire_redemptions', {}, { kind: 'service' }),
    ]);
    // Every redemption was closed by exactly one of the racers: a successful cancel or a counted expiry.
    const cancelled = races.slice(0, 5).filter((r) => r.status === 'fulfilled').length;
    const lostCancels = races.slice(0, 5).filter((r) => r.status === 'rejected');
    expect(lostCancels.every((r) => (r as PromiseRejectedResult).reason.code === 'mall.redemption_closed')).toBe(true);
    const expired = races.slice(5).reduce((n, r) => n + (r.status === 'fulfilled' ? (r.value as { expired: number }).expired : 0), 0);
    expect(cancelled + expired).toBe(5);
    for (const p of people) expect(await balanceOf(p)).toBe(10);
    const refunds = await t.sql(`select count(*)::int n from app.point_entries where kind = 'refund' and profile_id = any($1)`, [people]);
    expect(refunds.rows[0].n).toBe(5);
    const stock = (await t.sql(`select stock, reserved from app.goods where id = $1`, [g])).rows[0];
    expect(stock).toEqual({ stock: 5, reserved: 0 });
    expect(await invariants()).toEqual([]);
  });

  it('cannot hand over an expired redemption', async () => {
    const g = await goods(2, 10);
    const [p] = await residentsWithPoints(1, 10);
    const r = await redeem(p!, g);
    await t.sql(`update app.redemptions set expires_at = now() - interval '1 second' where id = $1`, [r.id]);
    await expectRefused(t.as('clerk')('hand_over_redemption', { p_pickup_code: r.pickupCode }), 'mall.redemption_closed');
    const e = await t.service('expire_redemptions');
    expect(e.expired).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(p!)).toBe(10);
  });

  it('lets only the redeemer cancel', async () => {
    const g = await goods(2, 10);
    const [p] = await residentsWithPoints(1, 10);
    const r = await redeem(p!, g);
    await expectRefused(t.as('resident')('cancel_redemption', { p_redemption_id: r.id }), 'mall.redemption_not_found');
  });
});

describe('goods and reports', () => {
  it('records restocks and corrections with reasons; residents and other communities cannot restock', async () => {
    const g = await goods(5, 10);
    await expectRefused(t.as('resident')('restock_goods', { p_goods_id: g, p_quantity: 5, p_reason: '补货' }), 'mall.goods_not_found');
    await expectRefused(t.as('village_committee')('restock_goods', { p_goods_id: g, p_quantity: 5, p_reason: '补货' }), 'mall.goods_not_found');
    await expectRefused(t.as('clerk')('restock_goods', { p_goods_id: g, p_quantity: 5, p_reason: '' }), 'core.invalid_input');
    await t.as('clerk')('restock_goods', { p_goods_id: g, p_quantity: 5, p_reason: '12月补货' });
    await t.as('committee')('restock_goods', { p_goods_id: g, p_quantity: -2, p_reason: '包装破损两件' });
    await expectRefused(t.as('clerk')('restock_goods', { p_goods_id: g, p_quantity: -100, p_reason: '盘点更正' }), 'mall.correction_below_reserved');
    const changes = await t.sql(`select delta, kind, reason from app.goods_stock_changes where goods_id = $1 order by id`, [g]);
    expect(changes.rows).toEqual([
      { delta: 5, kind: 'restock', reason: '首次上架' },
      { delta: 5, kind: 'restock', reason: '12月补货' },
      { delta: -2, kind: 'correction', reason: '包装破损两件' },
    ]);
    await expect(t.sql(`delete from app.goods_stock_changes where goods_id = $1`, [g])).rejects.toThrow(/core.append_only/);
    expect(await invariants()).toEqual([]);
  });

  it('reports what was handed out and what is outstanding, for staff only', async () => {
    const today = shanghaiDate();
    const rep = await t.as('committee')('get_mall_report', { p_community_id: chunhui, p_from: today, p_to: today });
    expect(rep.handedOverCount).toBeGreaterThanOrEqual(1);
    expect(rep.pointsConsumed).toBeGreaterThanOrEqual(10);
    expect(rep.outstanding).toBeGreaterThan(0);
    await expectRefused(t.as('resident')('get_mall_report', { p_community_id: chunhui, p_from: today, p_to: today }), 'core.forbidden');
    await expectRefused(t.as('village_committee')('get_mall_report', { p_community_id: chunhui, p_from: today, p_to: today }), 'core.forbidden');
  });

  it('keeps every invariant after all of the above', async () => {
    expect(await invariants()).toEqual([]);
  });
});
