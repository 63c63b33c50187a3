import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { domainRouter, type AppEnv } from '../../_lib/router.js';
import { CommunityPageQuery, IdParam, Page, PageQuery, Uuid } from '../../_contracts/common.js';
import { Goods, MallReport, PickupCodeParam, Redemption, RedeemBody, RestockBody, SaveGoodsBody } from '../../_contracts/mall.js';

const day = z.iso.date({ error: '日期格式应为 2026-11-01' });
const save = (b: Omit<z.infer<typeof SaveGoodsBody>, 'initialStock'> & { initialStock?: number }, id: string | null) => ({
  p_community_id: b.communityId,
  p_goods_id: id,
  p_name: b.name,
  p_description: b.description,
  p_picture_url: b.pictureUrl,
  p_price_points: b.pricePoints,
  p_per_person_limit: b.perPersonLimit,
  p_limit_period: b.limitPeriod,
  p_available_from: b.availableFrom,
  p_available_until: b.availableUntil,
  p_on_shelf: b.onShelf,
  p_pickup_days: b.pickupDays,
  p_initial_stock: b.initialStock ?? 0,
});

/** An uploaded picture becomes a short-lived link; the storage key never leaves the server. */
async function withPicture(c: Context<AppEnv>, g: unknown): Promise<unknown> {
  const { pictureKey, ...goods } = g as Goods & { pictureKey?: string | null };
  if (!pictureKey) return goods;
  return { ...goods, pictureUrl: await c.get('storage').signedUrl(pictureKey, c.get('env').FILES_URL_TTL_SECONDS, 'image/jpeg') };
}
async function pageWithPictures(c: Context<AppEnv>, page: unknown) {
  const p = page as { items: unknown[]; nextCursor: string | null };
  return { ...p, items: await Promise.all(p.items.map((g) => withPicture(c, g))) };
}

export function mallRoutes() {
  const r = domainRouter('mall');

  r.rpc({
    method: 'get',
    path: '/goods',
    summary: '积分超市商品（上架的在前，便宜的在前）',
    query: CommunityPageQuery.extend({ includeOffShelf: z.enum(['true', 'false']).optional() }),
    response: Page(Goods),
    fn: 'list_goods',
    args: ({ query: q }) => ({
      p_community_id: q.communityId,
      p_include_off_shelf: q.includeOffShelf === 'true',
      p_limit: q.limit,
      p_cursor: q.cursor ?? null,
    }),
    map: (page, { c }) => pageWithPictures(c, page),
  });
  r.rpc({
    method: 'post',
    path: '/goods',
    status: 201,
    summary: '上架新商品（两委、工作人员）',
    body: SaveGoodsBody,
    response: Goods,
    errors: [403],
    fn: 'save_goods',
    args: ({ body }) => save(body, null),
    map: (g, { c }) => withPicture(c, g),
  });
  r.rpc({
    method: 'put',
    path: '/goods/{id}',
    summary: '修改商品（价格、限兑、时间、上下架）',
    params: IdParam,
    body: SaveGoodsBody.omit({ initialStock: true }),
    response: Goods,
    errors: [403, 404],
    fn: 'save_goods',
    args: ({ params, body }) => save(body, params.id),
    map: (g, { c }) => withPicture(c, g),
  });
  r.rpc({
    method: 'post',
    path: '/goods/{id}/restock',
    summary: '补货或更正库存（需写原因）',
    params: IdParam,
    body: RestockBody,
    response: Goods,
    errors: [403, 404, 409],
    fn: 'restock_goods',
    args: ({ params, body }) => ({ p_goods_id: params.id, p_quantity: body.quantity, p_reason: body.reason }),
    map: (g, { c }) => withPicture(c, g),
  });
  r.rpc({
    method: 'post',
    path: '/redemptions',
    status: 201,
    idempotent: true,
    summary: '兑换：预留库存、扣可用积分、发领取码（同一 Idempotency-Key 重试返回同一笔）',
    body: RedeemBody,
    response: Redemption,
    errors: [403, 404, 409],
    fn: 'redeem_goods',
    args: ({ body, key }) => ({ p_goods_id: body.goodsId, p_idempotency_key: key }),
  });
  r.rpc({
    method: 'get',
    path: '/redemptions/mine',
    summary: '我的兑换',
    query: PageQuery.extend({ communityId: Uuid.optional() }),
    response: Page(Redemption),
    fn: 'list_my_redemptions',
    args: ({ query: q }) => ({ p_community_id: q.communityId ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/redemptions/{id}/cancel',
    summary: '领取前取消，积分退回',
    params: IdParam,
    response: Redemption,
    errors: [404, 409],
    fn: 'cancel_redemption',
    args: ({ params }) => ({ p_redemption_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/redemptions/by-code/{pickupCode}',
    summary: '工作人员核对领取码',
    params: PickupCodeParam,
    response: Redemption,
    errors: [403, 404],
    fn: 'get_redemption_by_code',
    args: ({ params }) => ({ p_pickup_code: params.pickupCode }),
  });
  r.rpc({
    method: 'post',
    path: '/redemptions/{pickupCode}/handover',
    summary: '核销：把商品交给居民（只能一次）',
    params: PickupCodeParam,
    response: Redemption,
    errors: [403, 404, 409],
    fn: 'hand_over_redemption',
    args: ({ params }) => ({ p_pickup_code: params.pickupCode }),
  });
  r.rpc({
    method: 'get',
    path: '/reports',
    summary: '积分超市台账（按期间；商品分页）',
    query: CommunityPageQuery.extend({ from: day, to: day }),
    response: MallReport,
    errors: [403],
    fn: 'get_mall_report',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_from: q.from, p_to: q.to, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  return r.router;
}
