import { callDb, callDbAsService, domainRouter, requestAddress, type RouteInput } from '../../_lib/router.js';
import { rawKey } from '../../_lib/storage.js';
import { CommunityPageQuery, PageQuery } from '../../_contracts/common.js';
import {
  AccessLog,
  ChainEntryParams,
  ChainExportPage,
  ChainExportQuery,
  ChainPageQuery,
  ChainParams,
  ChainRecordQuery,
  DeleteAccountBody,
  DeleteAccountResult,
  MyData,
  Obligations,
  PublicChainEntry,
  PublicChainPage,
  PublicRecordRef,
  RetentionPolicy,
} from '../../_contracts/trust.js';

/**
 * Trust: the public record chain anyone can read and check without signing in, and a person's own data
 * (take it out, delete the account, see who looked at it). The public routes have no caller: they run as the
 * server and are limited per client address, like sign-in.
 */
export const PUBLIC_RATE_LIMIT = 120; // requests per client address per minute: a browser checking a year's chain needs ~10

export function trustRoutes() {
  const r = domainRouter('trust');
  const perAddress = (i: RouteInput<unknown, unknown, unknown>) => [{ bucket: `public:${requestAddress(i.c)}`, limit: PUBLIC_RATE_LIMIT, window: 60 }];

  r.handle(
    {
      method: 'get',
      path: '/public/chains/{communityId}',
      public: true,
      summary: '公开记录链（免登录）：最新的在前，每条带内容',
      params: ChainParams,
      query: ChainPageQuery,
      response: PublicChainPage,
      errors: [404],
      limits: perAddress,
    },
    async ({ c, params, query }) =>
      (await callDbAsService(c, 'get_public_chain', {
        p_community_id: params.communityId,
        p_limit: query.limit,
        p_cursor: query.cursor ?? null,
      })) as PublicChainPage,
  );

  r.handle(
    {
      method: 'get',
      path: '/public/chains/{communityId}/entries/{seq}',
      public: true,
      summary: '公开记录链的一条（免登录），带内容',
      params: ChainEntryParams,
      response: PublicChainEntry,
      errors: [404],
      limits: perAddress,
    },
    async ({ c, params }) =>
      (await callDbAsService(c, 'get_public_chain_entry', { p_community_id: params.communityId, p_seq: params.seq })) as PublicChainEntry,
  );

  r.handle(
    {
      method: 'get',
      path: '/public/chains/{communityId}/records',
      public: true,
      summary: '某条公开记录（公告的某一版、决议……）在记录链上的位置（免登录）',
      params: ChainParams,
      query: ChainRecordQuery,
      response: PublicRecordRef,
      errors: [404],
      limits: perAddress,
    },
    async ({ c, params, query }) =>
      (await callDbAsService(c, 'find_public_record', {
        p_community_id: params.communityId,
        p_kind: query.kind,
        p_record_id: query.recordId,
      })) as PublicRecordRef,
  );

  r.handle(
    {
      method: 'get',
      path: '/public/chains/{communityId}/export',
      public: true,
      summary:
        '导出公开记录链（免登录）：从 fromSeq 起按顺序，每页最多 500 条、约 256 KB（至少一条）；把各页的 entries 合成一个数组即为导出文件，可用 npm run verify 核验',
      params: ChainParams,
      query: ChainExportQuery,
      response: ChainExportPage,
      errors: [404],
      limits: perAddress,
    },
    async ({ c, params, query }) =>
      (await callDbAsService(c, 'export_public_chain', {
        p_community_id: params.communityId,
        p_from_seq: query.fromSeq,
        p_limit: query.limit,
      })) as ChainExportPage,
  );

  r.handle(
    { method: 'get', path: '/public/retention', public: true, summary: '各类记录的保存期限（免登录）', response: RetentionPolicy, limits: perAddress },
    async ({ c }) => (await callDbAsService(c, 'get_retention_policy', {})) as RetentionPolicy,
  );

  r.rpc({
    method: 'get',
    path: '/me/data',
    summary: '我的数据：平台保存的关于我的全部信息（不含他人信息和投票内容）',
    response: MyData,
    fn: 'get_my_data',
    args: () => ({}),
  });

  r.rpc({
    method: 'get',
    path: '/me/obligations',
    summary: '注销前：还没办完的事，以及注销时各自怎样处理',
    response: Obligations,
    fn: 'get_my_obligations',
    args: () => ({}),
  });

  // The database erases and settles everything in one transaction; the stored objects of removed uploads go afterwards.
  r.handle(
    {
      method: 'post',
      path: '/me/delete-account',
      summary: '注销账号：个人信息清除，登录立即失效，不能恢复',
      body: DeleteAccountBody,
      response: DeleteAccountResult,
      errors: [409],
    },
    async ({ c, body }) => {
      const out = (await callDb(c, 'delete_my_account', { p_obligations: body.obligations })) as { deleted: true; storageKeys: string[] };
      const storage = c.get('storage');
      for (const key of out.storageKeys) {
        await storage.remove(key).catch(() => undefined);
        await storage.remove(rawKey(key)).catch(() => undefined);
      }
      return { deleted: true as const };
    },
  );

  r.rpc({
    method: 'get',
    path: '/me/access-log',
    summary: '谁查看了我的信息（办件、认证申请）',
    query: PageQuery,
    response: AccessLog,
    fn: 'list_my_access_log',
    args: ({ query: q }) => ({ p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  r.rpc({
    method: 'get',
    path: '/staff/access-log',
    summary: '本社区工作人员查阅居民信息的记录（监督委员会、街道管理员）',
    query: CommunityPageQuery,
    response: AccessLog,
    errors: [403, 404],
    fn: 'list_access_log',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  return r.router;
}
