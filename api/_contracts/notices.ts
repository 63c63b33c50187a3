import { z } from '@hono/zod-openapi';
import { CommunityPageQuery, Page, Uuid } from './common.js';
import { NOTICE_CATEGORIES } from './vocab.js';

export const NoticeCategory = z.enum(NOTICE_CATEGORIES, {
  error: '请选择公告类别',
});
export type NoticeCategory = z.infer<typeof NoticeCategory>;

const Link = z.object({
  name: z.string().trim().min(1, { error: '请填写附件名称' }).max(80),
  url: z.url({ protocol: /^https?$/, error: '附件地址必须是 http(s) 链接' }).max(500),
});
const Image = z.object({ url: z.url({ protocol: /^https?$/, error: '图片地址必须是 http(s) 链接' }).max(500), alt: z.string().max(80).optional() });

export const FinanceLineInput = z.object({
  occurredOn: z.iso.date({ error: '日期格式应为 2026-10-01' }),
  item: z.string().trim().min(1, { error: '请填写收支事项' }).max(80, { error: '事项最多 80 字' }),
  direction: z.enum(['income', 'expense'], { error: '请选择收入或支出' }),
  amountFen: z.number({ error: '金额必须是数字' }).int({ error: '金额以分为单位，必须是整数' }).positive({ error: '金额必须大于 0' }).max(99_999_999_999),
  counterparty: z.string().trim().max(80).optional(),
  voucher: Link.optional(),
});

export const NoticeContent = z.object({
  title: z.string().trim().min(2, { error: '标题至少 2 个字' }).max(80, { error: '标题最多 80 字' }),
  body: z.string().max(20000, { error: '正文太长了' }).default(''),
  images: z.array(Image).max(9, { error: '最多 9 张图片' }).default([]),
  attachments: z.array(Link).max(10, { error: '最多 10 个附件' }).default([]),
  financeLines: z.array(FinanceLineInput).max(500).default([]),
});

export const NoticeSettings = z.object({
  audienceGridIds: z.array(Uuid).min(1).max(50).nullable().default(null),
  pinned: z.boolean().default(false),
  important: z.boolean().default(false),
  publishAt: z.iso.datetime({ offset: true, error: '发布时间格式不对' }).nullable().default(null),
  expiresAt: z.iso.datetime({ offset: true, error: '截止时间格式不对' }).nullable().default(null),
  financePeriod: z.string().trim().min(2).max(40).nullable().default(null),
});

export const CreateNoticeBody = z
  .object({ communityId: Uuid, category: NoticeCategory, content: NoticeContent })
  .extend(NoticeSettings.shape)
  .refine((b) => b.category !== 'finance' || Boolean(b.financePeriod), { path: ['financePeriod'], error: '请填写公开期间，例如 2026年10月' });
export type CreateNoticeBody = z.input<typeof CreateNoticeBody>;

export const UpdateNoticeBody = z.object({ content: NoticeContent }).extend(NoticeSettings.shape);
export type UpdateNoticeBody = z.input<typeof UpdateNoticeBody>;

export const CorrectNoticeBody = z.object({
  content: NoticeContent,
  correctionNote: z.string().trim().min(2, { error: '请写明更正了什么' }).max(200),
});
export const ReviewNoticeBody = z
  .object({ approve: z.boolean(), comment: z.string().trim().max(500).optional() })
  .refine((b) => b.approve || (b.comment?.length ?? 0) >= 2, { path: ['comment'], error: '退回时请写明需要修改的地方' });
export const PinBody = z.object({ pinned: z.boolean() });
export const QuestionBody = z.object({ body: z.string().trim().min(2, { error: '问题至少 2 个字' }).max(500, { error: '问题最多 500 字' }) });
export const AnswerBody = z.object({ answer: z.string().trim().min(2, { error: '回复至少 2 个字' }).max(1000, { error: '回复最多 1000 字' }) });
export const HideBody = z.object({ reason: z.string().trim().min(2, { error: '请写明隐藏的原因' }).max(200) });

const FinanceLine = FinanceLineInput.extend({ lineNo: z.number(), counterparty: z.string(), voucher: Link.nullable() });
export const Finance = z.object({
  lines: z.array(FinanceLine),
  incomeFen: z.number(),
  expenseFen: z.number(),
  balanceFen: z.number(),
});
export type Finance = z.infer<typeof Finance>;

export const NoticeQuestion = z.object({
  id: Uuid,
  body: z.string(),
  asker: z.string().nullable(),
  mine: z.boolean(),
  checkStatus: z.enum(['pending', 'passed', 'rejected']),
  createdAt: z.string(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  hidden: z.boolean(),
  hiddenReason: z.string().nullable(),
});
export type NoticeQuestion = z.infer<typeof NoticeQuestion>;

export const VersionStatus = z.enum(['draft', 'submitted', 'returned', 'published']);

export const Notice = z
  .object({
    id: Uuid,
    communityId: Uuid,
    category: NoticeCategory,
    pinned: z.boolean(),
    important: z.boolean(),
    audienceGridIds: z.array(Uuid).nullable(),
    publishAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    financePeriod: z.string().nullable(),
    firstPublishedAt: z.string().nullable(),
    version: z.object({
      version: z.number(),
      status: VersionStatus,
      title: z.string(),
      body: z.string(),
      images: z.array(Image),
      attachments: z.array(Link),
      correctionNote: z.string().nullable(),
      writtenAt: z.string(),
      submittedAt: z.string().nullable(),
      reviewComment: z.string().nullable(),
      reviewedAt: z.string().nullable(),
      publishedAt: z.string().nullable(),
      contentSha256: z.string().nullable(),
    }),
    latestPublishedVersion: z.number().nullable(),
    corrected: z.boolean(),
    versions: z.array(
      z.object({ version: z.number(), status: VersionStatus, title: z.string(), publishedAt: z.string().nullable(), correctionNote: z.string().nullable() }),
    ),
    finance: Finance.nullable(),
    questions: z.array(NoticeQuestion).nullable(),
    readByMe: z.boolean(),
    canManage: z.boolean(),
    canReview: z.boolean(),
  })
  .openapi('Notice');
export type Notice = z.infer<typeof Notice>;

export const NoticeSummary = z
  .object({
    id: Uuid,
    category: NoticeCategory,
    pinned: z.boolean(),
    important: z.boolean(),
    title: z.string(),
    excerpt: z.string(),
    publishedAt: z.string(),
    corrected: z.boolean(),
    expired: z.boolean(),
    readByMe: z.boolean(),
  })
  .openapi('NoticeSummary');
export type NoticeSummary = z.infer<typeof NoticeSummary>;

export const NoticeList = Page(NoticeSummary).openapi('NoticeList');
export const NoticeHome = z
  .object({ emergencies: z.array(NoticeSummary), pinned: z.array(NoticeSummary), latest: z.array(NoticeSummary) })
  .openapi('NoticeHome');
export type NoticeHome = z.infer<typeof NoticeHome>;

export const NoticeWorkItem = z.object({
  id: Uuid,
  category: NoticeCategory,
  title: z.string(),
  version: z.number(),
  status: VersionStatus,
  writtenAt: z.string(),
  submittedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
  correctionNote: z.string().nullable(),
  financePeriod: z.string().nullable(),
});
export const NoticeWork = Page(NoticeWorkItem).openapi('NoticeWork');
export type NoticeWorkItem = z.infer<typeof NoticeWorkItem>;

export const ReadStats = z
  .object({
    noticeId: Uuid,
    important: z.boolean(),
    readers: z.number(),
    households: z.number(),
    householdsRead: z.number(),
    /** One page of the households that have not read it; `nextCursor` fetches the next. */
    unreadHouseholds: z.array(z.object({ householdId: Uuid, address: z.string(), gridName: z.string(), residents: z.array(z.string()).nullable() })),
    nextCursor: z.string().nullable(),
  })
  .openapi('ReadStats');
export type ReadStats = z.infer<typeof ReadStats>;

export const ListQuery = CommunityPageQuery.extend({
  category: NoticeCategory.optional(),
  includeExpired: z.enum(['true', 'false']).optional(),
});
