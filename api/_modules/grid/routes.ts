import { z } from '@hono/zod-openapi';
import { domainRouter } from '../../_lib/router.js';
import { CommunityPageQuery, CommunityQuery, IdParam, Page, PageQuery, Uuid } from '../../_contracts/common.js';
import {
  AllFiguresQuery,
  ConcludeDisputeBody,
  CreateReportBody,
  Department,
  DepartmentCall,
  Dispute,
  DisputeSummary,
  FiguresQuery,
  GridDesk,
  GridFigures,
  GridHousehold,
  HouseholdSearchQuery,
  MediationBody,
  OpenDisputeBody,
  PublicPlace,
  QueueQuery,
  RecordVisitBody,
  Report,
  ReportCategory,
  ReportStepBody,
  ReportSummary,
  SimilarQuery,
  SimilarReport,
  UnvisitedHousehold,
  Visit,
  WorkLog,
  WorkLogBody,
} from '../../_contracts/grid.js';

const firstOfMonth = (month: string) => `${month}-01`;

/** 网格化管理: 随手拍 and its ladder, departments called in, and the grid worker's visits, log, disputes and figures. */
export function gridRoutes() {
  const r = domainRouter('grid');

  // ---------------------------------------------------------------- reporting
  r.rpc({
    method: 'get',
    path: '/categories',
    summary: '随手拍的问题类别（各社区自己的时限）',
    query: CommunityQuery,
    response: Page(ReportCategory),
    fn: 'list_report_categories',
    args: ({ query: q }) => ({ p_community_id: q.communityId }),
  });
  r.rpc({
    method: 'get',
    path: '/places',
    summary: '社区的公共场所（广场、大门、菜市场…）',
    query: CommunityPageQuery,
    response: Page(PublicPlace),
    fn: 'list_public_places',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/reports/similar',
    summary: '同一地点、同一类别一天内还没办完的随手拍（“同一件事？”）',
    query: SimilarQuery,
    response: z.object({ items: z.array(SimilarReport) }),
    errors: [403],
    fn: 'find_similar_reports',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_category: q.category, p_building_id: q.buildingId ?? null, p_place_id: q.placeId ?? null }),
    map: (items) => ({ items }),
  });
  r.rpc({
    method: 'post',
    path: '/reports',
    status: 201,
    idempotent: true,
    summary: '随手拍：反映一个问题（送到所在网格的网格员，网格没有网格员时送社区；同一 Idempotency-Key 重试返回同一条）',
    body: CreateReportBody,
    response: Report,
    errors: [403, 404],
    fn: 'create_report',
    args: ({ body: b, key }) => ({
      p_community_id: b.communityId,
      p_category: b.category,
      p_description: b.description,
      p_place_kind: b.placeKind,
      p_building_id: b.buildingId,
      p_place_id: b.placeId,
      p_latitude: b.latitude,
      p_longitude: b.longitude,
      p_place_text: b.placeText,
      p_anonymous: b.anonymous,
      p_file_ids: b.fileIds,
      p_idempotency_key: key,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/reports/mine',
    summary: '我反映的和我跟进的随手拍',
    query: PageQuery,
    response: Page(ReportSummary),
    fn: 'list_my_reports',
    args: ({ query: q }) => ({ p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/reports/queue',
    summary: '待办的随手拍：我的网格、社区或街道这一级（快到期和超时的在前）',
    query: QueueQuery,
    response: Page(ReportSummary),
    errors: [403],
    fn: 'list_report_queue',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_scope: q.scope, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/reports/{id}',
    summary: '一条随手拍：每一步、叫来的部门和能做的操作',
    params: IdParam,
    response: Report,
    errors: [404],
    fn: 'get_report',
    args: ({ params }) => ({ p_report_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/reports/{id}/join',
    summary: '同一件事：加入并跟进别人已经反映的问题',
    params: IdParam,
    response: Report,
    errors: [404],
    fn: 'join_report',
    args: ({ params }) => ({ p_report_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/reports/{id}/steps',
    summary: '处理一步：受理、开始处置、办结、上报、吹哨叫部门、部门报到（网格员和工作人员按级别）；确认、重新打开、评价（反映人）',
    params: IdParam,
    body: ReportStepBody,
    response: Report,
    errors: [403, 404, 409],
    fn: 'report_step',
    args: ({ params, body: b }) => ({
      p_report_id: params.id,
      p_action: b.action,
      p_note: b.note,
      p_department_id: b.departmentId,
      p_rating: b.rating,
      p_file_ids: b.fileIds,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/departments',
    summary: '可以叫来的部门（本街道的）',
    query: CommunityQuery,
    response: Page(Department),
    errors: [403],
    fn: 'list_departments',
    args: ({ query: q }) => ({ p_community_id: q.communityId }),
  });
  r.rpc({
    method: 'get',
    path: '/department-calls/mine',
    summary: '叫我所在部门报到的随手拍（没报到的在前）',
    query: PageQuery,
    response: Page(DepartmentCall),
    fn: 'list_my_department_calls',
    args: ({ query: q }) => ({ p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/desk',
    summary: '网格工作台：我负责的网格和各项待办数',
    query: CommunityQuery,
    response: GridDesk,
    errors: [403],
    fn: 'get_grid_desk',
    args: ({ query: q }) => ({ p_community_id: q.communityId }),
  });
  r.rpc({
    method: 'post',
    path: '/subscriptions',
    status: 201,
    summary: '订阅一次随手拍进度提醒（用户在微信里同意后调用）',
    body: z.object({ communityId: Uuid }),
    response: z.object({ topic: z.string(), credits: z.number() }),
    errors: [403],
    fn: 'subscribe_grid',
    args: ({ body }) => ({ p_community_id: body.communityId }),
  });
  r.handle(
    { method: 'get', path: '/subscription-config', summary: '随手拍进度订阅消息模板', response: z.object({ templateId: z.string().nullable() }) },
    async ({ c }) => ({ templateId: c.get('outbox').templates.report ?? null }),
  );

  // ---------------------------------------------------------------- the grid worker's day
  r.rpc({
    method: 'post',
    path: '/visits',
    status: 201,
    summary: '记录一次入户走访（本网格的网格员）',
    body: RecordVisitBody,
    response: Visit,
    errors: [403, 404],
    fn: 'record_visit',
    args: ({ body: b }) => ({
      p_household_id: b.householdId,
      p_met: b.met,
      p_topics: b.topics,
      p_note: b.note,
      p_follow_up: b.followUp || null,
      p_follow_up_due: b.followUpDue,
      p_dispute_id: b.disputeId,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/visits',
    summary: '走访记录（网格员：自己的网格；两委：全社区）',
    query: CommunityPageQuery,
    response: Page(Visit),
    errors: [403],
    fn: 'list_visits',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/visits/{id}/follow-up-done',
    summary: '走访时记下要跟进的事已经办了',
    params: IdParam,
    response: z.object({ id: Uuid, followUpDoneAt: z.string().nullable() }),
    errors: [404],
    fn: 'complete_follow_up',
    args: ({ params }) => ({ p_visit_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/households/unvisited',
    summary: '本季度还没走访过的住户（我的网格）',
    query: CommunityPageQuery,
    response: Page(UnvisitedHousehold),
    errors: [403],
    fn: 'list_unvisited_households',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/households',
    summary: '我能走访的住户（网格员：自己的网格；两委：全社区），可按门牌搜索',
    query: HouseholdSearchQuery,
    response: Page(GridHousehold),
    errors: [403],
    fn: 'list_grid_households',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_q: q.q ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/logs',
    status: 201,
    summary: '写民情日志（今天或之前 31 天内）',
    body: WorkLogBody,
    response: WorkLog,
    errors: [403],
    fn: 'write_work_log',
    args: ({ body: b }) => ({ p_grid_id: b.gridId, p_day: b.day, p_body: b.body }),
  });
  r.rpc({
    method: 'get',
    path: '/logs',
    summary: '民情日志（网格员：自己的；两委：全社区）',
    query: CommunityPageQuery,
    response: Page(WorkLog),
    errors: [403],
    fn: 'list_work_logs',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/disputes',
    status: 201,
    summary: '登记一起矛盾纠纷（网格员、两委；详情只有调解人和两委能看）',
    body: OpenDisputeBody,
    response: Dispute,
    errors: [403, 404],
    fn: 'open_dispute',
    args: ({ body: b }) => ({
      p_grid_id: b.gridId,
      p_title: b.title,
      p_details: b.details,
      p_party_household_ids: b.partyHouseholdIds,
      p_report_id: b.reportId,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/disputes',
    summary: '矛盾纠纷（调解人能看的）',
    query: CommunityPageQuery,
    response: Page(DisputeSummary),
    errors: [403],
    fn: 'list_disputes',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/disputes/{id}',
    summary: '一起矛盾纠纷：当事住户、每次调解、结果',
    params: IdParam,
    response: Dispute,
    errors: [404],
    fn: 'get_dispute',
    args: ({ params }) => ({ p_dispute_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/disputes/{id}/sessions',
    status: 201,
    summary: '记录一次调解',
    params: IdParam,
    body: MediationBody,
    response: Dispute,
    errors: [404, 409],
    fn: 'record_mediation',
    args: ({ params, body }) => ({ p_dispute_id: params.id, p_notes: body.notes }),
  });
  r.rpc({
    method: 'post',
    path: '/disputes/{id}/conclude',
    summary: '结案：达成协议、转交（司法所、派出所…）或结案',
    params: IdParam,
    body: ConcludeDisputeBody,
    response: Dispute,
    errors: [404, 409],
    fn: 'conclude_dispute',
    args: ({ params, body: b }) => ({ p_dispute_id: params.id, p_status: b.status, p_agreement: b.agreement, p_referred_to: b.referredTo }),
  });

  // ---------------------------------------------------------------- 考核 figures
  r.rpc({
    method: 'get',
    path: '/figures',
    summary: '一位网格员一个月的工作量化（从记录里算出，不能手填）',
    query: FiguresQuery,
    response: GridFigures,
    errors: [403, 404],
    fn: 'get_grid_figures',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_month: firstOfMonth(q.month), p_worker_id: q.workerId ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/figures/all',
    summary: '全社区网格员一个月的工作量化（两委、监委会、街道）',
    query: AllFiguresQuery,
    response: Page(GridFigures),
    errors: [403],
    fn: 'list_grid_figures',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_month: firstOfMonth(q.month), p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });

  return r.router;
}
