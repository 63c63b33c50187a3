import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { Health, CommunityList, AuditLog } from '../../_contracts/core.js';
import { CommunityQuery } from '../../_contracts/common.js';
import { ApiError } from '../../_lib/errors.js';
import { drainOutbox } from '../../_lib/outbox.js';

const healthRoute = createRoute({
  method: 'get', path: '/health', tags: ['core'], summary: '服务与数据库状态',
  responses: { 200: json(Health, '正常'), 503: json(Health, '数据库不可用') },
});

const jwksRoute = createRoute({
  method: 'get', path: '/jwks.json', tags: ['core'], summary: '验证本服务签发令牌的公钥（非对称密钥时）',
  responses: { 200: json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), '公钥集') },
});

const communitiesRoute = createRoute({
  method: 'get', path: '/communities', tags: ['core'], summary: '可选择的社区/村和楼栋', security: bearer,
  responses: { 200: json(CommunityList, '社区列表'), ...errors(401) },
});

const auditRoute = createRoute({
  method: 'get', path: '/staff/audit-log', tags: ['core'], summary: '本社区操作记录（监督委员会、街道管理员）',
  security: bearer, request: { query: CommunityQuery },
  responses: { 200: json(AuditLog, '最近的操作记录'), ...errors(400, 401) },
});

const outboxRoute = createRoute({
  method: 'get', path: '/cron/outbox', tags: ['core'], summary: '发送待发的订阅消息（定时任务调用，需 CRON_SECRET）',
  responses: { 200: json(z.object({ sent: z.number(), skipped: z.number(), retry: z.number() }), '本次发送结果'), ...errors(403) },
});

const expireRoute = createRoute({
  method: 'get', path: '/cron/expire-redemptions', tags: ['core'], summary: '让逾期未领的兑换过期并退回积分（定时任务调用，需 CRON_SECRET）',
  responses: { 200: json(z.object({ expired: z.number() }), '本次过期数量'), ...errors(403) },
});

export function coreRoutes() {
  const r = createRouter();

  r.openapi(healthRoute, async (c) => {
    try {
      const h = await c.var.db.rpc<{ engine: string; version: string; migrations: string[] }>('get_health', {}, { kind: 'service' });
      return c.json({ ok: true, database: { engine: h.engine, version: h.version }, migrations: h.migrations }, 200);
    } catch (err) {
      c.var.log('error', 'health check failed', { error: String(err) });
      return c.json({ ok: false, database: { engine: 'unknown', version: 'unknown' }, migrations: [] }, 503);
    }
  });

  r.openapi(jwksRoute, async (c) => c.json({ keys: (await c.var.tokens.publicJwks()) as Record<string, unknown>[] }, 200));

  r.openapi(communitiesRoute, async (c) => {
    const caller = await requireUser(c);
    const communities = await c.var.db.rpc<z.infer<typeof CommunityList>['communities']>('list_communities', {}, caller);
    return c.json({ communities }, 200);
  });

  r.openapi(auditRoute, async (c) => {
    const caller = await requireUser(c);
    const { communityId } = c.req.valid('query');
    const entries = await c.var.db.rpc<z.infer<typeof AuditLog>['entries']>('list_audit_log', { p_community_id: communityId }, caller);
    return c.json({ entries }, 200);
  });

  // Vercel Cron calls these with `Authorization: Bearer $CRON_SECRET`; the local server uses a timer instead.
  r.use('/cron/*', async (c, next) => {
    const secret = c.var.env.CRON_SECRET;
    if (!secret || c.req.header('authorization') !== `Bearer ${secret}`) throw new ApiError('cron.forbidden');
    await next();
  });
  r.openapi(outboxRoute, async (c) => c.json(await drainOutbox(c.var), 200));
  r.openapi(expireRoute, async (c) => c.json(await c.var.db.rpc<{ expired: number }>('expire_redemptions', {}, { kind: 'service' }), 200));

  return r;
}
