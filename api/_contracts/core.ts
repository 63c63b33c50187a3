import { z } from '@hono/zod-openapi';
import { Page, PageQuery, Uuid } from './common.js';
import { RELATIONS, ROLES, VERIFICATION_STATUSES } from './vocab.js';

/** The privacy text version residents must accept; bump it when the text changes. */
export const PRIVACY_POLICY_VERSION = '2026-11-01';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Profile = z
  .object({
    id: Uuid,
    displayName: z.string(),
    realName: z.string().nullable(),
    phoneMasked: z.string().nullable(),
  })
  .openapi('Profile');
export type Profile = z.infer<typeof Profile>;

export const AuthResponse = z.object({ token: z.string(), profile: Profile }).openapi('AuthResponse');
export type AuthResponse = z.infer<typeof AuthResponse>;

export const WechatLoginBody = z.object({
  code: z.string().min(1, { error: '缺少微信登录凭证' }).max(128),
});
export const DevLoginBody = z.object({
  persona: z
    .string()
    .min(1, { error: '请选择演示身份' })
    .max(40)
    .regex(/^[a-z0-9_]+$/, { error: '演示身份名称不对' }),
});

export const DevPersona = z.object({
  persona: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  community: z.string().nullable(),
});
export const DevPersonaList = z.object({ personas: z.array(DevPersona) }).openapi('DevPersonaList');
export type DevPersona = z.infer<typeof DevPersona>;

export const Consent = z.object({ version: z.string(), granted: z.boolean(), at: z.string() });

export const MyCommunity = z.object({
  id: Uuid,
  name: z.string(),
  kind: z.enum(['community', 'village']),
  streetName: z.string(),
  servicePhone: z.string(),
  serviceHours: z.string(),
  roles: z.array(Role),
  household: z.object({ id: Uuid, address: z.string(), gridId: Uuid, gridName: z.string() }).nullable(),
  gridWorker: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
  grids: z.array(z.object({ id: Uuid, name: z.string() })),
});
export type MyCommunity = z.infer<typeof MyCommunity>;

export const VerificationStatus = z.enum(VERIFICATION_STATUSES);

export const MyVerification = z.object({
  id: Uuid,
  communityId: Uuid,
  communityName: z.string(),
  address: z.string(),
  status: VerificationStatus,
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});

export const Me = z
  .object({
    profile: Profile.extend({ phone: z.string().nullable() }),
    communities: z.array(MyCommunity),
    adminOf: z.array(z.object({ streetId: Uuid, streetName: z.string() })),
    /** Street departments this person answers 报到 for (随手拍 calls). */
    departments: z.array(z.object({ id: Uuid, name: z.string() })),
    verifications: z.array(MyVerification),
    consents: z.record(z.string(), Consent),
    privacyPolicyVersion: z.string(),
  })
  .openapi('Me');
export type Me = z.infer<typeof Me>;

export const ConsentBody = z.object({
  purpose: z.enum(['privacy_policy', 'phone_number', 'public_name'], { error: '授权类型不对' }),
  version: z.string().min(1).max(40),
  granted: z.boolean(),
});
export const ConsentResult = z.object({ purpose: z.string(), version: z.string(), granted: z.boolean(), at: z.string() });

export const CommunityOption = z
  .object({ id: Uuid, name: z.string(), kind: z.enum(['community', 'village']), streetName: z.string(), address: z.string() })
  .openapi('CommunityOption');
export const CommunityList = Page(CommunityOption).openapi('CommunityList');
export type CommunityOption = z.infer<typeof CommunityOption>;
export const CommunityDetail = CommunityOption.extend({
  servicePhone: z.string(),
  serviceHours: z.string(),
  grids: z.array(z.object({ id: Uuid, name: z.string() })),
}).openapi('CommunityDetail');
export type CommunityDetail = z.infer<typeof CommunityDetail>;
export const BuildingOption = z.object({ id: Uuid, name: z.string(), gridId: Uuid, gridName: z.string() }).openapi('BuildingOption');
export type BuildingOption = z.infer<typeof BuildingOption>;
export const SearchPageQuery = PageQuery.extend({ q: z.string().trim().max(40, { error: '搜索词太长' }).optional() });

export const Relation = z.enum(RELATIONS, { error: '请选择与户主的关系' });

export const VerificationRequestBody = z.object({
  communityId: Uuid,
  buildingId: Uuid,
  room: z.string().trim().min(1, { error: '请填写门牌号' }).max(40, { error: '门牌号太长' }),
  realName: z.string().trim().min(2, { error: '请填写真实姓名' }).max(20, { error: '姓名太长' }),
  relation: Relation,
  phone: z
    .string()
    .regex(/^1[3-9]\d{9}$/, { error: '手机号格式不对' })
    .optional(),
  note: z.string().max(200, { error: '备注最多 200 字' }).optional(),
});
export type VerificationRequestBody = z.infer<typeof VerificationRequestBody>;

export const VerificationCreated = z.object({ id: Uuid, status: VerificationStatus, createdAt: z.string() });

export const VerificationDecisionBody = z
  .object({
    approve: z.boolean(),
    reason: z.string().trim().max(200, { error: '原因最多 200 字' }).optional(),
  })
  .refine((b) => b.approve || (b.reason?.length ?? 0) >= 2, { path: ['reason'], error: '请填写不通过的原因' });

export const VerificationDecision = z.object({
  id: Uuid,
  status: VerificationStatus,
  reason: z.string().nullable(),
  decidedAt: z.string(),
  householdId: Uuid.nullable(),
});

export const VerificationQueueItem = z.object({
  id: Uuid,
  realName: z.string(),
  relation: z.string(),
  phoneMasked: z.string().nullable(),
  address: z.string(),
  gridName: z.string(),
  note: z.string(),
  status: VerificationStatus,
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const VerificationQueue = Page(VerificationQueueItem).openapi('VerificationQueue');
export type VerificationQueueItem = z.infer<typeof VerificationQueueItem>;

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  actor: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const AuditLog = Page(AuditEntry).openapi('AuditLog');

export const Health = z
  .object({
    ok: z.boolean(),
    database: z.object({ engine: z.string(), version: z.string() }),
    migrations: z.array(z.string()),
  })
  .openapi('Health');
