import { z } from '@hono/zod-openapi';
import { Uuid } from './common.js';

export const Goods = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string(),
    pictureUrl: z.string().nullable(),
    pricePoints: z.number(),
    stock: z.number(),
    reserved: z.number(),
    handedOver: z.number(),
    totalStocked: z.number(),
    perPersonLimit: z.number().nullable(),
    limitPeriod: z.enum(['week', 'month', 'year']),
    availableFrom: z.string().nullable(),
    availableUntil: z.string().nullable(),
    onShelf: z.boolean(),
    pickupDays: z.number(),
    available: z.boolean(),
    myCountThisPeriod: z.number(),
  })
  .openapi('Goods');
export type Goods = z.infer<typeof Goods>;

export const SaveGoodsBody = z.object({
  communityId: Uuid,
  name: z.string().trim().min(2, { error: '商品名称至少 2 个字' }).max(40),
  description: z.string().max(500).default(''),
  pictureUrl: z
    .url({ protocol: /^https?$/, error: '图片地址必须是 http(s) 链接' })
    .nullable()
    .default(null),
  pricePoints: z.number().int().min(1, { error: '积分价格至少 1 分' }).max(100000),
  perPersonLimit: z.number().int().min(1).max(100).nullable().default(null),
  limitPeriod: z.enum(['week', 'month', 'year']).default('month'),
  availableFrom: z.iso.datetime({ offset: true }).nullable().default(null),
  availableUntil: z.iso.datetime({ offset: true }).nullable().default(null),
  onShelf: z.boolean().default(true),
  pickupDays: z.number().int().min(1).max(60).default(7),
  initialStock: z.number().int().min(0).max(100000).default(0),
});
export type SaveGoodsBody = z.input<typeof SaveGoodsBody>;
export const RestockBody = z.object({
  quantity: z
    .number()
    .int()
    .refine((n) => n !== 0, { error: '数量不能为 0' }),
  reason: z.string().trim().min(2, { error: '请写明原因，例如 11月补货' }).max(200),
});
export const RedeemBody = z.object({ goodsId: Uuid });

export const Redemption = z
  .object({
    id: Uuid,
    pickupCode: z.string(),
    status: z.enum(['reserved', 'handed_over', 'cancelled', 'expired']),
    pointsSpent: z.number(),
    goodsId: Uuid,
    goodsName: z.string(),
    expiresAt: z.string(),
    createdAt: z.string(),
    handedOverAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    resident: z.string().nullable(),
  })
  .openapi('Redemption');
export type Redemption = z.infer<typeof Redemption>;

export const PickupCodeParam = z.object({
  pickupCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/, { error: '领取码是 8 位字母和数字' })
    .openapi({ param: { name: 'pickupCode', in: 'path' } }),
});

export const MallReport = z
  .object({
    from: z.string(),
    to: z.string(),
    handedOverCount: z.number(),
    pointsConsumed: z.number(),
    outstanding: z.number(),
    outstandingPoints: z.number(),
    goods: z.array(
      z.object({
        id: Uuid,
        name: z.string(),
        pricePoints: z.number(),
        stock: z.number(),
        reserved: z.number(),
        handedOver: z.number(),
        totalStocked: z.number(),
        handedOverInPeriod: z.number(),
        restockedInPeriod: z.number(),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('MallReport');
export type MallReport = z.infer<typeof MallReport>;
