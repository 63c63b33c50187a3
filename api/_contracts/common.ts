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

export type ErrorBody = z.infer<typeof ErrorSchema>;
