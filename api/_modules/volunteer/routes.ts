import { z } from '@hono/zod-openapi';
import { domainRouter } from '../../_lib/router.js';
import { CommunityPageQuery, CommunityQuery, IdParam, Page, Uuid } from '../../_contracts/common.js';
import {
  Activity,
  ActivitySummary,
  CheckinBody,
  CheckinCode,
  CorrectionBody,
  CreateActivityBody,
  SignupResult,
  TeamDecisionBody,
  VolunteerProfile,
  VolunteerProfileBody,
  VolunteerRecord,
  WhistleBody,
  WhistleCall,
} from '../../_contracts/volunteer.js';

/**
 * Check-in codes are 6 digits: attempts are limited per person and activity (a volunteer needs two: in and
 * out) and per activity overall, so guessing is hopeless and a flood is cut off.
 */
export const CHECKIN_LIMITS = { perPerson: 10, perActivity: 300, windowSeconds: 600 };

export function volunteerRoutes() {
  const r = domainRouter('volunteer');

  r.rpc({
    method: 'get',
    path: '/profile',
    summary: '我的志愿者登记与服务队',
    query: CommunityQuery,
    response: VolunteerProfile,
    fn: 'get_volunteer_profile',
    args: ({ query }) => ({ p_community_id: query.communityId }),
  });
  r.rpc({
    method: 'put',
    path: '/profile',
    summary: '登记或修改志愿者资料',
    body: VolunteerProfileBody,
    response: VolunteerProfile,
    errors: [403],
    fn: 'register_volunteer',
    args: ({ body: b }) => ({ p_community_id: b.communityId, p_skills: b.skills, p_availability: b.availability, p_show_name: b.showName }),
  });
  r.rpc({
    method: 'post',
    path: '/teams/{id}/join',
    summary: '申请加入服务队',
    params: IdParam,
    response: z.object({ teamId: Uuid, status: z.string() }),
    errors: [404, 409],
    fn: 'request_team_join',
    args: ({ params }) => ({ p_team_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/teams/{id}/members/{profileId}/decision',
    summary: '队长或两委审批入队',
    params: IdParam.extend({ profileId: Uuid }),
    body: TeamDecisionBody,
    response: z.object({ teamId: Uuid, profileId: Uuid, status: z.string() }),
    errors: [403, 404],
    fn: 'decide_team_join',
    args: ({ params, body }) => ({ p_team_id: params.id, p_profile_id: params.profileId, p_approve: body.approve, p_reason: body.reason ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/activities',
    summary: '志愿活动（即将开始、往期、我报名的、我组织的）',
    query: CommunityPageQuery.extend({ scope: z.enum(['upcoming', 'past', 'mine', 'organizing']).default('upcoming') }),
    response: Page(ActivitySummary),
    fn: 'list_activities',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_scope: q.scope, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/activities',
    status: 201,
    summary: '发布志愿活动（两委、队长）',
    body: CreateActivityBody,
    response: Activity,
    errors: [403],
    fn: 'create_activity',
    args: ({ body: b }) => ({
      p_community_id: b.communityId,
      p_title: b.title,
      p_description: b.description,
      p_place: b.place,
      p_starts_at: b.startsAt,
      p_ends_at: b.endsAt,
      p_capacity: b.capacity,
      p_points_per_hour: b.pointsPerHour,
      p_cancel_hours: b.cancelHours,
      p_waitlist: b.waitlist,
      p_required_skills: b.requiredSkills,
      p_min_presence_minutes: b.minPresenceMinutes,
      p_grid_id: b.gridId,
      p_team_id: b.teamId,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/activities/{id}',
    summary: '活动详情',
    params: IdParam,
    response: Activity,
    errors: [404],
    fn: 'get_activity',
    args: ({ params }) => ({ p_activity_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/activities/{id}/signups',
    status: 201,
    idempotent: true,
    summary: '报名（满员时进入候补）',
    params: IdParam,
    response: SignupResult,
    errors: [403, 404, 409],
    fn: 'sign_up_activity',
    args: ({ params, key }) => ({ p_activity_id: params.id, p_idempotency_key: key }),
  });
  r.rpc({
    method: 'post',
    path: '/activities/{id}/signups/cancel',
    summary: '取消报名（截止前）',
    params: IdParam,
    response: z.object({ activityId: Uuid, status: z.string(), promotedSomeone: z.boolean() }),
    errors: [404, 409],
    fn: 'cancel_signup',
    args: ({ params }) => ({ p_activity_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/activities/{id}/checkin-code',
    summary: '组织者的签到码（每 45 秒更换）',
    params: IdParam,
    response: CheckinCode,
    errors: [403, 404],
    fn: 'get_checkin_code',
    args: ({ params }) => ({ p_activity_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/activities/{id}/checkins',
    summary: '扫码签到或签退',
    params: IdParam,
    body: CheckinBody,
    response: z.object({ activityId: Uuid, checkedInAt: z.string().nullable(), checkedOutAt: z.string().nullable() }),
    errors: [404, 409],
    limits: ({ c, params }) => [
      { bucket: `checkin:${c.get('caller')!.sub}:${params.id}`, limit: CHECKIN_LIMITS.perPerson, window: CHECKIN_LIMITS.windowSeconds },
      { bucket: `checkin:${params.id}`, limit: CHECKIN_LIMITS.perActivity, window: CHECKIN_LIMITS.windowSeconds },
    ],
    fn: 'check_in_activity',
    args: ({ params, body }) => ({ p_activity_id: params.id, p_code: body.code, p_direction: body.direction }),
  });
  r.rpc({
    method: 'post',
    path: '/activities/{id}/confirm',
    summary: '组织者确认出勤并记积分（只记一次）',
    params: IdParam,
    response: Activity,
    errors: [403, 404, 409],
    fn: 'confirm_activity',
    args: ({ params }) => ({ p_activity_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/signups/{id}/correction',
    summary: '更正某人的服务时长（需写原因）',
    params: IdParam,
    body: CorrectionBody,
    response: Activity,
    errors: [403, 404, 409],
    fn: 'correct_attendance',
    args: ({ params, body }) => ({ p_signup_id: params.id, p_minutes: body.minutes, p_reason: body.reason }),
  });
  r.rpc({
    method: 'get',
    path: '/record',
    summary: '我的志愿服务记录（合计与分页的活动）',
    query: CommunityPageQuery,
    response: VolunteerRecord,
    fn: 'get_volunteer_record',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/whistles',
    summary: '吹哨报到：最近一天的呼叫',
    query: CommunityPageQuery,
    response: Page(WhistleCall),
    fn: 'list_whistle_calls',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/whistles',
    status: 201,
    summary: '吹哨（两委、本网格网格员）',
    body: WhistleBody,
    response: z.object({ id: Uuid, closesAt: z.string() }),
    errors: [403, 404],
    fn: 'blow_whistle',
    args: ({ body: b }) => ({
      p_community_id: b.communityId,
      p_title: b.title,
      p_detail: b.detail,
      p_place: b.place,
      p_grid_id: b.gridId,
      p_team_id: b.teamId,
      p_hours: b.hours,
    }),
  });
  r.rpc({
    method: 'post',
    path: '/whistles/{id}/respond',
    summary: '报到',
    params: IdParam,
    body: z.object({ etaMinutes: z.number().int().min(0).max(240).nullable().default(null) }),
    response: z.object({ callId: Uuid, responded: z.boolean() }),
    errors: [404, 409],
    fn: 'respond_whistle',
    args: ({ params, body }) => ({ p_call_id: params.id, p_eta_minutes: body.etaMinutes }),
  });
  r.rpc({
    method: 'post',
    path: '/whistles/subscriptions',
    status: 201,
    summary: '订阅一次吹哨提醒',
    body: z.object({ communityId: Uuid }),
    response: z.object({ topic: z.string(), credits: z.number() }),
    errors: [409],
    fn: 'subscribe_whistle',
    args: ({ body }) => ({ p_community_id: body.communityId }),
  });

  return r.router;
}
