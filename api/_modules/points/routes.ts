import { z } from '@hono/zod-openapi';
import { domainRouter } from '../../_lib/router.js';
import { CommunityPageQuery, CommunityQuery, IdParam, Page, PageQuery, Uuid } from '../../_contracts/common.js';
import {
  AwardBody,
  Deduction,
  DeductionBody,
  Month,
  MyPoints,
  ObjectionBody,
  Publication,
  PublicationSummary,
  PublishBody,
  Rankings,
  ResolutionBody,
} from '../../_contracts/points.js';

const monthStart = (m: string) => `${m}-01`;

export function pointsRoutes() {
  const r = domainRouter('points');

  r.rpc({
    method: 'get',
    path: '/me',
    summary: '我的积分：余额、可用、待公示，以及明细（分页）',
    query: PageQuery.extend({ communityId: Uuid.optional() }),
    response: MyPoints,
    fn: 'get_my_points',
    args: ({ query: q }) => ({ p_community_id: q.communityId ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/awards',
    status: 201,
    idempotent: true,
    summary: '奖励积分（两委，需写原因）',
    body: AwardBody,
    response: z.object({ entryId: z.number(), delta: z.number() }),
    errors: [403],
    fn: 'award_points',
    args: ({ body: b, key }) => ({ p_profile_id: b.profileId, p_community_id: b.communityId, p_points: b.points, p_reason: b.reason, p_idempotency_key: key }),
  });
  r.rpc({
    method: 'get',
    path: '/deductions',
    summary: '扣分申请',
    query: CommunityPageQuery,
    response: Page(Deduction),
    fn: 'list_point_deductions',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/deductions',
    status: 201,
    summary: '申请扣分（需另一位两委成员审批）',
    body: DeductionBody,
    response: z.object({ id: Uuid, status: z.string() }),
    errors: [403],
    fn: 'request_point_deduction',
    args: ({ body: b }) => ({ p_profile_id: b.profileId, p_community_id: b.communityId, p_points: b.points, p_reason: b.reason }),
  });
  r.rpc({
    method: 'post',
    path: '/deductions/{id}/decision',
    summary: '审批扣分（不能审批自己提出的）',
    params: IdParam,
    body: z.object({ approve: z.boolean() }),
    response: z.object({ id: Uuid, status: z.string(), entryId: z.number().nullable() }),
    errors: [403, 404, 409],
    fn: 'decide_point_deduction',
    args: ({ params, body }) => ({ p_request_id: params.id, p_approve: body.approve }),
  });
  r.rpc({
    method: 'get',
    path: '/publications',
    summary: '积分公示月份',
    query: CommunityPageQuery,
    response: Page(PublicationSummary),
    fn: 'list_points_publications',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/publications',
    status: 201,
    summary: '公示一个已结束月份的积分（两委）',
    body: PublishBody,
    response: Publication,
    errors: [403, 409],
    fn: 'publish_points_month',
    args: ({ body }) => ({ p_community_id: body.communityId, p_month: monthStart(body.month) }),
  });
  r.rpc({
    method: 'get',
    path: '/publications/{month}',
    summary: '某月积分公示（明细分页）',
    params: z.object({ month: Month }),
    query: CommunityPageQuery,
    response: Publication,
    errors: [404],
    fn: 'get_points_publication',
    args: ({ params, query: q }) => ({ p_community_id: q.communityId, p_month: monthStart(params.month), p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/objections',
    status: 201,
    summary: '对公示中的一条积分提出异议',
    body: ObjectionBody,
    response: z.object({ id: Uuid, status: z.string() }),
    errors: [404, 409],
    fn: 'object_to_points',
    args: ({ body }) => ({ p_entry_id: body.entryId, p_reason: body.reason }),
  });
  r.rpc({
    method: 'post',
    path: '/objections/{id}/resolution',
    summary: '处理异议（成立则冲销该条积分）',
    params: IdParam,
    body: ResolutionBody,
    response: z.object({ id: Uuid, status: z.string() }),
    errors: [403, 404, 409],
    fn: 'resolve_points_objection',
    args: ({ params, body }) => ({ p_objection_id: params.id, p_uphold: body.uphold, p_resolution: body.resolution }),
  });
  r.rpc({
    method: 'get',
    path: '/rankings',
    summary: '月度积分榜（个人、服务队）',
    query: CommunityQuery.extend({ month: Month }),
    response: Rankings,
    errors: [403],
    fn: 'get_points_rankings',
    args: ({ query }) => ({ p_community_id: query.communityId, p_month: monthStart(query.month) }),
  });

  return r.router;
}
