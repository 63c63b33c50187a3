import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { idempotencyKey } from '../../_lib/idempotency.js';
import { CommunityQuery, IdParam, Uuid } from '../../_contracts/common.js';
import { AwardBody, Deduction, DeductionBody, Month, MyPoints, ObjectionBody, Publication, PublicationSummary, PublishBody, Rankings, ResolutionBody } from '../../_contracts/points.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['points'];
const monthStart = (m: string) => `${m}-01`;

const routes = {
  me: createRoute({ method: 'get', path: '/me', tags, security: bearer, summary: '我的积分：余额、可用、待公示，以及明细',
    request: { query: z.object({ communityId: Uuid.optional() }) }, responses: { 200: json(MyPoints, '积分'), ...errors(400, 401) } }),
  award: createRoute({ method: 'post', path: '/awards', tags, security: bearer, summary: '奖励积分（两委，需写原因）', request: body(AwardBody),
    responses: { 201: json(z.object({ entryId: z.number(), delta: z.number() }), '已记入'), ...errors(400, 401, 403) } }),
  deductions: createRoute({ method: 'get', path: '/deductions', tags, security: bearer, summary: '扣分申请', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ deductions: z.array(Deduction) }), '扣分申请'), ...errors(400, 401) } }),
  requestDeduction: createRoute({ method: 'post', path: '/deductions', tags, security: bearer, summary: '申请扣分（需另一位两委成员审批）', request: body(DeductionBody),
    responses: { 201: json(z.object({ id: Uuid, status: z.string() }), '已申请'), ...errors(400, 401, 403) } }),
  decideDeduction: createRoute({ method: 'post', path: '/deductions/{id}/decision', tags, security: bearer, summary: '审批扣分（不能审批自己提出的）',
    request: { params: IdParam, ...body(z.object({ approve: z.boolean() })) },
    responses: { 200: json(z.object({ id: Uuid, status: z.string(), entryId: z.number().nullable() }), '已处理'), ...errors(400, 401, 403, 409) } }),
  publications: createRoute({ method: 'get', path: '/publications', tags, security: bearer, summary: '积分公示月份', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ publications: z.array(PublicationSummary) }), '公示'), ...errors(400, 401) } }),
  publish: createRoute({ method: 'post', path: '/publications', tags, security: bearer, summary: '公示一个已结束月份的积分（两委）', request: body(PublishBody),
    responses: { 201: json(Publication, '已公示'), ...errors(400, 401, 403, 409) } }),
  publication: createRoute({ method: 'get', path: '/publications/{month}', tags, security: bearer, summary: '某月积分公示',
    request: { params: z.object({ month: Month }), query: CommunityQuery }, responses: { 200: json(Publication, '公示'), ...errors(400, 401, 404) } }),
  object: createRoute({ method: 'post', path: '/objections', tags, security: bearer, summary: '对公示中的一条积分提出异议', request: body(ObjectionBody),
    responses: { 201: json(z.object({ id: Uuid, status: z.string() }), '已提出'), ...errors(400, 401, 404, 409) } }),
  resolve: createRoute({ method: 'post', path: '/objections/{id}/resolution', tags, security: bearer, summary: '处理异议（成立则冲销该条积分）',
    request: { params: IdParam, ...body(ResolutionBody) }, responses: { 200: json(z.object({ id: Uuid, status: z.string() }), '已处理'), ...errors(400, 401, 403, 409) } }),
  rankings: createRoute({ method: 'get', path: '/rankings', tags, security: bearer, summary: '月度积分榜（个人、服务队）',
    request: { query: CommunityQuery.extend({ month: Month }) }, responses: { 200: json(Rankings, '排行'), ...errors(400, 401, 403) } }),
};

export function pointsRoutes() {
  const r = createRouter();
  const rpc = async <T>(c: Parameters<typeof requireUser>[0], fn: string, args: Record<string, unknown>) =>
    c.var.db.rpc<T>(fn, args, await requireUser(c));

  r.openapi(routes.me, async (c) => c.json(await rpc<MyPoints>(c, 'get_my_points', { p_community_id: c.req.valid('query').communityId ?? null }), 200));
  r.openapi(routes.award, async (c) => {
    const key = idempotencyKey(c);
    const b = c.req.valid('json');
    return c.json(await rpc<{ entryId: number; delta: number }>(c, 'award_points', { p_profile_id: b.profileId, p_community_id: b.communityId, p_points: b.points, p_reason: b.reason, p_idempotency_key: key }), 201);
  });
  r.openapi(routes.deductions, async (c) => c.json({ deductions: await rpc<z.infer<typeof Deduction>[]>(c, 'list_point_deductions', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.requestDeduction, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ id: string; status: string }>(c, 'request_point_deduction', { p_profile_id: b.profileId, p_community_id: b.communityId, p_points: b.points, p_reason: b.reason }), 201);
  });
  r.openapi(routes.decideDeduction, async (c) => c.json(await rpc<{ id: string; status: string; entryId: number | null }>(c, 'decide_point_deduction', { p_request_id: c.req.valid('param').id, p_approve: c.req.valid('json').approve }), 200));
  r.openapi(routes.publications, async (c) => c.json({ publications: await rpc<z.infer<typeof PublicationSummary>[]>(c, 'list_points_publications', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.publish, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Publication>(c, 'publish_points_month', { p_community_id: b.communityId, p_month: monthStart(b.month) }), 201);
  });
  r.openapi(routes.publication, async (c) => c.json(await rpc<Publication>(c, 'get_points_publication', { p_community_id: c.req.valid('query').communityId, p_month: monthStart(c.req.valid('param').month) }), 200));
  r.openapi(routes.object, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ id: string; status: string }>(c, 'object_to_points', { p_entry_id: b.entryId, p_reason: b.reason }), 201);
  });
  r.openapi(routes.resolve, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ id: string; status: string }>(c, 'resolve_points_objection', { p_objection_id: c.req.valid('param').id, p_uphold: b.uphold, p_resolution: b.resolution }), 200);
  });
  r.openapi(routes.rankings, async (c) => {
    const q = c.req.valid('query');
    return c.json(await rpc<Rankings>(c, 'get_points_rankings', { p_community_id: q.communityId, p_month: monthStart(q.month) }), 200);
  });
  return r;
}
