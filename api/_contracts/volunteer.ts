import { z } from '@hono/zod-openapi';
import { Uuid } from './common.js';

const Skills = z.array(z.string().trim().min(1).max(20, { error: '每项特长最多 20 字' })).max(10, { error: '最多 10 项特长' });

export const VolunteerProfileBody = z.object({
  communityId: Uuid,
  skills: Skills.default([]),
  availability: z.string().trim().max(100, { error: '最多 100 字' }).default(''),
  showName: z.boolean(),
});

export const Team = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  leader: z.string().nullable(),
  isLeader: z.boolean().nullable(),
  members: z.number(),
  myStatus: z.enum(['pending', 'approved', 'refused']).nullable(),
  myReason: z.string().nullable(),
  pending: z.array(z.object({ profileId: Uuid, name: z.string().nullable(), skills: z.array(z.string()).nullable() })).nullable(),
});
export const VolunteerProfile = z
  .object({
    registered: z.boolean(),
    skills: z.array(z.string()),
    availability: z.string(),
    showName: z.boolean(),
    teams: z.array(Team),
  })
  .openapi('VolunteerProfile');
export type VolunteerProfile = z.infer<typeof VolunteerProfile>;

export const TeamDecisionBody = z
  .object({ approve: z.boolean(), reason: z.string().trim().max(200).optional() })
  .refine((b) => b.approve || (b.reason?.length ?? 0) >= 2, { path: ['reason'], error: '请写明不同意的原因' });

const isoTime = z.iso.datetime({ offset: true, error: '时间格式不对' });
export const CreateActivityBody = z
  .object({
    communityId: Uuid,
    title: z.string().trim().min(2, { error: '活动名称至少 2 个字' }).max(60, { error: '活动名称最多 60 字' }),
    description: z.string().max(2000).default(''),
    place: z.string().trim().min(2, { error: '请填写地点' }).max(80),
    startsAt: isoTime,
    endsAt: isoTime,
    capacity: z.number().int().min(1, { error: '名额至少 1 人' }).max(500, { error: '名额最多 500 人' }),
    pointsPerHour: z.number().int().min(0).max(100, { error: '每小时最多 100 分' }),
    cancelHours: z.number().int().min(0).max(168).default(2),
    waitlist: z.boolean().default(true),
    requiredSkills: Skills.default([]),
    minPresenceMinutes: z.number().int().min(0).max(480).default(30),
    gridId: Uuid.nullable().default(null),
    teamId: Uuid.nullable().default(null),
  })
  .refine((b) => new Date(b.endsAt) > new Date(b.startsAt), { path: ['endsAt'], error: '结束时间要晚于开始时间' });
export type CreateActivityBody = z.input<typeof CreateActivityBody>;

const MySignup = z.object({
  status: z.enum(['confirmed', 'waitlisted', 'cancelled']),
  waitlistPosition: z.number().nullable(),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  minutes: z.number().nullable(),
  points: z.number().nullable(),
});
export const ActivitySummary = z
  .object({
    id: Uuid,
    title: z.string(),
    place: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    capacity: z.number(),
    seatsTaken: z.number(),
    pointsPerHour: z.number(),
    status: z.string(),
    requiredSkills: z.array(z.string()),
    cancelUntil: z.string(),
    waitlist: z.boolean(),
    gridId: Uuid.nullable(),
    teamId: Uuid.nullable(),
    mySignup: MySignup.nullable(),
  })
  .openapi('ActivitySummary');
export type ActivitySummary = z.infer<typeof ActivitySummary>;
export const Activity = ActivitySummary.extend({
  description: z.string(),
  minPresenceMinutes: z.number(),
  organizer: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  canOrganize: z.boolean(),
  signups: z
    .array(
      z.object({
        id: Uuid,
        name: z.string(),
        status: z.string(),
        checkedInAt: z.string().nullable(),
        checkedOutAt: z.string().nullable(),
        minutes: z.number().nullable(),
        points: z.number().nullable(),
        correctionReason: z.string().nullable(),
      }),
    )
    .nullable(),
}).openapi('Activity');
export type Activity = z.infer<typeof Activity>;

export const SignupResult = z
  .object({ signupId: Uuid, activityId: Uuid, status: z.enum(['confirmed', 'waitlisted', 'cancelled']), waitlistPosition: z.number().nullable() })
  .openapi('SignupResult');
export const CheckinCode = z.object({ code: z.string(), qr: z.string(), expiresAt: z.string(), windowSeconds: z.number() });
export const CheckinBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, { error: '签到码是 6 位数字' }),
  direction: z.enum(['in', 'out']),
});
export const CorrectionBody = z.object({ minutes: z.number().int().min(0).max(1440), reason: z.string().trim().min(2, { error: '请写明更正原因' }).max(200) });

export const VolunteerRecord = z
  .object({
    name: z.string(),
    community: z.string(),
    totalMinutes: z.number(),
    totalPoints: z.number(),
    activities: z.number(),
    items: z.array(z.object({ title: z.string(), place: z.string(), startsAt: z.string(), minutes: z.number().nullable(), points: z.number().nullable() })),
    points: z.object({ balance: z.number(), available: z.number(), pending: z.number() }),
    nextCursor: z.string().nullable(),
  })
  .openapi('VolunteerRecord');
export type VolunteerRecord = z.infer<typeof VolunteerRecord>;

export const WhistleBody = z.object({
  communityId: Uuid,
  title: z.string().trim().min(2, { error: '请写明发生了什么' }).max(60),
  detail: z.string().max(500).default(''),
  place: z.string().trim().min(2, { error: '请填写地点' }).max(80),
  gridId: Uuid.nullable().default(null),
  teamId: Uuid.nullable().default(null),
  hours: z.number().int().min(1).max(48).default(4),
});
export const WhistleCall = z
  .object({
    id: Uuid,
    title: z.string(),
    detail: z.string(),
    place: z.string(),
    createdAt: z.string(),
    closesAt: z.string(),
    open: z.boolean(),
    caller: z.string().nullable(),
    responded: z.boolean(),
    responseCount: z.number(),
    responders: z.array(z.object({ name: z.string(), etaMinutes: z.number().nullable(), respondedAt: z.string() })).nullable(),
  })
  .openapi('WhistleCall');
export type WhistleCall = z.infer<typeof WhistleCall>;
