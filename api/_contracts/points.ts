import { z } from '@hono/zod-openapi';
import { Uuid } from './common.js';

export const PointsSummary = z.object({ balance: z.number(), available: z.number(), pending: z.number() });
export const PointEntry = z.object({ id: z.number(), delta: z.number(), kind: z.string(), reason: z.string(), month: z.string(), createdAt: z.string() });
export const MyPoints = PointsSummary.extend({ communityId: Uuid.nullable(), entries: z.array(PointEntry), nextCursor: z.string().nullable() }).openapi(
  'MyPoints',
);
export type MyPoints = z.infer<typeof MyPoints>;

export const AwardBody = z.object({
  profileId: Uuid,
  communityId: Uuid,
  points: z.number().int().min(1).max(1000, { error: '一次最多奖励 1000 分' }),
  reason: z.string().trim().min(2, { error: '请写明奖励原因' }).max(200),
});
export const DeductionBody = z.object({
  profileId: Uuid,
  communityId: Uuid,
  points: z.number().int().min(1).max(100000),
  reason: z.string().trim().min(2, { error: '扣分必须写明原因' }).max(200),
});
export const Deduction = z.object({
  id: Uuid,
  name: z.string().nullable(),
  points: z.number(),
  reason: z.string(),
  requestedBy: z.string().nullable(),
  mine: z.boolean(),
  status: z.enum(['pending', 'approved', 'rejected']),
  createdAt: z.string(),
});
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-10' });
export const PublishBody = z.object({ communityId: Uuid, month: Month });
export const Publication = z
  .object({
    id: Uuid,
    month: z.string(),
    publishedAt: z.string(),
    windowClosesAt: z.string(),
    open: z.boolean(),
    objectionDays: z.number(),
    canResolve: z.boolean(),
    entries: z.array(
      z.object({
        id: z.number(),
        name: z.string().nullable(),
        delta: z.number(),
        kind: z.string(),
        reason: z.string(),
        createdAt: z.string(),
        mine: z.boolean(),
        objections: z.array(z.object({ id: Uuid, reason: z.string(), status: z.string(), resolution: z.string().nullable(), mine: z.boolean() })),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .openapi('PointsPublication');
export type Publication = z.infer<typeof Publication>;
export const PublicationSummary = z.object({ id: Uuid, month: z.string(), publishedAt: z.string(), windowClosesAt: z.string(), open: z.boolean() });
export const ObjectionBody = z.object({
  entryId: z.number().int().positive(),
  reason: z.string().trim().min(5, { error: '请写明异议理由（至少 5 个字）' }).max(300),
});
export const ResolutionBody = z.object({ uphold: z.boolean(), resolution: z.string().trim().min(2, { error: '请写明处理意见' }).max(300) });
export const Rankings = z
  .object({
    month: z.string(),
    people: z.array(z.object({ name: z.string().nullable(), points: z.number(), mine: z.boolean() })),
    teams: z.array(z.object({ name: z.string(), points: z.number() })),
  })
  .openapi('PointsRankings');
export type Rankings = z.infer<typeof Rankings>;
