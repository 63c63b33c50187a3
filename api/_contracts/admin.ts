import { z } from '@hono/zod-openapi';
import { CommunityPageQuery, Int, PageQuery, Text, Uuid } from './common.js';
import { POINTS_ON_MOVE_OUT, ROLES } from './vocab.js';

const when = z.string();
const day = z.iso.date({ error: '日期格式应为 2026-11-01' });

export const ManagedCommunity = z
  .object({
    id: Uuid,
    name: z.string(),
    kind: z.enum(['community', 'village']),
    streetName: z.string(),
    archivedAt: when.nullable(),
    mayCreate: z.boolean(),
  })
  .openapi('ManagedCommunity');
export type ManagedCommunity = z.infer<typeof ManagedCommunity>;

export const CommunitySetup = z
  .object({
    id: Uuid,
    name: z.string(),
    kind: z.enum(['community', 'village']),
    streetId: Uuid,
    streetName: z.string(),
    address: z.string(),
    servicePhone: z.string(),
    serviceHours: z.string(),
    archivedAt: when.nullable(),
    createdAt: when,
    cosignThreshold: z.number(),
    objectionDays: z.number(),
    pointsOnMoveOut: z.enum(POINTS_ON_MOVE_OUT),
    grids: z.array(
      z.object({
        id: Uuid,
        name: z.string(),
        description: z.string(),
        archivedAt: when.nullable(),
        buildings: z.number(),
        households: z.number(),
        workers: z.array(z.string()),
      }),
    ),
    counts: z.object({
      buildings: z.number(),
      households: z.number(),
      residents: z.number(),
      pendingRoster: z.number(),
      representatives: z.number(),
      partyMembers: z.number(),
      pendingRosterTags: z.number(),
    }),
    mayEditCommunity: z.boolean(),
  })
  .openapi('CommunitySetup');
export type CommunitySetup = z.infer<typeof CommunitySetup>;

export const SaveCommunityBody = z.object({
  streetId: Uuid,
  name: Text(40, { min: 2, message: '名称至少 2 个字，例如 春晖社区' }),
  kind: z.enum(['community', 'village'], { error: '请选择社区或村' }),
  address: Text(200).default(''),
  servicePhone: Text(30).default(''),
  serviceHours: Text(100).default(''),
  cosignThreshold: Int(1, 10000).default(10),
  objectionDays: Int(1, 30).default(7),
  pointsOnMoveOut: z.enum(POINTS_ON_MOVE_OUT, { error: '请选择迁出时积分的处理办法' }).default('keep'),
});
export type SaveCommunityBody = z.input<typeof SaveCommunityBody>;

export const ArchiveBody = z.object({ archived: z.boolean() });
export const SaveGridBody = z.object({
  name: Text(40, { min: 2, message: '网格名称至少 2 个字' }),
  description: Text(200).default(''),
  archived: z.boolean().default(false),
});
export const SaveBuildingBody = z.object({ gridId: Uuid, name: Text(40, { min: 1, message: '请填写楼栋名称' }) });
export const GridSaved = z.object({ id: Uuid, name: z.string(), description: z.string(), archivedAt: when.nullable() });
export const BuildingSaved = z.object({ id: Uuid, name: z.string(), gridId: Uuid });

export const ImportQuery = z.object({
  dryRun: z.enum(['true', 'false'], { error: 'dryRun 应为 true 或 false' }).default('true'),
  kind: z.enum(['households', 'roster'], { error: 'kind 应为 households（住户和居民）或 roster（代表和党员名册）' }).default('households'),
});
export const ImportResult = z
  .object({
    dryRun: z.boolean(),
    rows: z.number(),
    created: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    refused: z.number(),
    sha256: z.string(),
    details: z.array(
      z.object({ row: z.number(), action: z.enum(['create', 'update', 'refused']), reason: z.string(), building: z.string(), room: z.string() }),
    ),
  })
  .openapi('ImportResult');
export type ImportResult = z.infer<typeof ImportResult>;

export const Member = z
  .object({
    membershipId: Uuid,
    profileId: Uuid,
    role: z.enum(ROLES),
    title: z.string(),
    since: when,
    name: z.string(),
    phone: z.string().nullable(),
    gridId: Uuid.nullable(),
    gridName: z.string().nullable(),
    householdId: Uuid.nullable(),
    address: z.string().nullable(),
  })
  .openapi('Member');
export type Member = z.infer<typeof Member>;
export const MembersQuery = CommunityPageQuery.omit({ communityId: true }).extend({
  role: z.enum(['staff', ...ROLES], { error: '身份不对' }).default('staff'),
  q: Text(20).optional(),
});
export const GrantRoleBody = z
  .object({
    phone: z
      .string()
      .trim()
      .regex(/^1[3-9]\d{9}$/, { error: '请填写 11 位手机号' }),
    name: Text(20, { min: 2, message: '请填写姓名' }),
    role: z.enum(['committee', 'clerk', 'grid_worker', 'supervisor'], { error: '请选择身份' }),
    gridId: Uuid.nullable().default(null),
    title: Text(40).default(''),
  })
  .superRefine((b, ctx) => {
    if (b.role === 'grid_worker' && !b.gridId) ctx.addIssue({ code: 'custom', path: ['gridId'], message: '网格员要选负责的网格' });
    if (b.role !== 'grid_worker' && b.gridId) ctx.addIssue({ code: 'custom', path: ['gridId'], message: '只有网格员要选网格' });
  });
export type GrantRoleBody = z.input<typeof GrantRoleBody>;
export const GrantResult = z.object({ granted: z.boolean(), invited: z.boolean(), member: Member.nullable() });
export const WithdrawBody = z.object({ reason: Text(200, { min: 2, message: '请写明原因，例如 换届离任' }) });
export const EndResidenceBody = z.object({
  reason: z.enum(['moved_out', 'moved_household', 'deceased', 'long_absence'], { error: '请选择原因' }),
  note: Text(200).default(''),
  newHouseholdId: Uuid.nullable().default(null),
});
export const EndResidenceResult = z
  .object({
    membershipId: Uuid,
    ended: z.boolean(),
    member: Member.nullable(),
    /** On moving out or death: the community's rule, the points moved or written off, and to whom (masked). */
    points: z.object({ rule: z.enum(POINTS_ON_MOVE_OUT), points: z.number(), to: z.string().nullable() }).nullable(),
  })
  .openapi('EndResidenceResult');
export type EndResidenceResult = z.infer<typeof EndResidenceResult>;
export const HistoryEntry = z
  .object({
    id: z.number(),
    name: z.string(),
    role: z.enum(ROLES),
    title: z.string(),
    gridName: z.string().nullable(),
    address: z.string().nullable(),
    startedAt: when,
    endedAt: when.nullable(),
    endReason: z.string().nullable(),
    note: z.string(),
    endedBy: z.string().nullable(),
  })
  .openapi('MembershipHistoryEntry');

export const SaveDepartmentBody = z.object({
  name: Text(30, { min: 2, message: '部门名称至少 2 个字' }),
  phone: Text(30).default(''),
  contactPhone: z
    .string()
    .trim()
    .regex(/^1[3-9]\d{9}$/, { error: '请填写 11 位手机号' })
    .nullable()
    .default(null),
  removeContact: z.boolean().default(false),
});
export const DepartmentSaved = z.object({ id: Uuid, name: z.string(), phone: z.string(), contacts: z.array(z.string()) }).openapi('StreetDepartment');
export type DepartmentSaved = z.infer<typeof DepartmentSaved>;

// ------------------------------------------------------------ dashboards

export const PeriodQuery = z.object({ from: day, to: day });
/** A dashboard: a computed answer is kept ten minutes; refresh=true computes it again now. */
export const DashboardQuery = PeriodQuery.extend({
  refresh: z.enum(['true', 'false'], { error: 'refresh 应为 true 或 false' }).default('false'),
});
const computedAt = z.string().openapi({ description: '这些数字算出的时间（看板的数字最多保留 10 分钟，refresh=true 立即重算）' });
export const Figures = z
  .object({
    casesOpen: z.number(),
    casesOverdue: z.number(),
    casesReceived: z.number(),
    casesCompleted: z.number(),
    averageHandlingDays: z.number().nullable(),
    averageCaseRating: z.number().nullable(),
    reportsReceived: z.number(),
    reportsOpen: z.number(),
    reportsOverdue: z.number(),
    reportsByStatus: z.object({ reported: z.number(), accepted: z.number(), in_progress: z.number(), resolved: z.number(), confirmed: z.number() }),
    reportsResolvedOnTimeRate: z.number().nullable(),
    topicsRaised: z.number(),
    topicsTakenUp: z.number(),
    topicsDecided: z.number(),
    pollTurnoutRate: z.number().nullable(),
    volunteerHours: z.number(),
    activeVolunteers: z.number(),
    pointsIssued: z.number(),
    pointsSpent: z.number(),
    pointsOutstanding: z.number(),
    importantNotices: z.number(),
    importantUnreadHouseholds: z.number(),
    verificationsPending: z.number(),
    oldestVerificationDays: z.number().nullable(),
    households: z.number(),
    residents: z.number(),
  })
  .openapi('DashboardFigures');
export type Figures = z.infer<typeof Figures>;
export const StreetDashboard = z
  .object({
    items: z.array(
      z.object({ communityId: Uuid, name: z.string(), kind: z.enum(['community', 'village']), archived: z.boolean(), figures: Figures, computedAt }),
    ),
    nextCursor: z.string().nullable(),
    from: z.string(),
    to: z.string(),
  })
  .openapi('StreetDashboard');
export type StreetDashboard = z.infer<typeof StreetDashboard>;
export const StreetDashboardQuery = DashboardQuery.extend(PageQuery.shape);
export const CommunityDashboard = z
  .object({
    communityId: Uuid,
    name: z.string(),
    from: z.string(),
    to: z.string(),
    figures: Figures,
    grids: z.array(
      z.object({
        gridId: Uuid,
        name: z.string(),
        households: z.number(),
        reportsReceived: z.number(),
        reportsOpen: z.number(),
        reportsOverdue: z.number(),
        householdsVisited: z.number(),
        workers: z.array(z.string()),
      }),
    ),
    computedAt,
  })
  .openapi('CommunityDashboard');
export type CommunityDashboard = z.infer<typeof CommunityDashboard>;
export const TrendQuery = z
  .object({ streetId: Uuid.optional(), communityId: Uuid.optional(), months: z.coerce.number().int().min(1).max(24).default(12) })
  .refine((q) => Boolean(q.streetId) !== Boolean(q.communityId), { error: '请给出街道或社区之一', path: ['communityId'] });
export const TrendPoint = z
  .object({
    month: z.string(),
    casesReceived: z.number(),
    casesCompleted: z.number(),
    reportsReceived: z.number(),
    reportsResolvedOnTimeRate: z.number().nullable(),
    volunteerHours: z.number(),
    pointsIssued: z.number(),
  })
  .openapi('TrendPoint');
export type TrendPoint = z.infer<typeof TrendPoint>;

export const EXPORT_KINDS = ['dashboard', 'households', 'members', 'cases', 'reports', 'ledger', 'handouts'] as const;
export const ExportQuery = PeriodQuery.extend({ kind: z.enum(EXPORT_KINDS, { error: '不认识的导出类型' }) });
