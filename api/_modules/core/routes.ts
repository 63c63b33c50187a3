import { z } from '@hono/zod-openapi';
import { callDbAsService, domainRouter } from '../../_lib/router.js';
import { Health, CommunityList, AuditLog, BuildingOption, CommunityDetail, SearchPageQuery } from '../../_contracts/core.js';
import { CommunityPageQuery, IdParam, Page } from '../../_contracts/common.js';
import { ApiError } from '../../_lib/errors.js';
import { JOBS, JOB_NAMES, runAllJobs, type JobName } from '../../_lib/jobs.js';

export function coreRoutes() {
  const r = domainRouter('core');

  r.handle({ method: 'get', path: '/health', public: true, summary: '服务与数据库状态', response: Health }, async ({ c }) => {
    try {
      const h = (await callDbAsService(c, 'get_health', {})) as { engine: string; version: string; migrations: string[] };
      return { ok: true, database: { engine: h.engine, version: h.version }, migrations: h.migrations };
    } catch (err) {
      c.get('log')('error', 'health check failed', { error: String(err) });
      throw new ApiError('db.unavailable');
    }
  });

  r.handle(
    {
      method: 'get',
      path: '/jwks.json',
      public: true,
      summary: '验证本服务签发令牌的公钥（非对称密钥时）',
      response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
    },
    async ({ c }) => {
      c.header('Cache-Control', 'public, max-age=300');
      return { keys: (await c.get('tokens').publicJwks()) as Record<string, unknown>[] };
    },
  );

  r.rpc({
    method: 'get',
    path: '/communities',
    summary: '可选择的社区/村（可按名称搜索）',
    query: SearchPageQuery,
    response: CommunityList,
    fn: 'list_communities',
    args: ({ query: q }) => ({ p_q: q.q ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/communities/{id}',
    summary: '一个社区/村及其网格',
    params: IdParam,
    response: CommunityDetail,
    errors: [404],
    fn: 'get_community',
    args: ({ params }) => ({ p_community_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/communities/{id}/buildings',
    summary: '社区/村的楼栋（院落、村民小组），按网格排列，可搜索',
    params: IdParam,
    query: SearchPageQuery,
    response: Page(BuildingOption),
    errors: [404],
    fn: 'list_buildings',
    args: ({ params, query: q }) => ({ p_community_id: params.id, p_q: q.q ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  r.rpc({
    method: 'get',
    path: '/staff/audit-log',
    summary: '本社区操作记录（监督委员会、街道管理员）',
    query: CommunityPageQuery,
    response: AuditLog,
    fn: 'list_audit_log',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  // Vercel Cron calls these with `Authorization: Bearer $CRON_SECRET`; the local server runs them on a timer.
  r.handle(
    {
      method: 'get',
      path: '/cron/{job}',
      public: true,
      summary: '定时任务（需 CRON_SECRET）：outbox 发订阅消息、expire-redemptions 兑换过期退分、files 清理未使用的上传、all 全部',
      params: z.object({ job: z.enum(['all', ...JOB_NAMES] as [string, ...string[]]) }),
      response: z.record(z.string(), z.number()),
      errors: [403],
    },
    async ({ c, params }) => {
      const secret = c.get('env').CRON_SECRET;
      if (!secret || c.req.header('authorization') !== `Bearer ${secret}`) throw new ApiError('cron.forbidden');
      return params.job === 'all' ? runAllJobs(c.var) : JOBS[params.job as JobName](c.var);
    },
  );

  return r.router;
}
