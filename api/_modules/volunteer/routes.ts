import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { idempotencyKey } from '../../_lib/idempotency.js';
import { CommunityQuery, IdParam, Uuid } from '../../_contracts/common.js';
import {
  Activity, ActivitySummary, CheckinBody, CheckinCode, CorrectionBody, CreateActivityBody, SignupResult, TeamDecisionBody,
  VolunteerProfile, VolunteerProfileBody, VolunteerRecord, WhistleBody, WhistleCall,
} from '../../_contracts/volunteer.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['volunteer'];
const idem = { headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: '同一操作重试时使用同一个键' }) }) };

const routes = {
  profile: createRoute({ method: 'get', path: '/profile', tags, security: bearer, summary: '我的志愿者登记与服务队', request: { query: CommunityQuery },
    responses: { 200: json(VolunteerProfile, '志愿者资料'), ...errors(400, 401) } }),
  register: createRoute({ method: 'put', path: '/profile', tags, security: bearer, summary: '登记或修改志愿者资料', request: body(VolunteerProfileBody),
    responses: { 200: json(VolunteerProfile, '已保存'), ...errors(400, 401, 403) } }),
  join: createRoute({ method: 'post', path: '/teams/{id}/join', tags, security: bearer, summary: '申请加入服务队', request: { params: IdParam },
    responses: { 200: json(z.object({ teamId: Uuid, status: z.string() }), '已申请'), ...errors(400, 401, 404, 409) } }),
  decideJoin: createRoute({ method: 'post', path: '/teams/{id}/members/{profileId}/decision', tags, security: bearer, summary: '队长或两委审批入队',
    request: { params: IdParam.extend({ profileId: Uuid }), ...body(TeamDecisionBody) },
    responses: { 200: json(z.object({ teamId: Uuid, profileId: Uuid, status: z.string() }), '已处理'), ...errors(400, 401, 403, 404) } }),
  list: createRoute({ method: 'get', path: '/activities', tags, security: bearer, summary: '志愿活动',
    request: { query: CommunityQuery.extend({ scope: z.enum(['upcoming', 'past', 'mine', 'organizing']).default('upcoming') }) },
    responses: { 200: json(z.object({ activities: z.array(ActivitySummary) }), '活动'), ...errors(400, 401) } }),
  create: createRoute({ method: 'post', path: '/activities', tags, security: bearer, summary: '发布志愿活动（两委、队长）', request: body(CreateActivityBody),
    responses: { 201: json(Activity, '已发布'), ...errors(400, 401, 403) } }),
  get: createRoute({ method: 'get', path: '/activities/{id}', tags, security: bearer, summary: '活动详情', request: { params: IdParam },
    responses: { 200: json(Activity, '活动'), ...errors(400, 401, 404) } }),
  signup: createRoute({ method: 'post', path: '/activities/{id}/signups', tags, security: bearer, summary: '报名（满员时进入候补）',
    request: { params: IdParam, ...idem }, responses: { 201: json(SignupResult, '已报名或已候补'), ...errors(400, 401, 403, 404, 409) } }),
  cancel: createRoute({ method: 'post', path: '/activities/{id}/signups/cancel', tags, security: bearer, summary: '取消报名（截止前）',
    request: { params: IdParam }, responses: { 200: json(z.object({ activityId: Uuid, status: z.string(), promotedSomeone: z.boolean() }), '已取消'), ...errors(400, 401, 404, 409) } }),
  code: createRoute({ method: 'get', path: '/activities/{id}/checkin-code', tags, security: bearer, summary: '组织者的签到码（每 45 秒更换）',
    request: { params: IdParam }, responses: { 200: json(CheckinCode, '签到码'), ...errors(400, 401, 403, 404) } }),
  checkin: createRoute({ method: 'post', path: '/activities/{id}/checkins', tags, security: bearer, summary: '扫码签到或签退',
    request: { params: IdParam, ...body(CheckinBody) },
    responses: { 200: json(z.object({ activityId: Uuid, checkedInAt: z.string().nullable(), checkedOutAt: z.string().nullable() }), '已记录'), ...errors(400, 401, 404, 409) } }),
  confirm: createRoute({ method: 'post', path: '/activities/{id}/confirm', tags, security: bearer, summary: '组织者确认出勤并记积分（只记一次）',
    request: { params: IdParam }, responses: { 200: json(Activity, '已确认'), ...errors(400, 401, 403, 404, 409) } }),
  correct: createRoute({ method: 'post', path: '/signups/{id}/correction', tags, security: bearer, summary: '更正某人的服务时长（需写原因）',
    request: { params: IdParam, ...body(CorrectionBody) }, responses: { 200: json(Activity, '已更正'), ...errors(400, 401, 403, 409) } }),
  record: createRoute({ method: 'get', path: '/record', tags, security: bearer, summary: '我的志愿服务记录', request: { query: CommunityQuery },
    responses: { 200: json(VolunteerRecord, '服务记录'), ...errors(400, 401) } }),
  whistles: createRoute({ method: 'get', path: '/whistles', tags, security: bearer, summary: '吹哨报到：进行中的呼叫', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ calls: z.array(WhistleCall) }), '呼叫'), ...errors(400, 401) } }),
  blow: createRoute({ method: 'post', path: '/whistles', tags, security: bearer, summary: '吹哨（两委、本网格网格员）', request: body(WhistleBody),
    responses: { 201: json(z.object({ id: Uuid, closesAt: z.string() }), '已发出'), ...errors(400, 401, 403) } }),
  respond: createRoute({ method: 'post', path: '/whistles/{id}/respond', tags, security: bearer, summary: '报到',
    request: { params: IdParam, ...body(z.object({ etaMinutes: z.number().int().min(0).max(240).nullable().default(null) })) },
    responses: { 200: json(z.object({ callId: Uuid, responded: z.boolean() }), '已报到'), ...errors(400, 401, 404, 409) } }),
  subscribeWhistle: createRoute({ method: 'post', path: '/whistles/subscriptions', tags, security: bearer, summary: '订阅一次吹哨提醒',
    request: body(z.object({ communityId: Uuid })), responses: { 201: json(z.object({ topic: z.string(), credits: z.number() }), '已订阅'), ...errors(400, 401, 409) } }),
};

export function volunteerRoutes() {
  const r = createRouter();
  const rpc = async <T>(c: Parameters<typeof requireUser>[0], fn: string, args: Record<string, unknown>) =>
    c.var.db.rpc<T>(fn, args, await requireUser(c));

  r.openapi(routes.profile, async (c) => c.json(await rpc<VolunteerProfile>(c, 'get_volunteer_profile', { p_community_id: c.req.valid('query').communityId }), 200));
  r.openapi(routes.register, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<VolunteerProfile>(c, 'register_volunteer', { p_community_id: b.communityId, p_skills: b.skills, p_availability: b.availability, p_show_name: b.showName }), 200);
  });
  r.openapi(routes.join, async (c) => c.json(await rpc<{ teamId: string; status: string }>(c, 'request_team_join', { p_team_id: c.req.valid('param').id }), 200));
  r.openapi(routes.decideJoin, async (c) => {
    const p = c.req.valid('param');
    const b = c.req.valid('json');
    return c.json(await rpc<{ teamId: string; profileId: string; status: string }>(c, 'decide_team_join', { p_team_id: p.id, p_profile_id: p.profileId, p_approve: b.approve, p_reason: b.reason ?? null }), 200);
  });
  r.openapi(routes.list, async (c) => {
    const q = c.req.valid('query');
    return c.json({ activities: await rpc<ActivitySummary[]>(c, 'list_activities', { p_community_id: q.communityId, p_scope: q.scope }) }, 200);
  });
  r.openapi(routes.create, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Activity>(c, 'create_activity', {
      p_community_id: b.communityId, p_title: b.title, p_description: b.description, p_place: b.place, p_starts_at: b.startsAt,
      p_ends_at: b.endsAt, p_capacity: b.capacity, p_points_per_hour: b.pointsPerHour, p_cancel_hours: b.cancelHours,
      p_waitlist: b.waitlist, p_required_skills: b.requiredSkills, p_min_presence_minutes: b.minPresenceMinutes,
      p_grid_id: b.gridId, p_team_id: b.teamId,
    }), 201);
  });
  r.openapi(routes.get, async (c) => c.json(await rpc<Activity>(c, 'get_activity', { p_activity_id: c.req.valid('param').id }), 200));
  r.openapi(routes.signup, async (c) => {
    const key = idempotencyKey(c);
    return c.json(await rpc<z.infer<typeof SignupResult>>(c, 'sign_up_activity', { p_activity_id: c.req.valid('param').id, p_idempotency_key: key }), 201);
  });
  r.openapi(routes.cancel, async (c) => c.json(await rpc<{ activityId: string; status: string; promotedSomeone: boolean }>(c, 'cancel_signup', { p_activity_id: c.req.valid('param').id }), 200));
  r.openapi(routes.code, async (c) => c.json(await rpc<z.infer<typeof CheckinCode>>(c, 'get_checkin_code', { p_activity_id: c.req.valid('param').id }), 200));
  r.openapi(routes.checkin, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ activityId: string; checkedInAt: string | null; checkedOutAt: string | null }>(c, 'check_in_activity', { p_activity_id: c.req.valid('param').id, p_code: b.code, p_direction: b.direction }), 200);
  });
  r.openapi(routes.confirm, async (c) => c.json(await rpc<Activity>(c, 'confirm_activity', { p_activity_id: c.req.valid('param').id }), 200));
  r.openapi(routes.correct, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Activity>(c, 'correct_attendance', { p_signup_id: c.req.valid('param').id, p_minutes: b.minutes, p_reason: b.reason }), 200);
  });
  r.openapi(routes.record, async (c) => c.json(await rpc<VolunteerRecord>(c, 'get_volunteer_record', { p_community_id: c.req.valid('query').communityId }), 200));
  r.openapi(routes.whistles, async (c) => c.json({ calls: await rpc<WhistleCall[]>(c, 'list_whistle_calls', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.blow, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ id: string; closesAt: string }>(c, 'blow_whistle', { p_community_id: b.communityId, p_title: b.title, p_detail: b.detail, p_place: b.place, p_grid_id: b.gridId, p_team_id: b.teamId, p_hours: b.hours }), 201);
  });
  r.openapi(routes.respond, async (c) => c.json(await rpc<{ callId: string; responded: boolean }>(c, 'respond_whistle', { p_call_id: c.req.valid('param').id, p_eta_minutes: c.req.valid('json').etaMinutes }), 200));
  r.openapi(routes.subscribeWhistle, async (c) => c.json(await rpc<{ topic: string; credits: number }>(c, 'subscribe_whistle', { p_community_id: c.req.valid('json').communityId }), 201));
  return r;
}
