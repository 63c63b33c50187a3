import { z } from '@hono/zod-openapi';
import { CommunityPageQuery, CommunityQuery, Int, Text, Uuid } from './common.js';
import { DISPUTE_STATUSES, REPORT_ACTIONS, REPORT_LEVELS, REPORT_PLACE_KINDS, REPORT_STATUSES, REPORT_STEP_ACTIONS, VISIT_TOPICS } from './vocab.js';

const when = z.string();
const FileIds = z.array(Uuid).max(9, { error: '最多 9 张照片' });

export const ReportCategory = z
  .object({
    code: z.string(),
    name: z.string(),
    acceptHours: z.number(),
    solveHours: z.number(),
    needsAfterPhoto: z.boolean(),
    emergency: z.boolean(),
  })
  .openapi('ReportCategory');
export type ReportCategory = z.infer<typeof ReportCategory>;

export const PublicPlace = z.object({ id: Uuid, name: z.string(), gridId: Uuid }).openapi('PublicPlace');
export type PublicPlace = z.infer<typeof PublicPlace>;

export const ReportStep = z.object({
  action: z.enum(REPORT_STEP_ACTIONS),
  at: when,
  actor: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  toStatusLabel: z.string().nullable(),
  fromLevel: z.string().nullable(),
  toLevel: z.string().nullable(),
  note: z.string(),
  onTime: z.boolean().nullable(),
  department: z.string().nullable(),
});
export const DepartmentCallSummary = z.object({
  id: Uuid,
  department: z.string(),
  calledAt: when,
  dueAt: when,
  answeredAt: when.nullable(),
  answer: z.string().nullable(),
  overdue: z.boolean(),
});

export const ReportSummary = z
  .object({
    id: Uuid,
    communityId: Uuid,
    category: z.string(),
    categoryName: z.string(),
    description: z.string(),
    status: z.enum(REPORT_STATUSES),
    statusLabel: z.string(),
    level: z.enum(REPORT_LEVELS),
    levelLabel: z.string(),
    place: z.string().nullable(),
    placeKind: z.enum(REPORT_PLACE_KINDS),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    gridName: z.string(),
    reporter: z.string(),
    mine: z.boolean(),
    following: z.boolean(),
    followers: z.number(),
    acceptDue: when,
    solveDue: when.nullable(),
    overdue: z.boolean(),
    createdAt: when,
    updatedAt: when,
    resolvedAt: when.nullable(),
    reopenCount: z.number(),
    rating: z.number().nullable(),
    ratingComment: z.string().nullable(),
    actions: z.array(z.enum(REPORT_ACTIONS)),
  })
  .openapi('ReportSummary');
export type ReportSummary = z.infer<typeof ReportSummary>;

export const Report = ReportSummary.extend({
  steps: z.array(ReportStep),
  departmentCalls: z.array(DepartmentCallSummary),
  afterPhotoIds: z.array(Uuid),
}).openapi('Report');
export type Report = z.infer<typeof Report>;

export const CreateReportBody = z
  .object({
    communityId: Uuid,
    category: z.string().regex(/^[a-z_]{2,30}$/, { error: '请选择问题类别' }),
    description: Text(1000, { min: 5, message: '请写清楚是什么问题（至少 5 个字）' }),
    placeKind: z.enum(REPORT_PLACE_KINDS, { error: '请说明问题在哪里' }),
    buildingId: Uuid.nullable().default(null),
    placeId: Uuid.nullable().default(null),
    latitude: z.number().min(-90).max(90).nullable().default(null),
    longitude: z.number().min(-180).max(180).nullable().default(null),
    placeText: Text(100).default(''),
    anonymous: z.boolean().default(false),
    fileIds: FileIds.default([]),
  })
  .superRefine((b, ctx) => {
    if (b.placeKind === 'building' && !b.buildingId) ctx.addIssue({ code: 'custom', path: ['buildingId'], message: '请选择楼栋' });
    if (b.placeKind === 'place' && !b.placeId) ctx.addIssue({ code: 'custom', path: ['placeId'], message: '请选择公共场所' });
    if (b.placeKind === 'point' && (b.latitude === null || b.longitude === null))
      ctx.addIssue({ code: 'custom', path: ['latitude'], message: '请在地图上选一个位置' });
    if (b.placeKind === 'text' && b.placeText.length < 2) ctx.addIssue({ code: 'custom', path: ['placeText'], message: '请写明地点（至少 2 个字）' });
  });
export type CreateReportBody = z.input<typeof CreateReportBody>;

export const SimilarQuery = CommunityQuery.extend({
  category: z.string().regex(/^[a-z_]{2,30}$/, { error: '请选择问题类别' }),
  buildingId: Uuid.optional(),
  placeId: Uuid.optional(),
});
export const SimilarReport = z
  .object({
    id: Uuid,
    categoryName: z.string(),
    description: z.string(),
    statusLabel: z.string(),
    createdAt: when,
    followers: z.number(),
  })
  .openapi('SimilarReport');
export type SimilarReport = z.infer<typeof SimilarReport>;

// Hyphenated forms (call-department) are accepted too: they are how people write it in URLs and notes.
export const ReportStepBody = z.object({
  action: z.preprocess((v) => (typeof v === 'string' ? v.replace(/-/g, '_') : v), z.enum(REPORT_ACTIONS, { error: '不认识的操作' })),
  note: Text(500).default(''),
  departmentId: Uuid.nullable().default(null),
  rating: Int(1, 5).nullable().default(null),
  fileIds: FileIds.default([]),
});
export type ReportStepBody = z.input<typeof ReportStepBody>;

export const QueueQuery = CommunityPageQuery.extend({
  scope: z.enum(['grid', 'community', 'street'], { error: '范围应为 grid、community 或 street' }).default('grid'),
});

export const Department = z.object({ id: Uuid, name: z.string(), phone: z.string() }).openapi('Department');
export type Department = z.infer<typeof Department>;
export const DepartmentCall = z
  .object({
    id: Uuid,
    reportId: Uuid,
    department: z.string(),
    calledAt: when,
    dueAt: when,
    answeredAt: when.nullable(),
    answer: z.string().nullable(),
    report: ReportSummary,
  })
  .openapi('DepartmentCall');
export type DepartmentCall = z.infer<typeof DepartmentCall>;

export const GridDesk = z
  .object({
    grids: z.array(z.object({ id: Uuid, name: z.string() })),
    isWorker: z.boolean(),
    isStaff: z.boolean(),
    isStreetAdmin: z.boolean(),
    mayMediate: z.boolean(),
    gridOpen: z.number(),
    gridOverdue: z.number(),
    communityOpen: z.number().nullable(),
    streetOpen: z.number().nullable(),
    followUpsDue: z.number(),
    unvisited: z.number(),
    openDisputes: z.number(),
  })
  .openapi('GridDesk');
export type GridDesk = z.infer<typeof GridDesk>;

// ------------------------------------------------------------ visits, log, disputes

const day = z.iso.date({ error: '日期格式应为 2026-11-30' });

export const RecordVisitBody = z.object({
  householdId: Uuid,
  met: Text(60, { min: 1, message: '请写见到了谁，例如 户主本人' }),
  topics: z
    .array(z.enum(VISIT_TOPICS, { error: '不认识的走访事项' }))
    .max(10)
    .default([]),
  note: Text(1000).default(''),
  followUp: Text(300).nullable().default(null),
  followUpDue: day.nullable().default(null),
  disputeId: Uuid.nullable().default(null),
});
export type RecordVisitBody = z.input<typeof RecordVisitBody>;

export const Visit = z
  .object({
    id: Uuid,
    householdId: Uuid,
    address: z.string(),
    visitedAt: when,
    visitedBy: z.string().optional(),
    met: z.string(),
    topics: z.array(z.string()),
    note: z.string(),
    followUp: z.string().nullable(),
    followUpDue: z.string().nullable(),
    followUpDoneAt: when.nullable().optional(),
  })
  .openapi('Visit');
export type Visit = z.infer<typeof Visit>;

export const UnvisitedHousehold = z
  .object({
    householdId: Uuid,
    address: z.string(),
    gridName: z.string(),
    lastVisitedAt: when.nullable(),
    residents: z.array(z.string()).nullable(),
  })
  .openapi('UnvisitedHousehold');
export type UnvisitedHousehold = z.infer<typeof UnvisitedHousehold>;

export const GridHousehold = z
  .object({
    householdId: Uuid,
    address: z.string(),
    gridName: z.string(),
    residents: z.array(z.string()),
  })
  .openapi('GridHousehold');
export type GridHousehold = z.infer<typeof GridHousehold>;
export const HouseholdSearchQuery = CommunityPageQuery.extend({ q: Text(40).optional() });

export const WorkLogBody = z.object({ gridId: Uuid, day, body: Text(2000, { min: 2, message: '请写下今天的情况（至少 2 个字）' }) });
export const WorkLog = z
  .object({
    id: Uuid,
    day: z.string(),
    body: z.string(),
    author: z.string().optional(),
    gridName: z.string().optional(),
    createdAt: when,
  })
  .openapi('WorkLog');
export type WorkLog = z.infer<typeof WorkLog>;

export const OpenDisputeBody = z.object({
  gridId: Uuid,
  title: Text(60, { min: 2, message: '请写一个简短的标题' }),
  details: Text(3000, { min: 5, message: '请写明纠纷的经过（至少 5 个字）' }),
  partyHouseholdIds: z.array(Uuid).min(1, { error: '请选择当事的住户' }).max(10),
  reportId: Uuid.nullable().default(null),
});
export const MediationBody = z.object({ notes: Text(3000, { min: 2, message: '请记下这次调解的情况' }) });
export const ConcludeDisputeBody = z
  .object({
    status: z.enum(['agreed', 'referred', 'closed'], { error: '请选择结果' }),
    agreement: Text(2000).nullable().default(null),
    referredTo: Text(100).nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'agreed' && !b.agreement) ctx.addIssue({ code: 'custom', path: ['agreement'], message: '请写明协议内容' });
    if (b.status === 'referred' && !b.referredTo) ctx.addIssue({ code: 'custom', path: ['referredTo'], message: '请写明转交给谁，例如 司法所' });
  });
export const Dispute = z
  .object({
    id: Uuid,
    title: z.string(),
    details: z.string(),
    status: z.enum(DISPUTE_STATUSES),
    agreement: z.string().nullable(),
    referredTo: z.string().nullable(),
    reportId: Uuid.nullable(),
    createdAt: when,
    concludedAt: when.nullable(),
    gridName: z.string(),
    parties: z.array(z.object({ householdId: Uuid, address: z.string() })),
    sessions: z.array(z.object({ id: Uuid, heldAt: when, mediator: z.string(), notes: z.string() })),
  })
  .openapi('Dispute');
export type Dispute = z.infer<typeof Dispute>;
export const DisputeSummary = z
  .object({
    id: Uuid,
    title: z.string(),
    status: z.enum(DISPUTE_STATUSES),
    createdAt: when,
    gridName: z.string(),
    sessions: z.number(),
  })
  .openapi('DisputeSummary');
export type DisputeSummary = z.infer<typeof DisputeSummary>;

// ------------------------------------------------------------ 考核 figures

const Month = z.string().regex(/^20\d\d-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-11' });
export const FiguresQuery = CommunityQuery.extend({ month: Month, workerId: Uuid.optional() });
export const AllFiguresQuery = CommunityPageQuery.extend({ month: Month });
export const GridFigures = z
  .object({
    workerId: Uuid,
    name: z.string(),
    month: z.string(),
    reports: z.number(),
    acceptedOnTime: z.number(),
    acceptedOnTimeRate: z.number().nullable(),
    resolved: z.number(),
    resolvedOnTime: z.number(),
    resolvedOnTimeRate: z.number().nullable(),
    escalated: z.number(),
    escalatedRate: z.number().nullable(),
    reopened: z.number(),
    reopenedRate: z.number().nullable(),
    averageRating: z.number().nullable(),
    ratings: z.number(),
    householdsVisited: z.number(),
    households: z.number(),
    disputesMediated: z.number(),
  })
  .openapi('GridFigures');
export type GridFigures = z.infer<typeof GridFigures>;
