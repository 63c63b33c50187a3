import { z } from '@hono/zod-openapi';

/** Shared pieces of every contract. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'mall.out_of_stock' }),
      message: z.string().openapi({ example: '库存不足' }),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .openapi('Error');

export const Uuid = z.uuid({ error: '编号格式不对' });
export const IdParam = z.object({ id: Uuid.openapi({ param: { name: 'id', in: 'path' } }) });
export const CommunityQuery = z.object({
  communityId: Uuid.openapi({ param: { name: 'communityId', in: 'query' } }),
});

/** Operations that must happen once carry a key; a retry with the same key returns the first result. */
export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string({ error: '请求头缺少 Idempotency-Key' })
    .regex(/^[A-Za-z0-9_-]{8,100}$/, { error: 'Idempotency-Key 应为 8–100 位字母、数字、- 或 _' })
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'mdx2k1-3f9a0c7e21' }),
});

// Postgres integer range: anything outside it is bad input, caught here rather than by the database.
const INT_MAX = 2_147_483_647;
/** A whole number that fits an integer column. */
export const Int = (min = -INT_MAX, max = INT_MAX) => z.number({ error: '应为数字' }).int({ error: '应为整数' }).min(min).max(max);

/**
 * Text a person typed: trimmed, within limits, and never containing characters Postgres cannot store.
 * Every free-text field of every contract is built from this.
 */
export const Text = (max: number, opts: { min?: number; message?: string } = {}) =>
  z
    .string({ error: '应为文字' })
    .trim()
    .min(opts.min ?? 0, { error: opts.message ?? `至少 ${opts.min ?? 0} 个字` })
    .max(max, { error: `最多 ${max} 个字` })
    .refine((s) => !s.includes('\u0000'), { error: '内容里有无法保存的字符' });

/** Paging for every list: `limit` (default 20, at most 100) and an opaque cursor from the previous page. */
export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, { error: '翻页参数不对，请刷新后再试' });
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: Cursor.optional().openapi({ param: { name: 'cursor', in: 'query' } }),
});
export const CommunityPageQuery = CommunityQuery.extend(PageQuery.shape);

/** A page of a list: `nextCursor` is null on the last page. */
export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type ErrorBody = z.infer<typeof ErrorSchema>;
