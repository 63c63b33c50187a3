import { z } from '@hono/zod-openapi';
import { Cursor, Int, Page, Uuid } from './common.js';

// ---------------------------------------------------------------- the public record chain (no sign-in)

export const ChainKind = z.enum(['notice', 'affairs', 'points_month', 'poll_result', 'objection']).openapi({
  description: 'notice 公告/公开（含财务公开明细）· affairs 决议与实施结果 · points_month 积分公示 · poll_result 投票结果 · objection 成立的积分异议',
});
export type ChainKind = z.infer<typeof ChainKind>;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ChainHead = z
  .object({ seq: z.number().int(), hash: Hex64, at: z.string() })
  .nullable()
  .openapi({ description: '链头：最新一条的序号和校验码（空链为 null）' });

/** One entry. `content` is the record as it reads today, rebuilt from the record itself: its hash must equal contentHash. */
export const ChainEntry = z
  .object({
    seq: z.number().int().min(1),
    at: z.string().openapi({ description: '登记时间，UTC，YYYY-MM-DDTHH:MM:SS.ffffffZ（参与校验码计算，原样使用）' }),
    kind: ChainKind,
    recordId: z.string(),
    contentHash: Hex64,
    prevHash: Hex64,
    hash: Hex64,
    content: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .openapi('ChainEntry');
export type ChainEntry = z.infer<typeof ChainEntry>;

export const PublicCommunity = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(['community', 'village']),
  streetName: z.string(),
  servicePhone: z.string(),
});
export type PublicCommunity = z.infer<typeof PublicCommunity>;

export const ChainParams = z.object({ communityId: Uuid.openapi({ param: { name: 'communityId', in: 'path' } }) });
export const ChainEntryParams = ChainParams.extend({
  seq: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name: 'seq', in: 'path' } }),
});
export const ChainPageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: Cursor.optional().openapi({ param: { name: 'cursor', in: 'query' } }),
});
export const ChainExportQuery = z.object({
  fromSeq: z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .default(1)
    .openapi({ param: { name: 'fromSeq', in: 'query' }, description: '从第几条开始（含）' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(200)
    .openapi({ param: { name: 'limit', in: 'query' }, description: '每页最多 500 条' }),
});
export const ChainRecordQuery = z.object({
  kind: ChainKind.openapi({ param: { name: 'kind', in: 'query' } }),
  recordId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[0-9a-f-]{36}(:\d{1,6})?$/, { error: '记录编号格式不对' })
    .openapi({ param: { name: 'recordId', in: 'query' }, description: '公告为 <公告编号>:<版本>，其余为记录编号' }),
});

export const PublicChainPage = Page(ChainEntry).extend({ community: PublicCommunity, head: ChainHead }).openapi('PublicChainPage');
export type PublicChainPage = z.infer<typeof PublicChainPage>;
export const PublicChainEntry = z.object({ community: PublicCommunity, head: ChainHead, entry: ChainEntry });
export type PublicChainEntry = z.infer<typeof PublicChainEntry>;
export const PublicRecordRef = z.object({ head: ChainHead, entry: ChainEntry });
export type PublicRecordRef = z.infer<typeof PublicRecordRef>;

/** A page of the export; a file is every page's entries in one array with the first page's other fields. */
export const ChainExportPage = z
  .object({
    format: z.literal('cunju-chain/1'),
    community: PublicCommunity,
    head: ChainHead,
    exportedAt: z.string(),
    fromSeq: z.number().int(),
    entries: z.array(ChainEntry),
    nextFromSeq: z.number().int().nullable(),
  })
  .openapi('ChainExportPage');
export type ChainExportPage = z.infer<typeof ChainExportPage>;

export const RetentionPolicy = z.object({
  items: z.array(
    z.object({
      kind: z.string(),
      days: z.number().int().nullable().openapi({ description: '保存天数；null 为长期保存' }),
      what: z.string(),
      why: z.string(),
    }),
  ),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

// ---------------------------------------------------------------- my data, deleting my account, who looked at me

/** Everything held about the caller (format cunju-mydata/1); lists are arrays, see the database function. */
export const MyData = z
  .looseObject({
    format: z.literal('cunju-mydata/1'),
    exportedAt: z.string(),
    profile: z.looseObject({ id: Uuid, displayName: z.string(), realName: z.string().nullable(), phone: z.string().nullable() }),
    truncated: z.array(z.string()),
  })
  .openapi('MyData');
export type MyData = z.infer<typeof MyData>;

export const Obligation = z.object({
  kind: z.enum(['case', 'redemption', 'signup', 'appointment', 'help_request', 'verification']),
  id: Uuid,
  title: z.string(),
  status: z.string(),
  outcome: z.string().openapi({ description: '注销时这件事会怎样处理' }),
});
export type Obligation = z.infer<typeof Obligation>;
export const Obligations = z.object({ count: z.number().int(), items: z.array(Obligation) });
export type Obligations = z.infer<typeof Obligations>;

export const DeleteAccountBody = z.object({
  confirm: z.literal(true, { error: '请确认注销账号' }),
  obligations: Int(0, 100000).openapi({ description: '确认前看到的待办事项数量；有变化时不注销，请重新查看' }),
});
export const DeleteAccountResult = z.object({ deleted: z.literal(true) });

export const AccessEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  what: z.enum(['case', 'verification']).openapi({ description: 'case 办件（含表单）· verification 居民认证申请' }),
  fields: z.array(z.string()).openapi({ description: 'case 办件 · idcard 身份证号 · phone 手机号 · realName 姓名 · address 住址' }),
  role: z.string().nullable(),
  actor: z.string().nullable().openapi({ description: '查看人（打码）' }),
  entity: z.string(),
  entityId: z.string().nullable(),
  communityName: z.string().nullable(),
  subject: z.string().nullable().optional().openapi({ description: '被查看的人（打码），只在社区的查阅记录里' }),
});
export type AccessEntry = z.infer<typeof AccessEntry>;
export const AccessLog = Page(AccessEntry);
