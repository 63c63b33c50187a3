import { z } from '@hono/zod-openapi';
import { CommunityPageQuery, Page, Uuid } from './common.js';

import { APPLICATION_STATUSES, SERVICE_THEMES } from './vocab.js';

export const Themes = SERVICE_THEMES;

export const FormField = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'number', 'date', 'phone', 'idcard', 'select']),
  required: z.boolean().optional(),
  options: z.array(z.string()).optional(),
});
export type FormField = z.infer<typeof FormField>;

export const ItemSummary = z
  .object({
    id: Uuid,
    name: z.string(),
    department: z.string(),
    theme: z.string(),
    timeLimitDays: z.number(),
    fee: z.string(),
    online: z.boolean(),
    appointment: z.boolean(),
    proxyAllowed: z.boolean(),
  })
  .openapi('ServiceItemSummary');
export type ItemSummary = z.infer<typeof ItemSummary>;
export const ServiceItem = ItemSummary.extend({
  eligibility: z.string(),
  materials: z.array(z.string()),
  steps: z.array(z.string()),
  offlineAddress: z.string(),
  offlineHours: z.string(),
  form: z.array(FormField),
  communityId: Uuid,
}).openapi('ServiceItem');
export type ServiceItem = z.infer<typeof ServiceItem>;

export const ItemsQuery = CommunityPageQuery.extend({
  q: z.string().trim().max(40, { error: '搜索词太长' }).optional(),
  theme: z.enum(Themes).optional(),
});

const Attachment = z.object({ name: z.string().trim().min(1).max(80), url: z.url({ protocol: /^https?$/, error: '附件地址必须是 http(s) 链接' }).max(500) });
const FormData = z.record(z.string().max(40), z.string().max(500, { error: '最多 500 字' }));
export const ApplyBody = z.object({
  itemId: Uuid,
  formData: FormData.default({}),
  attachments: z.array(Attachment).max(10).default([]),
  proxyRequestId: Uuid.optional().openapi({ description: '帮办人代为提交时：指派给自己、居民已同意的帮办请求' }),
});
export const ResubmitBody = z.object({ formData: FormData, attachments: z.array(Attachment).max(10).optional(), note: z.string().max(200).optional() });
export const AdvanceBody = z
  .object({
    to: z.enum(APPLICATION_STATUSES).exclude(['submitted'], { error: '请选择下一步' }),
    note: z.string().trim().max(300).default(''),
  })
  .refine((b) => !['returned', 'rejected'].includes(b.to) || b.note.length >= 2, { path: ['note'], error: '请写明原因或需要补充的材料' });
export const RateBody = z.object({
  rating: z.number().int().min(1, { error: '请选择 1–5 星' }).max(5, { error: '请选择 1–5 星' }),
  comment: z.string().max(300).default(''),
});

const Event = z.object({
  at: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  toLabel: z.string(),
  note: z.string(),
  actor: z.string().nullable(),
  onBehalfOf: z.string().nullable(),
  byApplicant: z.boolean(),
});
export const Application = z
  .object({
    id: Uuid,
    status: z.enum(APPLICATION_STATUSES),
    statusLabel: z.string(),
    itemId: Uuid,
    itemName: z.string(),
    department: z.string(),
    formData: z.record(z.string(), z.string()),
    form: z.array(FormField),
    attachments: z.array(Attachment),
    dueOn: z.string(),
    overdue: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    applicant: z.string().nullable(),
    mine: z.boolean(),
    rating: z.number().nullable(),
    ratingComment: z.string().nullable(),
    ratedAt: z.string().nullable(),
    canProcess: z.boolean(),
    nextSteps: z.array(z.enum(APPLICATION_STATUSES)).openapi({ description: '窗口工作人员此刻可以办理的下一步（数据库的办理规则；其他人为空）' }),
    helper: z.object({ requestId: Uuid, name: z.string().nullable(), status: z.string(), isMe: z.boolean() }).nullable(),
    rectification: z.object({ id: Uuid, status: z.string(), dueOn: z.string(), closedNote: z.string().nullable() }).nullable(),
    timeline: z.array(Event),
  })
  .openapi('Application');
export type Application = z.infer<typeof Application>;

export const MyApplication = z.object({
  id: Uuid,
  itemName: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  dueOn: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rating: z.number().nullable(),
  forMe: z.boolean(),
});
export type MyApplication = z.infer<typeof MyApplication>;

export const WorkCase = z.object({
  id: Uuid,
  itemName: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  applicant: z.string().nullable(),
  dueOn: z.string(),
  overdue: z.boolean(),
  updatedAt: z.string(),
});
export const WorkRectification = z.object({
  id: Uuid,
  applicationId: Uuid,
  itemName: z.string(),
  rating: z.number(),
  comment: z.string().nullable(),
  dueOn: z.string(),
  overdue: z.boolean(),
});
export const WorkAppointment = z.object({ id: Uuid, itemName: z.string(), startsAt: z.string(), name: z.string().nullable(), status: z.string() });
export const WorkProxyRequest = z.object({
  id: Uuid,
  itemName: z.string(),
  resident: z.string().nullable(),
  note: z.string(),
  status: z.string(),
  helper: z.string().nullable(),
  createdAt: z.string(),
});
export type WorkCase = z.infer<typeof WorkCase>;
export type WorkRectification = z.infer<typeof WorkRectification>;
export type WorkAppointment = z.infer<typeof WorkAppointment>;
export type WorkProxyRequest = z.infer<typeof WorkProxyRequest>;

/** The counts on the clerk's workbench tabs; each tab's list is a page of its own. */
export const Workbench = z
  .object({
    cases: z.number(),
    overdueCases: z.number(),
    appointmentsToday: z.number(),
    proxyRequests: z.number(),
    rectifications: z.number(),
    overdueRectifications: z.number(),
  })
  .openapi('HallWorkbench');
export const WorkTab = z.enum(['cases', 'appointments', 'proxy', 'rectifications']);
export type WorkTab = z.infer<typeof WorkTab>;
export const WorkPage = Page(z.union([WorkCase, WorkAppointment, WorkProxyRequest, WorkRectification])).openapi('HallWorkPage');
export type Workbench = z.infer<typeof Workbench>;

export const Slot = z.object({ id: Uuid, startsAt: z.string(), endsAt: z.string(), capacity: z.number(), booked: z.number(), mine: z.boolean() });
export type Slot = z.infer<typeof Slot>;
export const SlotsBody = z.object({
  itemId: Uuid,
  day: z.iso.date({ error: '日期格式应为 2026-11-25' }),
  times: z
    .array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间格式应为 09:30' }))
    .min(1)
    .max(20),
  minutes: z.number().int().min(5).max(240).default(30),
  capacity: z.number().int().min(1).max(200),
});
export const MyAppointment = z.object({ id: Uuid, itemName: z.string(), startsAt: z.string(), endsAt: z.string(), status: z.string(), address: z.string() });
export type MyAppointment = z.infer<typeof MyAppointment>;
export const ProxyRequest = z.object({
  id: Uuid,
  itemId: Uuid,
  itemName: z.string(),
  status: z.string(),
  note: z.string(),
  helper: z.string().nullable(),
  resident: z.string().nullable(),
  iAmHelper: z.boolean(),
  applicationId: Uuid.nullable(),
  createdAt: z.string(),
});
export type ProxyRequest = z.infer<typeof ProxyRequest>;
export const Notification = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof Notification>;
