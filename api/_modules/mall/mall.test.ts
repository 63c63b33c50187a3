import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../_contracts/time.js';
import { testApi } from '../../../test/api.js';
import { community } from '../../../test/personas.js';
import { Goods, MallReport, Redemption } from '../../_contracts/mall.js';

let api: Awaited<ReturnType<typeof testApi>>;
let volunteer = '';
let clerk = '';
beforeAll(async () => {
  api = await testApi({ CRON_SECRET: 'cron-secret-0123456789' });
  volunteer = await api.login('volunteer');
  clerk = await api.login('clerk');
});
afterAll(async () => api.close());

const rice = 'c1000000-0000-4000-8000-000000000002'; // 60 points, limit 1 per month
const redeem = (token: string, goodsId: string, key: string) =>
  api.call('POST', '/api/mall/redemptions', { token, body: { goodsId }, headers: { 'idempotency-key': key } });

describe('mall API', () => {
  it('redeems: 201 { id, pickupCode, status, pointsSpent }; the same key returns the same redemption', async () => {
    const r = await redeem(volunteer, rice, 'redeem-key-0001');
    expect(r.status).toBe(201);
    const red = Redemption.parse(r.body);
    expect(red).toMatchObject({ status: 'reserved', pointsSpent: 60 });
    const again = await redeem(volunteer, rice, 'redeem-key-0001');
    expect(again.status).toBe(201);
    expect(again.body.pickupCode).toBe(red.pickupCode);
    expect((await api.call('GET', '/api/points/me', { token: volunteer })).body).toMatchObject({ balance: 40, available: 20, pending: 20 });
  });

  it('answers 409 mall.limit_reached, points.insufficient and mall.out_of_stock with Chinese messages', async () => {
    const limit = await redeem(volunteer, rice, 'redeem-key-0002');
    expect(limit.status).toBe(409);
    expect(limit.body.error).toEqual({ code: 'mall.limit_reached', message: '这件商品您本期已兑换到上限' });
    const oil = await redeem(volunteer, 'c1000000-0000-4000-8000-000000000004', 'redeem-key-0003'); // 80 points, 20 available
    expect(oil.status).toBe(409);
    expect(oil.body.error.code).toBe('points.insufficient');
    const g = await api.call('POST', '/api/mall/goods', {
      token: clerk,
      body: { communityId: community.chunhui, name: '限量纪念徽章', pricePoints: 1, initialStock: 1 },
    });
    expect(g.status).toBe(201);
    await redeem(volunteer, g.body.id, 'redeem-key-0004');
    const out = await redeem(await api.login('resident2'), g.body.id, 'redeem-key-0005');
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe('mall.out_of_stock');
  });

  it('refuses a redemption without an Idempotency-Key and bad goods ids with 400', async () => {
    const noKey = await api.call('POST', '/api/mall/redemptions', { token: volunteer, body: { goodsId: rice } });
    expect(noKey.status).toBe(400);
    const bad = await redeem(volunteer, 'rice', 'redeem-key-0006');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.goodsId).toBe('编号格式不对');
  });

  it('hands over once (200, then 409), only for clerks', async () => {
    const mine = await api.call('GET', '/api/mall/redemptions/mine', { token: volunteer });
    const code = mine.body.items.find((r: { goodsId: string; status: string }) => r.goodsId === rice && r.status === 'reserved').pickupCode;
    expect((await api.call('POST', `/api/mall/redemptions/${code}/handover`, { token: await api.login('committee') })).status).toBe(403);
    const preview = await api.call('GET', `/api/mall/redemptions/by-code/${code.toLowerCase()}`, { token: clerk });
    expect(preview.body).toMatchObject({ goodsName: '东北大米 5kg', resident: '陈*雨', status: 'reserved' });
    const first = await api.call('POST', `/api/mall/redemptions/${code}/handover`, { token: clerk });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('handed_over');
    const second = await api.call('POST', `/api/mall/redemptions/${code}/handover`, { token: clerk });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('这个领取码已经领过了，不能重复领取');
    const typo = await api.call('POST', '/api/mall/redemptions/ABC/handover', { token: clerk });
    expect(typo.status).toBe(400);
    expect(typo.body.error.fields.pickupCode).toBe('领取码是 8 位字母和数字');
  });

  it('lists goods, reports for staff, and expires through the cron route', async () => {
    const goods = await api.call('GET', `/api/mall/goods?communityId=${community.chunhui}`, { token: volunteer });
    expect(goods.status, goods.text).toBe(200);
    const list = goods.body.items.map((g: unknown) => Goods.parse(g));
    expect(list.find((g: { id: string }) => g.id === rice)?.myCountThisPeriod).toBe(1);
    const today = shanghaiDate();
    const rep = MallReport.parse(
      (await api.call('GET', `/api/mall/reports?communityId=${community.chunhui}&from=${today}&to=${today}`, { token: clerk })).body,
    );
    expect(rep.handedOverCount).toBe(1);
    expect(rep.pointsConsumed).toBe(60);
    await api.db.sql(`update app.redemptions set expires_at = now() - interval '1 second' where status = 'reserved'`);
    expect((await api.call('GET', '/api/cron/expire-redemptions')).status).toBe(403);
    const ex = await api.call('GET', '/api/cron/expire-redemptions', { headers: { authorization: 'Bearer cron-secret-0123456789' } });
    expect(ex.body.expired).toBe(1);
    expect((await api.db.sql('select app.mall_invariant_violations() v')).rows[0].v).toEqual([]);
  });
});
