import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import {
  Me, ConsentBody, ConsentResult, VerificationRequestBody, VerificationCreated, VerificationDecisionBody,
  VerificationDecision, VerificationQueue, VerificationStatus, PRIVACY_POLICY_VERSION,
} from '../../_contracts/core.js';
import { IdParam, Uuid } from '../../_contracts/common.js';

const meRoute = createRoute({
  method: 'get', path: '/me', tags: ['me'], summary: '我：资料、所在社区与角色、认证和授权状态', security: bearer,
  responses: { 200: json(Me, '当前用户'), ...errors(401) },
});

const consentRoute = createRoute({
  method: 'post', path: '/me/consents', tags: ['me'], summary: '记录同意或撤回授权', security: bearer,
  request: { body: { content: { 'application/json': { schema: ConsentBody } }, required: true } },
  responses: { 201: json(ConsentResult, '已记录'), ...errors(400, 401) },
});

const requestVerificationRoute = createRoute({
  method: 'post', path: '/me/verifications', tags: ['me'], summary: '申请成为本社区认证居民', security: bearer,
  request: { body: { content: { 'application/json': { schema: VerificationRequestBody } }, required: true } },
  responses: { 201: json(VerificationCreated, '已提交'), ...errors(400, 401, 404, 409) },
});

const withdrawRoute = createRoute({
  method: 'post', path: '/me/verifications/{id}/withdraw', tags: ['me'], summary: '撤回待审核的认证申请', security: bearer,
  request: { params: IdParam },
  responses: { 200: json(z.object({ id: Uuid, status: VerificationStatus }), '已撤回'), ...errors(400, 401, 404) },
});

const queueRoute = createRoute({
  method: 'get', path: '/staff/verifications', tags: ['staff'], summary: '认证申请（两委成员、网格员）', security: bearer,
  request: {
    query: z.object({
      communityId: Uuid,
      status: VerificationStatus.optional().openapi({ description: '默认待审核' }),
    }),
  },
  responses: { 200: json(VerificationQueue, '申请列表'), ...errors(400, 401) },
});

const decideRoute = createRoute({
  method: 'post', path: '/staff/verifications/{id}/decision', tags: ['staff'], summary: '通过或驳回认证申请', security: bearer,
  request: { params: IdParam, body: { content: { 'application/json': { schema: VerificationDecisionBody } }, required: true } },
  responses: { 200: json(VerificationDecision, '已处理'), ...errors(400, 401, 403, 404, 409) },
});

export function meRoutes() {
  const r = createRouter();

  r.openapi(meRoute, async (c) => {
    const caller = await requireUser(c);
    const me = await c.var.db.rpc<Omit<Me, 'privacyPolicyVersion'>>('get_me', {}, caller);
    return c.json({ ...me, privacyPolicyVersion: PRIVACY_POLICY_VERSION }, 200);
  });

  r.openapi(consentRoute, async (c) => {
    const caller = await requireUser(c);
    const b = c.req.valid('json');
    const res = await c.var.db.rpc<z.infer<typeof ConsentResult>>(
      'record_consent', { p_purpose: b.purpose, p_version: b.version, p_granted: b.granted }, caller);
    return c.json(res, 201);
  });

  r.openapi(requestVerificationRoute, async (c) => {
    const caller = await requireUser(c);
    const b = c.req.valid('json');
    const res = await c.var.db.rpc<z.infer<typeof VerificationCreated>>('request_verification', {
      p_community_id: b.communityId, p_building_id: b.buildingId, p_room: b.room, p_real_name: b.realName,
      p_relation: b.relation, p_phone: b.phone ?? null, p_note: b.note ?? '',
    }, caller);
    return c.json(res, 201);
  });

  r.openapi(withdrawRoute, async (c) => {
    const caller = await requireUser(c);
    const { id } = c.req.valid('param');
    const res = await c.var.db.rpc<{ id: string; status: z.infer<typeof VerificationStatus> }>(
      'withdraw_verification', { p_request_id: id }, caller);
    return c.json(res, 200);
  });

  r.openapi(queueRoute, async (c) => {
    const caller = await requireUser(c);
    const { communityId, status } = c.req.valid('query');
    const requests = await c.var.db.rpc<z.infer<typeof VerificationQueue>['requests']>(
      'list_verification_requests', { p_community_id: communityId, p_status: status ?? 'pending' }, caller);
    return c.json({ requests }, 200);
  });

  r.openapi(decideRoute, async (c) => {
    const caller = await requireUser(c);
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const res = await c.var.db.rpc<z.infer<typeof VerificationDecision>>(
      'decide_verification', { p_request_id: id, p_approve: b.approve, p_reason: b.reason ?? null }, caller);
    return c.json(res, 200);
  });

  return r;
}
