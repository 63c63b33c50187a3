import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { idempotencyKey } from '../../_lib/idempotency.js';
import { CommunityQuery, IdParam, Uuid } from '../../_contracts/common.js';
import {
  AdvanceBody, Application, ApplyBody, ItemSummary, ItemsQuery, MyAppointment, MyApplication, Notification, ProxyRequest, RateBody,
  ResubmitBody, ServiceItem, Slot, SlotsBody, Workbench,
} from '../../_contracts/hall.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['hall'];
const idem = { headers: z.object({ 'idempotency-key': z.string().optional() }) };
const ok = z.object({ id: Uuid, status: z.string() });

const routes = {
  items: createRoute({ method: 'get', path: '/items', tags, security: bearer, summary: '事项清单：按关键词搜索或按主题浏览', request: { query: ItemsQuery },
    responses: { 200: json(z.object({ items: z.array(ItemSummary) }), '事项'), ...errors(400, 401) } }),
  item: createRoute({ method: 'get', path: '/items/{id}', tags, security: bearer, summary: '事项详情：材料、流程、时限、表单', request: { params: IdParam },
    responses: { 200: json(ServiceItem, '事项'), ...errors(400, 401, 404) } }),
  apply: createRoute({ method: 'post', path: '/applications', tags, security: bearer, summary: '网上申请（同一 Idempotency-Key 重试返回同一办件）',
    request: { ...idem, ...body(ApplyBody) }, responses: { 201: json(Application, '已提交'), ...errors(400, 401, 403, 404, 409) } }),
  mine: createRoute({ method: 'get', path: '/applications/mine', tags, security: bearer, summary: '我的办件（含我代办的）',
    responses: { 200: json(z.object({ applications: z.array(MyApplication) }), '办件'), ...errors(401) } }),
  get: createRoute({ method: 'get', path: '/applications/{id}', tags, security: bearer, summary: '办件详情与全过程（申请人、已同意的帮办人、本社区工作人员）',
    request: { params: IdParam }, responses: { 200: json(Application, '办件'), ...errors(400, 401, 404) } }),
  advance: createRoute({ method: 'post', path: '/applications/{id}/steps', tags, security: bearer, summary: '窗口办理：受理、办理、办结、退回补正、不予受理',
    request: { params: IdParam, ...body(AdvanceBody) }, responses: { 200: json(Application, '已处理'), ...errors(400, 401, 403, 404, 409) } }),
  resubmit: createRoute({ method: 'post', path: '/applications/{id}/resubmit', tags, security: bearer, summary: '补正后重新提交（同一办件继续）',
    request: { params: IdParam, ...body(ResubmitBody) }, responses: { 200: json(Application, '已重新提交'), ...errors(400, 401, 403, 404, 409) } }),
  rate: createRoute({ method: 'post', path: '/applications/{id}/rating', tags, security: bearer, summary: '好差评（办结后一次；1–2 星进入整改）',
    request: { params: IdParam, ...body(RateBody) }, responses: { 201: json(Application, '已评价'), ...errors(400, 401, 403, 404, 409) } }),
  workbench: createRoute({ method: 'get', path: '/workbench', tags, security: bearer, summary: '窗口工作台：待办、逾期、整改、今日预约、帮办请求',
    request: { query: CommunityQuery }, responses: { 200: json(Workbench, '工作台'), ...errors(400, 401, 403) } }),
  closeRect: createRoute({ method: 'post', path: '/rectifications/{id}/close', tags, security: bearer, summary: '整改完成（写明整改情况）',
    request: { params: IdParam, ...body(z.object({ note: z.string().trim().min(2, { error: '请写明整改情况' }).max(300) })) },
    responses: { 200: json(z.object({ id: Uuid, status: z.string(), closedNote: z.string() }), '已整改'), ...errors(400, 401, 403, 409) } }),
  slots: createRoute({ method: 'get', path: '/items/{id}/slots', tags, security: bearer, summary: '可预约时段', request: { params: IdParam },
    responses: { 200: json(z.object({ slots: z.array(Slot) }), '时段'), ...errors(400, 401) } }),
  createSlots: createRoute({ method: 'post', path: '/slots', tags, security: bearer, summary: '开放预约时段（工作人员）', request: body(SlotsBody),
    responses: { 201: json(z.object({ created: z.number() }), '已开放'), ...errors(400, 401, 403) } }),
  book: createRoute({ method: 'post', path: '/slots/{id}/appointments', tags, security: bearer, summary: '预约（不会超约）', request: { params: IdParam, ...idem },
    responses: { 201: json(z.object({ id: Uuid, slotId: Uuid, status: z.string(), startsAt: z.string().optional() }), '已预约'), ...errors(400, 401, 404, 409) } }),
  myAppointments: createRoute({ method: 'get', path: '/appointments/mine', tags, security: bearer, summary: '我的预约',
    responses: { 200: json(z.object({ appointments: z.array(MyAppointment) }), '预约'), ...errors(401) } }),
  cancelAppointment: createRoute({ method: 'post', path: '/appointments/{id}/cancel', tags, security: bearer, summary: '取消预约（开始前 2 小时以前）',
    request: { params: IdParam }, responses: { 200: json(ok, '已取消'), ...errors(400, 401, 404, 409) } }),
  arrive: createRoute({ method: 'post', path: '/appointments/{id}/arrival', tags, security: bearer, summary: '窗口登记到场',
    request: { params: IdParam }, responses: { 200: json(ok, '已到场'), ...errors(400, 401, 403, 409) } }),
  requestProxy: createRoute({ method: 'post', path: '/proxy-requests', tags, security: bearer, summary: '请人帮办代办',
    request: body(z.object({ itemId: Uuid, note: z.string().max(300).default('') })), responses: { 201: json(ok, '已请求'), ...errors(400, 401, 404, 409) } }),
  myProxy: createRoute({ method: 'get', path: '/proxy-requests/mine', tags, security: bearer, summary: '我的帮办（我请的、我帮的）',
    responses: { 200: json(z.object({ requests: z.array(ProxyRequest) }), '帮办'), ...errors(401) } }),
  assignProxy: createRoute({ method: 'post', path: '/proxy-requests/{id}/assign', tags, security: bearer, summary: '工作人员指派帮办人',
    request: { params: IdParam, ...body(z.object({ helperId: Uuid })) }, responses: { 200: json(ok, '已指派'), ...errors(400, 401, 403, 409) } }),
  consentProxy: createRoute({ method: 'post', path: '/proxy-requests/{id}/consent', tags, security: bearer, summary: '居民同意由帮办人代办',
    request: { params: IdParam }, responses: { 200: json(ok, '已同意'), ...errors(400, 401, 404) } }),
  helpers: createRoute({ method: 'get', path: '/helpers', tags, security: bearer, summary: '可指派的帮办人（网格员、志愿者）', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ helpers: z.array(z.object({ id: Uuid, name: z.string(), kind: z.string() })) }), '帮办人'), ...errors(400, 401, 403) } }),
  subscribe: createRoute({ method: 'post', path: '/subscriptions', tags, security: bearer, summary: '订阅一次办件进度提醒（用户在微信里同意后调用）',
    request: body(z.object({ communityId: Uuid })), responses: { 201: json(z.object({ topic: z.string(), credits: z.number() }), '已订阅'), ...errors(400, 401, 403) } }),
  subscriptionConfig: createRoute({ method: 'get', path: '/subscription-config', tags, security: bearer, summary: '办件进度订阅消息模板',
    responses: { 200: json(z.object({ templateId: z.string().nullable() }), '模板'), ...errors(401) } }),
  notifications: createRoute({ method: 'get', path: '/notifications', tags, security: bearer, summary: '我的消息',
    responses: { 200: json(z.object({ notifications: z.array(Notification) }), '消息'), ...errors(401) } }),
};

export function hallRoutes() {
  const r = createRouter();
  const rpc = async <T>(c: Parameters<typeof requireUser>[0], fn: string, args: Record<string, unknown>) =>
    c.var.db.rpc<T>(fn, args, await requireUser(c));

  r.openapi(routes.items, async (c) => {
    const q = c.req.valid('query');
    return c.json({ items: await rpc<ItemSummary[]>(c, 'search_service_items', { p_community_id: q.communityId, p_q: q.q ?? null, p_theme: q.theme ?? null }) }, 200);
  });
  r.openapi(routes.item, async (c) => c.json(await rpc<ServiceItem>(c, 'get_service_item', { p_item_id: c.req.valid('param').id }), 200));
  r.openapi(routes.apply, async (c) => {
    const key = idempotencyKey(c);
    const b = c.req.valid('json');
    return c.json(await rpc<Application>(c, 'submit_application', { p_item_id: b.itemId, p_form_data: b.formData, p_attachments: b.attachments,
      p_idempotency_key: key, p_proxy_request_id: b.proxyRequestId ?? null }), 201);
  });
  r.openapi(routes.mine, async (c) => c.json({ applications: await rpc<MyApplication[]>(c, 'list_my_applications', {}) }, 200));
  r.openapi(routes.get, async (c) => c.json(await rpc<Application>(c, 'get_application', { p_application_id: c.req.valid('param').id }), 200));
  r.openapi(routes.advance, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Application>(c, 'advance_application', { p_application_id: c.req.valid('param').id, p_to: b.to, p_note: b.note }), 200);
  });
  r.openapi(routes.resubmit, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Application>(c, 'resubmit_application', { p_application_id: c.req.valid('param').id, p_form_data: b.formData,
      p_attachments: b.attachments ?? null, p_note: b.note ?? '' }), 200);
  });
  r.openapi(routes.rate, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Application>(c, 'rate_application', { p_application_id: c.req.valid('param').id, p_rating: b.rating, p_comment: b.comment }), 201);
  });
  r.openapi(routes.workbench, async (c) => c.json(await rpc<Workbench>(c, 'get_hall_workbench', { p_community_id: c.req.valid('query').communityId }), 200));
  r.openapi(routes.closeRect, async (c) => c.json(await rpc<{ id: string; status: string; closedNote: string }>(c, 'close_rectification', {
    p_rectification_id: c.req.valid('param').id, p_note: c.req.valid('json').note }), 200));
  r.openapi(routes.slots, async (c) => c.json({ slots: await rpc<Slot[]>(c, 'list_appointment_slots', { p_item_id: c.req.valid('param').id }) }, 200));
  r.openapi(routes.createSlots, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ created: number }>(c, 'create_appointment_slots', { p_item_id: b.itemId, p_day: b.day, p_times: b.times, p_minutes: b.minutes, p_capacity: b.capacity }), 201);
  });
  r.openapi(routes.book, async (c) => {
    const key = idempotencyKey(c);
    return c.json(await rpc<{ id: string; slotId: string; status: string; startsAt?: string }>(c, 'book_appointment', { p_slot_id: c.req.valid('param').id, p_idempotency_key: key }), 201);
  });
  r.openapi(routes.myAppointments, async (c) => c.json({ appointments: await rpc<MyAppointment[]>(c, 'list_my_appointments', {}) }, 200));
  r.openapi(routes.cancelAppointment, async (c) => c.json(await rpc<{ id: string; status: string }>(c, 'cancel_appointment', { p_appointment_id: c.req.valid('param').id }), 200));
  r.openapi(routes.arrive, async (c) => c.json(await rpc<{ id: string; status: string }>(c, 'mark_arrival', { p_appointment_id: c.req.valid('param').id }), 200));
  r.openapi(routes.requestProxy, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<{ id: string; status: string }>(c, 'request_proxy', { p_item_id: b.itemId, p_note: b.note }), 201);
  });
  r.openapi(routes.myProxy, async (c) => c.json({ requests: await rpc<ProxyRequest[]>(c, 'list_my_proxy_requests', {}) }, 200));
  r.openapi(routes.assignProxy, async (c) => c.json(await rpc<{ id: string; status: string }>(c, 'assign_proxy', { p_request_id: c.req.valid('param').id, p_helper_id: c.req.valid('json').helperId }), 200));
  r.openapi(routes.consentProxy, async (c) => c.json(await rpc<{ id: string; status: string }>(c, 'consent_proxy', { p_request_id: c.req.valid('param').id }), 200));
  r.openapi(routes.helpers, async (c) => c.json({ helpers: await rpc<{ id: string; name: string; kind: string }[]>(c, 'list_helpers', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.subscribe, async (c) => c.json(await rpc<{ topic: string; credits: number }>(c, 'subscribe_hall', { p_community_id: c.req.valid('json').communityId }), 201));
  r.openapi(routes.subscriptionConfig, async (c) => {
    await requireUser(c);
    return c.json({ templateId: c.var.outbox.templates.case ?? null }, 200);
  });
  r.openapi(routes.notifications, async (c) => c.json({ notifications: await rpc<Notification[]>(c, 'list_notifications', {}) }, 200));
  return r;
}
