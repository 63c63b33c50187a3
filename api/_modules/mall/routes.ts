import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { idempotencyKey } from '../../_lib/idempotency.js';
import { CommunityQuery, IdParam, Uuid } from '../../_contracts/common.js';
import { Goods, MallReport, PickupCodeParam, Redemption, RedeemBody, RestockBody, SaveGoodsBody } from '../../_contracts/mall.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['mall'];
const day = z.iso.date({ error: '日期格式应为 2026-11-01' });

const routes = {
  goods: createRoute({ method: 'get', path: '/goods', tags, security: bearer, summary: '积分超市商品',
    request: { query: CommunityQuery.extend({ includeOffShelf: z.enum(['true', 'false']).optional() }) },
    responses: { 200: json(z.object({ goods: z.array(Goods) }), '商品'), ...errors(400, 401) } }),
  create: createRoute({ method: 'post', path: '/goods', tags, security: bearer, summary: '上架新商品（两委、工作人员）', request: body(SaveGoodsBody),
    responses: { 201: json(Goods, '已上架'), ...errors(400, 401, 403) } }),
  update: createRoute({ method: 'put', path: '/goods/{id}', tags, security: bearer, summary: '修改商品（价格、限兑、时间、上下架）',
    request: { params: IdParam, ...body(SaveGoodsBody.omit({ initialStock: true })) }, responses: { 200: json(Goods, '已保存'), ...errors(400, 401, 403, 404) } }),
  restock: createRoute({ method: 'post', path: '/goods/{id}/restock', tags, security: bearer, summary: '补货或更正库存（需写原因）',
    request: { params: IdParam, ...body(RestockBody) }, responses: { 200: json(Goods, '已记录'), ...errors(400, 401, 404, 409) } }),
  redeem: createRoute({ method: 'post', path: '/redemptions', tags, security: bearer, summary: '兑换：预留库存、扣可用积分、发领取码（同一 Idempotency-Key 重试返回同一笔）',
    request: { headers: z.object({ 'idempotency-key': z.string().optional() }), ...body(RedeemBody) },
    responses: { 201: json(Redemption, '已兑换'), ...errors(400, 401, 403, 404, 409) } }),
  mine: createRoute({ method: 'get', path: '/redemptions/mine', tags, security: bearer, summary: '我的兑换',
    request: { query: z.object({ communityId: Uuid.optional() }) }, responses: { 200: json(z.object({ redemptions: z.array(Redemption) }), '兑换记录'), ...errors(400, 401) } }),
  cancel: createRoute({ method: 'post', path: '/redemptions/{id}/cancel', tags, security: bearer, summary: '领取前取消，积分退回',
    request: { params: IdParam }, responses: { 200: json(Redemption, '已取消'), ...errors(400, 401, 404, 409) } }),
  byCode: createRoute({ method: 'get', path: '/redemptions/by-code/{pickupCode}', tags, security: bearer, summary: '工作人员核对领取码',
    request: { params: PickupCodeParam }, responses: { 200: json(Redemption, '兑换'), ...errors(400, 401, 403, 404) } }),
  handover: createRoute({ method: 'post', path: '/redemptions/{pickupCode}/handover', tags, security: bearer, summary: '核销：把商品交给居民（只能一次）',
    request: { params: PickupCodeParam }, responses: { 200: json(Redemption, '已核销'), ...errors(400, 401, 403, 404, 409) } }),
  report: createRoute({ method: 'get', path: '/reports', tags, security: bearer, summary: '积分超市台账（按期间）',
    request: { query: CommunityQuery.extend({ from: day, to: day }) }, responses: { 200: json(MallReport, '台账'), ...errors(400, 401, 403) } }),
};

export function mallRoutes() {
  const r = createRouter();
  const rpc = async <T>(c: Parameters<typeof requireUser>[0], fn: string, args: Record<string, unknown>) =>
    c.var.db.rpc<T>(fn, args, await requireUser(c));
  const save = (b: z.infer<typeof SaveGoodsBody> | Omit<z.infer<typeof SaveGoodsBody>, 'initialStock'>, id: string | null) => ({
    p_community_id: b.communityId, p_goods_id: id, p_name: b.name, p_description: b.description, p_picture_url: b.pictureUrl,
    p_price_points: b.pricePoints, p_per_person_limit: b.perPersonLimit, p_limit_period: b.limitPeriod,
    p_available_from: b.availableFrom, p_available_until: b.availableUntil, p_on_shelf: b.onShelf, p_pickup_days: b.pickupDays,
    p_initial_stock: 'initialStock' in b ? b.initialStock : 0,
  });

  r.openapi(routes.goods, async (c) => {
    const q = c.req.valid('query');
    return c.json({ goods: await rpc<Goods[]>(c, 'list_goods', { p_community_id: q.communityId, p_include_off_shelf: q.includeOffShelf === 'true' }) }, 200);
  });
  r.openapi(routes.create, async (c) => c.json(await rpc<Goods>(c, 'save_goods', save(c.req.valid('json'), null)), 201));
  r.openapi(routes.update, async (c) => c.json(await rpc<Goods>(c, 'save_goods', save(c.req.valid('json'), c.req.valid('param').id)), 200));
  r.openapi(routes.restock, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Goods>(c, 'restock_goods', { p_goods_id: c.req.valid('param').id, p_quantity: b.quantity, p_reason: b.reason }), 200);
  });
  r.openapi(routes.redeem, async (c) => {
    const key = idempotencyKey(c);
    return c.json(await rpc<Redemption>(c, 'redeem_goods', { p_goods_id: c.req.valid('json').goodsId, p_idempotency_key: key }), 201);
  });
  r.openapi(routes.mine, async (c) => c.json({ redemptions: await rpc<Redemption[]>(c, 'list_my_redemptions', { p_community_id: c.req.valid('query').communityId ?? null }) }, 200));
  r.openapi(routes.cancel, async (c) => c.json(await rpc<Redemption>(c, 'cancel_redemption', { p_redemption_id: c.req.valid('param').id }), 200));
  r.openapi(routes.byCode, async (c) => c.json(await rpc<Redemption>(c, 'get_redemption_by_code', { p_pickup_code: c.req.valid('param').pickupCode }), 200));
  r.openapi(routes.handover, async (c) => c.json(await rpc<Redemption>(c, 'hand_over_redemption', { p_pickup_code: c.req.valid('param').pickupCode }), 200));
  r.openapi(routes.report, async (c) => {
    const q = c.req.valid('query');
    return c.json(await rpc<MallReport>(c, 'get_mall_report', { p_community_id: q.communityId, p_from: q.from, p_to: q.to }), 200);
  });
  return r;
}
