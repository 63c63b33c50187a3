import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { callDb, domainRouter } from '../../_lib/router.js';
import type { Json } from '../../_lib/db-types.gen.js';
import { ApiError, errorBody } from '../../_lib/errors.js';
import { IdParam, Page, PageQuery, Uuid } from '../../_contracts/common.js';
import { shanghaiDateTime } from '../../_contracts/time.js';
import {
  ArchiveBody,
  BuildingSaved,
  CommunityDashboard,
  CommunitySetup,
  DepartmentSaved,
  EndResidenceBody,
  EndResidenceResult,
  ExportQuery,
  GrantResult,
  GrantRoleBody,
  GridSaved,
  HistoryEntry,
  ImportQuery,
  ImportResult,
  ManagedCommunity,
  Member,
  MembersQuery,
  DashboardQuery,
  PeriodQuery,
  SaveBuildingBody,
  SaveCommunityBody,
  SaveDepartmentBody,
  SaveGridBody,
  StreetDashboard,
  StreetDashboardQuery,
  TrendPoint,
  TrendQuery,
  WithdrawBody,
  type Figures,
} from '../../_contracts/admin.js';
import { MAX_IMPORT_BYTES, householdTemplate, parseImportSheet, rosterTemplate, writeSheet, xlsxResponse } from './sheets.js';

const FileAnswer = z.string().openapi({ description: '.xlsx 文件（application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）', format: 'binary' });

/** The figures' names in an exported sheet, in the order a street report lists them. */
const FIGURE_LABELS: Record<Exclude<keyof Figures, 'reportsByStatus'>, string> = {
  households: '住户数',
  residents: '认证居民',
  casesReceived: '收到办件',
  casesCompleted: '办结办件',
  casesOpen: '在办办件',
  casesOverdue: '超期办件',
  averageHandlingDays: '平均办理天数',
  averageCaseRating: '办件平均评价',
  reportsReceived: '收到随手拍',
  reportsOpen: '未办结随手拍',
  reportsOverdue: '超时随手拍',
  reportsResolvedOnTimeRate: '随手拍按时办结率(%)',
  topicsRaised: '提出议题',
  topicsTakenUp: '列入议事',
  topicsDecided: '形成决议',
  pollTurnoutRate: '投票参与率(%)',
  volunteerHours: '志愿服务小时',
  activeVolunteers: '参与志愿者',
  pointsIssued: '发放积分',
  pointsSpent: '兑换积分',
  pointsOutstanding: '未用积分',
  importantNotices: '重要通知',
  importantUnreadHouseholds: '重要通知未读户次',
  verificationsPending: '待审认证',
  oldestVerificationDays: '最久待审(天)',
};
const figureRow = (name: string, f: Figures) => ({
  社区: name,
  ...Object.fromEntries(Object.entries(FIGURE_LABELS).map(([k, label]) => [label, f[k as keyof typeof FIGURE_LABELS]])),
});

/** A street's setup and oversight: communities, grids, buildings, imports, staff, residents moving, dashboards, exports. */
/** One community's settings as save_community takes them: a new one (id null) or a change to one. */
function saveCommunityArgs(id: string | null, b: z.infer<typeof SaveCommunityBody>) {
  return {
    p_community_id: id,
    p_street_id: b.streetId,
    p_name: b.name,
    p_kind: b.kind,
    p_address: b.address,
    p_service_phone: b.servicePhone,
    p_service_hours: b.serviceHours,
    p_cosign_threshold: b.cosignThreshold,
    p_objection_days: b.objectionDays,
    p_points_on_move_out: b.pointsOnMoveOut,
  };
}

export function adminRoutes() {
  const r = domainRouter('admin');

  // ---------------------------------------------------------------- structure
  r.rpc({
    method: 'get',
    path: '/communities',
    summary: '我管理的社区和村（街道管理员：本街道全部；两委：本社区）',
    query: PageQuery,
    response: Page(ManagedCommunity),
    fn: 'list_managed_communities',
    args: ({ query: q }) => ({ p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/communities',
    status: 201,
    summary: '新建社区或村（街道管理员）',
    body: SaveCommunityBody,
    response: CommunitySetup,
    errors: [403, 409],
    fn: 'save_community',
    args: ({ body }) => saveCommunityArgs(null, body),
  });
  r.rpc({
    method: 'get',
    path: '/communities/{id}',
    summary: '社区的设置：网格、楼栋、住户和居民数',
    params: IdParam,
    response: CommunitySetup,
    errors: [404],
    fn: 'get_community_setup',
    args: ({ params }) => ({ p_community_id: params.id }),
  });
  r.rpc({
    method: 'put',
    path: '/communities/{id}',
    summary: '修改社区设置（名称、电话、服务时间、联名人数、异议期）',
    params: IdParam,
    body: SaveCommunityBody,
    response: CommunitySetup,
    errors: [403, 404, 409],
    fn: 'save_community',
    args: ({ params, body }) => saveCommunityArgs(params.id, body),
  });
  r.rpc({
    method: 'post',
    path: '/communities/{id}/archive',
    summary: '停用或恢复一个社区（记录都保留）',
    params: IdParam,
    body: ArchiveBody,
    response: CommunitySetup,
    errors: [403, 404],
    fn: 'archive_community',
    args: ({ params, body }) => ({ p_community_id: params.id, p_archived: body.archived }),
  });
  r.rpc({
    method: 'post',
    path: '/communities/{id}/grids',
    status: 201,
    summary: '新建网格',
    params: IdParam,
    body: SaveGridBody,
    response: GridSaved,
    errors: [404, 409],
    fn: 'save_grid',
    args: ({ params, body }) => ({ p_community_id: params.id, p_grid_id: null, p_name: body.name, p_description: body.description, p_archived: false }),
  });
  r.rpc({
    method: 'put',
    path: '/communities/{id}/grids/{gridId}',
    summary: '修改或停用网格',
    params: IdParam.extend({ gridId: Uuid.openapi({ param: { name: 'gridId', in: 'path' } }) }),
    body: SaveGridBody,
    response: GridSaved,
    errors: [404, 409],
    fn: 'save_grid',
    args: ({ params, body }) => ({
      p_community_id: params.id,
      p_grid_id: params.gridId,
      p_name: body.name,
      p_description: body.description,
      p_archived: body.archived,
    }),
  });
  r.rpc({
    method: 'post',
    path: '/communities/{id}/buildings',
    status: 201,
    summary: '新建楼栋（院落、村民小组）',
    params: IdParam,
    body: SaveBuildingBody,
    response: BuildingSaved,
    errors: [404, 409],
    fn: 'save_building',
    args: ({ params, body }) => ({ p_community_id: params.id, p_building_id: null, p_grid_id: body.gridId, p_name: body.name }),
  });
  r.rpc({
    method: 'put',
    path: '/communities/{id}/buildings/{buildingId}',
    summary: '改楼栋名称，或把楼栋划到另一个网格',
    params: IdParam.extend({ buildingId: Uuid.openapi({ param: { name: 'buildingId', in: 'path' } }) }),
    body: SaveBuildingBody,
    response: BuildingSaved,
    errors: [404, 409],
    fn: 'save_building',
    args: ({ params, body }) => ({ p_community_id: params.id, p_building_id: params.buildingId, p_grid_id: body.gridId, p_name: body.name }),
  });

  // ---------------------------------------------------------------- import
  r.handle({ method: 'get', path: '/templates/households', summary: '住户和居民导入模板（.xlsx，带示例和填写说明）', response: FileAnswer }, async () =>
    xlsxResponse(await householdTemplate(), '住户和居民导入模板.xlsx'),
  );
  r.handle(
    { method: 'get', path: '/templates/roster', summary: '居民/村民代表和党员名册导入模板（.xlsx，带示例和填写说明）', response: FileAnswer },
    async () => xlsxResponse(await rosterTemplate(), '代表和党员名册导入模板.xlsx'),
  );
  r.handle(
    {
      method: 'post',
      path: '/communities/{id}/imports',
      params: IdParam,
      query: ImportQuery,
      response: ImportResult,
      errors: [404, 413, 415],
      summary:
        '导入住户和居民（kind=households），或居民/村民代表和党员名册（kind=roster）：multipart/form-data 的 file 字段，.xlsx 或 .csv。dryRun=true 只看每一行会怎样，不写入；确认后用 dryRun=false 再传一次',
    },
    async ({ c, params, query }) => {
      const type = c.req.header('content-type') ?? '';
      let bytes: Buffer;
      if (/^multipart\/form-data/i.test(type)) {
        let form: Record<string, unknown>;
        try {
          form = await c.req.parseBody();
        } catch {
          throw new ApiError('request.invalid', { file: '上传的内容不完整，请重试' });
        }
        if (!(form.file instanceof File)) throw new ApiError('request.invalid', { file: '没有收到文件' });
        bytes = Buffer.from(await form.file.arrayBuffer());
      } else if (/^(application\/octet-stream|text\/csv|application\/vnd\.openxmlformats)/i.test(type)) {
        bytes = Buffer.from(await c.req.arrayBuffer());
      } else {
        throw new ApiError('request.unsupported_media_type');
      }
      if (bytes.length === 0) throw new ApiError('request.invalid', { file: '文件是空的' });
      const rows = await parseImportSheet(bytes, query.kind);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const result = await callDb(c, query.kind === 'roster' ? 'import_roster' : 'import_households', {
        p_community_id: params.id,
        p_rows: rows as unknown as Json,
        p_dry_run: query.dryRun !== 'false',
        p_sha256: sha256,
      });
      return { ...(result as Omit<ImportResult, 'sha256'>), sha256 };
    },
  );

  // ---------------------------------------------------------------- staff and residents
  r.rpc({
    method: 'get',
    path: '/communities/{id}/members',
    summary: '工作人员或居民名单（管理者看全名，手机号打码）',
    params: IdParam,
    query: MembersQuery,
    response: Page(Member),
    errors: [404],
    fn: 'list_members',
    args: ({ params, query: q }) => ({ p_community_id: params.id, p_role: q.role, p_q: q.q ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/communities/{id}/roles',
    status: 201,
    summary: '按手机号任命（两委、监委会由街道任命；两委可任命窗口人员和网格员）。对方还没用这个号码登录过时先发邀请，登录后生效',
    params: IdParam,
    body: GrantRoleBody,
    response: GrantResult,
    errors: [403, 404, 409],
    fn: 'grant_role',
    args: ({ params, body: b }) => ({ p_community_id: params.id, p_phone: b.phone, p_name: b.name, p_role: b.role, p_grid_id: b.gridId, p_title: b.title }),
  });
  r.rpc({
    method: 'post',
    path: '/memberships/{id}/withdraw',
    summary: '免去身份（立即生效；过去的记录仍署其名）',
    params: IdParam,
    body: WithdrawBody,
    response: z.object({ membershipId: Uuid, ended: z.boolean() }),
    errors: [403, 404],
    fn: 'withdraw_role',
    args: ({ params, body }) => ({ p_membership_id: params.id, p_reason: body.reason }),
  });
  r.rpc({
    method: 'post',
    path: '/memberships/{id}/end-residence',
    summary: '居民迁出、户内调整、去世或长期外出（历史、积分和记录都保留）',
    params: IdParam,
    body: EndResidenceBody,
    response: EndResidenceResult,
    errors: [404],
    fn: 'end_residence',
    args: ({ params, body: b }) => ({ p_membership_id: params.id, p_reason: b.reason, p_note: b.note, p_new_household_id: b.newHouseholdId }),
  });
  r.rpc({
    method: 'get',
    path: '/communities/{id}/history',
    summary: '任职和居住的变动记录（谁、什么身份、从何时到何时、为什么）',
    params: IdParam,
    query: PageQuery,
    response: Page(HistoryEntry),
    errors: [404],
    fn: 'list_membership_history',
    args: ({ params, query: q }) => ({ p_community_id: params.id, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/streets/{id}/departments',
    summary: '街道的部门和报到联系人（街道管理员；联系人姓名打码）',
    params: IdParam,
    query: PageQuery,
    response: Page(DepartmentSaved),
    errors: [403],
    fn: 'list_street_departments',
    args: ({ params, query: q }) => ({ p_street_id: params.id, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/streets/{id}/departments',
    status: 201,
    summary: '新建街道部门，或给部门添加/移除报到联系人（按手机号）',
    params: IdParam,
    body: SaveDepartmentBody.extend({ departmentId: Uuid.nullable().default(null) }),
    response: DepartmentSaved,
    errors: [403, 404, 409],
    fn: 'save_department',
    args: ({ params, body: b }) => ({
      p_street_id: params.id,
      p_department_id: b.departmentId,
      p_name: b.name,
      p_phone: b.phone,
      p_contact_phone: b.contactPhone,
      p_remove_contact: b.removeContact,
    }),
  });

  // ---------------------------------------------------------------- dashboards and exports
  r.rpc({
    method: 'get',
    path: '/streets/{id}/dashboard',
    summary: '街道看板：各社区的数字并排（都从记录里算出）',
    params: IdParam,
    query: StreetDashboardQuery,
    response: StreetDashboard,
    errors: [403],
    fn: 'get_street_dashboard',
    args: ({ params, query: q }) => ({
      p_street_id: params.id,
      p_from: q.from,
      p_to: q.to,
      p_limit: q.limit,
      p_cursor: q.cursor ?? null,
      p_refresh: q.refresh === 'true',
    }),
  });
  r.handle(
    {
      method: 'get',
      path: '/streets/{id}/dashboard/export',
      summary: '导出街道看板（.xlsx）',
      params: IdParam,
      query: PeriodQuery,
      response: FileAnswer,
      errors: [403],
    },
    async ({ c, params, query: q }) => {
      const rows: Array<Record<string, unknown>> = [];
      let cursor: string | null = null;
      let computed = '';
      do {
        const page = (await callDb(c, 'get_street_dashboard', {
          p_street_id: params.id,
          p_from: q.from,
          p_to: q.to,
          p_limit: 100,
          p_cursor: cursor,
        })) as z.infer<typeof StreetDashboard>;
        for (const it of page.items) {
          rows.push(figureRow(it.name, it.figures));
          if (!computed || Date.parse(it.computedAt) < Date.parse(computed)) computed = it.computedAt;
        }
        cursor = page.nextCursor;
      } while (cursor);
      await callDb(c, 'audit_street_export', { p_street_id: params.id, p_from: q.from, p_to: q.to, p_rows: rows.length });
      return xlsxResponse(
        await writeSheet(
          '街道看板',
          rows,
          `统计期间：${q.from} 至 ${q.to}（不含）。数字由系统从办件、随手拍、议事、志愿和积分记录中计算${computed ? `，算于 ${shanghaiDateTime(computed)}` : ''}。`,
        ),
        `街道看板_${q.from}_${q.to}.xlsx`,
      );
    },
  );
  r.rpc({
    method: 'get',
    path: '/communities/{id}/dashboard',
    summary: '社区看板：本社区的数字和各网格并排',
    params: IdParam,
    query: DashboardQuery,
    response: CommunityDashboard,
    errors: [404],
    fn: 'get_community_dashboard',
    args: ({ params, query: q }) => ({ p_community_id: params.id, p_from: q.from, p_to: q.to, p_refresh: q.refresh === 'true' }),
  });
  r.rpc({
    method: 'get',
    path: '/trend',
    summary: '近 12 个月的走势（一个社区，或整个街道）',
    query: TrendQuery,
    response: z.object({ items: z.array(TrendPoint) }),
    errors: [403, 404],
    fn: 'get_dashboard_trend',
    args: ({ query: q }) => ({ p_street_id: q.streetId ?? null, p_community_id: q.communityId ?? null, p_months: q.months }),
    map: (items) => ({ items: items ?? [] }),
  });
  r.handle(
    {
      method: 'get',
      path: '/communities/{id}/export',
      summary: '导出台账（.xlsx）：看板、住户、人员、办件、随手拍、积分流水、兑换发放；个人信息按权限打码，导出本身记入审计',
      params: IdParam,
      query: ExportQuery,
      response: FileAnswer,
      errors: [404],
    },
    async ({ c, params, query: q }) => {
      const rows: Array<Record<string, unknown>> = [];
      for (let offset = 0; offset < 100_000; offset += 10_000) {
        const page = (await callDb(c, 'export_register', {
          p_community_id: params.id,
          p_kind: q.kind,
          p_from: q.from,
          p_to: q.to,
          p_limit: 10_000,
          p_offset: offset,
        })) as { rows: Array<Record<string, unknown>> };
        rows.push(...(q.kind === 'dashboard' ? page.rows.map((f) => figureRow('本社区', f as unknown as Figures)) : page.rows));
        if (q.kind === 'dashboard' || page.rows.length < 10_000) break;
      }
      const titles: Record<string, string> = {
        dashboard: '社区看板',
        households: '住户台账',
        members: '人员名单',
        cases: '办件台账',
        reports: '随手拍台账',
        ledger: '积分流水',
        handouts: '兑换发放',
      };
      return xlsxResponse(await writeSheet(titles[q.kind]!, rows, `期间：${q.from} 至 ${q.to}（不含）`), `${titles[q.kind]}_${q.from}_${q.to}.xlsx`);
    },
  );

  return r.router;
}

/** Imports take the sheet itself: their own size limit instead of the JSON one. */
export const importBodyLimit = bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: (c) => c.json(errorBody('admin.import_too_large'), 413) });
export const IMPORT_PATH = /^\/api\/admin\/communities\/[^/]+\/imports$/;
