import { z } from '@hono/zod-openapi';
import { domainRouter } from '../../_lib/router.js';
import {
  Me,
  ConsentBody,
  ConsentResult,
  VerificationRequestBody,
  VerificationCreated,
  VerificationDecisionBody,
  VerificationDecision,
  VerificationQueue,
  VerificationStatus,
  PRIVACY_POLICY_VERSION,
} from '../../_contracts/core.js';
import { CommunityPageQuery, IdParam, Uuid } from '../../_contracts/common.js';

export function meRoutes() {
  const r = domainRouter('me');

  r.rpc({
    method: 'get',
    path: '/me',
    summary: '我：资料、所在社区与角色、认证和授权状态',
    response: Me,
    fn: 'get_me',
    args: () => ({}),
    map: (me) => ({ ...(me as object), privacyPolicyVersion: PRIVACY_POLICY_VERSION }),
  });

  r.rpc({
    method: 'post',
    path: '/me/consents',
    status: 201,
    summary: '记录同意或撤回授权',
    body: ConsentBody,
    response: ConsentResult,
    fn: 'record_consent',
    args: ({ body }) => ({ p_purpose: body.purpose, p_version: body.version, p_granted: body.granted }),
  });

  r.rpc({
    method: 'post',
    path: '/me/sessions/revoke',
    summary: '在所有设备上退出登录（已发出的令牌立即失效）',
    response: z.object({ sessionVersion: z.number() }),
    fn: 'revoke_my_sessions',
    args: () => ({}),
  });

  r.rpc({
    method: 'post',
    path: '/me/verifications',
    status: 201,
    summary: '申请成为本社区认证居民',
    body: VerificationRequestBody,
    response: VerificationCreated,
    errors: [404, 409],
    fn: 'request_verification',
    args: ({ body: b }) => ({
      p_community_id: b.communityId,
      p_building_id: b.buildingId,
      p_room: b.room,
      p_real_name: b.realName,
      p_relation: b.relation,
      p_phone: b.phone ?? null,
      p_note: b.note ?? '',
    }),
  });

  r.rpc({
    method: 'post',
    path: '/me/verifications/{id}/withdraw',
    summary: '撤回待审核的认证申请',
    params: IdParam,
    response: z.object({ id: Uuid, status: VerificationStatus }),
    errors: [404],
    fn: 'withdraw_verification',
    args: ({ params }) => ({ p_request_id: params.id }),
  });

  r.rpc({
    method: 'get',
    path: '/staff/verifications',
    summary: '认证申请（两委成员、网格员）',
    query: CommunityPageQuery.extend({ status: VerificationStatus.optional().openapi({ description: '默认待审核' }) }),
    response: VerificationQueue,
    fn: 'list_verification_requests',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_status: q.status ?? 'pending', p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  r.rpc({
    method: 'post',
    path: '/staff/verifications/{id}/decision',
    summary: '通过或驳回认证申请',
    params: IdParam,
    body: VerificationDecisionBody,
    response: VerificationDecision,
    errors: [403, 404, 409],
    fn: 'decide_verification',
    args: ({ params, body }) => ({ p_request_id: params.id, p_approve: body.approve, p_reason: body.reason ?? null }),
  });

  return r.router;
}
