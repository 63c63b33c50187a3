import type { Goods, MallReport, Redemption, SaveGoodsBody } from '@contracts/mall';
import { newIdempotencyKey, request } from './client';
import type { PageOf } from '../lib/pageData';

export const mallApi = {
  goods: (communityId: string, includeOffShelf = false, cursor?: string) =>
    request<PageOf<Goods>>('GET', '/mall/goods', { query: { communityId, includeOffShelf: includeOffShelf ? 'true' : undefined, cursor } }),
  createGoods: (body: SaveGoodsBody) => request<Goods>('POST', '/mall/goods', { body }),
  updateGoods: (id: string, body: Omit<SaveGoodsBody, 'initialStock'>) => request<Goods>('PUT', `/mall/goods/${id}`, { body }),
  restock: (id: string, quantity: number, reason: string) => request<Goods>('POST', `/mall/goods/${id}/restock`, { body: { quantity, reason } }),
  redeem: (goodsId: string, key = newIdempotencyKey()) => request<Redemption>('POST', '/mall/redemptions', { body: { goodsId }, idempotencyKey: key }),
  mine: (communityId?: string, cursor?: string) => request<PageOf<Redemption>>('GET', '/mall/redemptions/mine', { query: { communityId, cursor } }),
  cancel: (id: string) => request<Redemption>('POST', `/mall/redemptions/${id}/cancel`),
  byCode: (code: string) => request<Redemption>('GET', `/mall/redemptions/by-code/${encodeURIComponent(code)}`),
  handover: (code: string) => request<Redemption>('POST', `/mall/redemptions/${encodeURIComponent(code)}/handover`),
  report: (communityId: string, from: string, to: string, cursor?: string) =>
    request<MallReport>('GET', '/mall/reports', { query: { communityId, from, to, cursor } }),
};

export type { Goods, MallReport, Redemption };
