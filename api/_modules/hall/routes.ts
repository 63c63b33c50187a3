import { z } from '@hono/zod-openapi';
import { domainRouter } from '../../_lib/router.js';
import { CommunityPageQuery, CommunityQuery, IdParam, Page, PageQuery, Uuid } from '../../_contracts/common.js';
import {
  AdvanceBody,
  Application,
  ApplyBody,
  ItemSummary,
  ItemsQuery,
  MyAppointment,
  MyApplication,
  Notification,
  ProxyRequest,
  RateBody,
  ResubmitBody,
  ServiceItem,
  Slot,
  SlotsBody,
  Workbench,
  WorkPage,
  WorkTab,
} from '../../_contracts/hall.js';

const ok = z.object({ id: Uuid, status: z.string() });

export function hallRoutes() {
  const r = domainRouter('hall');

  r.rpc({
    method: 'get',
    path: '/items',
    summary: '事项清单：按关键词搜索或按主题浏览',
    query: ItemsQuery,
    response: Page(ItemSummary),
    fn: 'search_service_items',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_q: q.q ?? null, p_theme: q.theme ?? null, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/items/{id}',
    summary: '事项详情：材料、流程、时限、表单',
    params: IdParam,
    response: ServiceItem,
    errors: [404],
    fn: 'get_service_item',
    args: ({ params }) => ({ p_item_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/applications',
    status: 201,
    idempotent: true,
    summary: '网上申请（同一 Idempotency-Key 重试返回同一办件）',
    body: ApplyBody,
    response: Application,
    errors: [403, 404, 409],
    fn: 'submit_application',
    args: ({ body: b, key }) => ({
      p_item_id: b.itemId,
      p_form_data: b.formData,
      p_attachments: b.attachments,
      p_idempotency_key: key,
      p_proxy_request_id: b.proxyRequestId ?? null,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/applications/mine',
    summary: '我的办件（含我代办的）',
    query: PageQuery,
    response: Page(MyApplication),
    fn: 'list_my_applications',
    args: ({ query }) => ({ p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/applications/{id}',
    summary: '办件详情与全过程（申请人、已同意的帮办人、本社区工作人员）',
    params: IdParam,
    response: Application,
    errors: [404],
    fn: 'get_application',
    args: ({ params }) => ({ p_application_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/applications/{id}/steps',
    summary: '窗口办理：受理、办理、办结、退回补正、不予受理',
    params: IdParam,
    body: AdvanceBody,
    response: Application,
    errors: [403, 404, 409],
    fn: 'advance_application',
    args: ({ params, body }) => ({ p_application_id: params.id, p_to: body.to, p_note: body.note }),
  });
  r.rpc({
    method: 'post',
    path: '/applications/{id}/resubmit',
    summary: '补正后重新提交（同一办件继续）',
    params: IdParam,
    body: ResubmitBody,
    response: Application,
    errors: [403, 404, 409],
    fn: 'resubmit_application',
    args: ({ params, body: b }) => ({ p_application_id: params.id, p_form_data: b.formData, p_attachments: b.attachments ?? null, p_note: b.note ?? '' }),
  });
  r.rpc({
    method: 'post',
    path: '/applications/{id}/rating',
    status: 201,
    summary: '好差评（办结后一次；1–2 星进入整改）',
    params: IdParam,
    body: RateBody,
    response: Application,
    errors: [403, 404, 409],
    fn: 'rate_application',
    args: ({ params, body }) => ({ p_application_id: params.id, p_rating: body.rating, p_comment: body.comment }),
  });
  r.rpc({
    method: 'get',
    path: '/workbench',
    summary: '窗口工作台各栏的数目：待办（含逾期）、今日预约、帮办、整改',
    query: CommunityQuery,
    response: Workbench,
    errors: [403],
    fn: 'get_hall_workbench',
    args: ({ query }) => ({ p_community_id: query.communityId }),
  });
  r.rpc({
    method: 'get',
    path: '/workbench/{tab}',
    summary: '窗口工作台的一栏（分页）：待办按到期日（逾期在前）、今日预约按时间、帮办、整改',
    params: z.object({ tab: WorkTab }),
    query: CommunityPageQuery,
    response: WorkPage,
    errors: [403],
    fn: 'list_hall_work',
    args: ({ params, query: q }) => ({ p_community_id: q.communityId, p_tab: params.tab, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/rectifications/{id}/close',
    summary: '整改完成（写明整改情况）',
    params: IdParam,
    body: z.object({ note: z.string().trim().min(2, { error: '请写明整改情况' }).max(300) }),
    response: z.object({ id: Uuid, status: z.string(), closedNote: z.string() }),
    errors: [403, 404, 409],
    fn: 'close_rectification',
    args: ({ params, body }) => ({ p_rectification_id: params.id, p_note: body.note }),
  });
  r.rpc({
    method: 'get',
    path: '/items/{id}/slots',
    summary: '可预约时段',
    params: IdParam,
    query: PageQuery,
    response: Page(Slot),
    errors: [404],
    fn: 'list_appointment_slots',
    args: ({ params, query }) => ({ p_item_id: params.id, p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/slots',
    status: 201,
    summary: '开放预约时段（工作人员）',
    body: SlotsBody,
    response: z.object({ created: z.number() }),
    errors: [403, 404],
    fn: 'create_appointment_slots',
    args: ({ body: b }) => ({ p_item_id: b.itemId, p_day: b.day, p_times: b.times, p_minutes: b.minutes, p_capacity: b.capacity }),
  });
  r.rpc({
    method: 'post',
    path: '/slots/{id}/appointments',
    status: 201,
    idempotent: true,
    summary: '预约（不会超约）',
    params: IdParam,
    response: z.object({ id: Uuid, slotId: Uuid, status: z.string(), startsAt: z.string().optional() }),
    errors: [404, 409],
    fn: 'book_appointment',
    args: ({ params, key }) => ({ p_slot_id: params.id, p_idempotency_key: key }),
  });
  r.rpc({
    method: 'get',
    path: '/appointments/mine',
    summary: '我的预约',
    query: PageQuery,
    response: Page(MyAppointment),
    fn: 'list_my_appointments',
    args: ({ query }) => ({ p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/appointments/{id}/cancel',
    summary: '取消预约（开始前 2 小时以前）',
    params: IdParam,
    response: ok,
    errors: [404, 409],
    fn: 'cancel_appointment',
    args: ({ params }) => ({ p_appointment_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/appointments/{id}/arrival',
    summary: '窗口登记到场',
    params: IdParam,
    response: ok,
    errors: [403, 404, 409],
    fn: 'mark_arrival',
    args: ({ params }) => ({ p_appointment_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/proxy-requests',
    status: 201,
    summary: '请人帮办代办',
    body: z.object({ itemId: Uuid, note: z.string().max(300).default('') }),
    response: ok,
    errors: [404, 409],
    fn: 'request_proxy',
    args: ({ body }) => ({ p_item_id: body.itemId, p_note: body.note }),
  });
  r.rpc({
    method: 'get',
    path: '/proxy-requests/mine',
    summary: '我的帮办（我请的、我帮的）',
    query: PageQuery,
    response: Page(ProxyRequest),
    fn: 'list_my_proxy_requests',
    args: ({ query }) => ({ p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/proxy-requests/{id}/assign',
    summary: '工作人员指派帮办人',
    params: IdParam,
    body: z.object({ helperId: Uuid }),
    response: ok,
    errors: [403, 404, 409],
    fn: 'assign_proxy',
    args: ({ params, body }) => ({ p_request_id: params.id, p_helper_id: body.helperId }),
  });
  r.rpc({
    method: 'post',
    path: '/proxy-requests/{id}/consent',
    summary: '居民同意由帮办人代办',
    params: IdParam,
    response: ok,
    errors: [404],
    fn: 'consent_proxy',
    args: ({ params }) => ({ p_request_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/helpers',
    summary: '可指派的帮办人（网格员在前，然后是志愿者）',
    query: CommunityPageQuery,
    response: Page(z.object({ id: Uuid, name: z.string(), kind: z.string() })),
    errors: [403],
    fn: 'list_helpers',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/subscriptions',
    status: 201,
    summary: '订阅一次办件进度提醒（用户在微信里同意后调用）',
    body: z.object({ communityId: Uuid }),
    response: z.object({ topic: z.string(), credits: z.number() }),
    errors: [403],
    fn: 'subscribe_hall',
    args: ({ body }) => ({ p_community_id: body.communityId }),
  });
  r.handle(
    { method: 'get', path: '/subscription-config', summary: '办件进度订阅消息模板', response: z.object({ templateId: z.string().nullable() }) },
    async ({ c }) => ({ templateId: c.get('outbox').templates.case ?? null }),
  );
  r.rpc({
    method: 'get',
    path: '/notifications',
    summary: '我的消息',
    query: PageQuery,
    response: Page(Notification),
    fn: 'list_notifications',
    args: ({ query }) => ({ p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });

  return r.router;
}
