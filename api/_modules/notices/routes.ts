import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { checkAndSettle } from '../../_lib/content-check.js';
import { IdParam, CommunityQuery, Uuid } from '../../_contracts/common.js';
import {
  AnswerBody, CorrectNoticeBody, CreateNoticeBody, HideBody, ListQuery, Notice, NoticeHome, NoticeList, NoticeWork,
  PinBody, QuestionBody, ReadStats, ReviewNoticeBody, UpdateNoticeBody,
} from '../../_contracts/notices.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['notices'];

const listRoute = createRoute({ method: 'get', path: '/', tags, security: bearer, summary: '公告列表（可按类别筛选）',
  request: { query: ListQuery }, responses: { 200: json(NoticeList, '公告'), ...errors(400, 401) } });
const homeRoute = createRoute({ method: 'get', path: '/home', tags, security: bearer, summary: '首页：未读应急通知、置顶、最新',
  request: { query: CommunityQuery }, responses: { 200: json(NoticeHome, '首页公告'), ...errors(400, 401) } });
const workRoute = createRoute({ method: 'get', path: '/work', tags, security: bearer, summary: '草稿、待审核和被退回的公告（两委、监督委员会）',
  request: { query: CommunityQuery }, responses: { 200: json(NoticeWork, '待处理'), ...errors(400, 401) } });
const subscribeRoute = createRoute({ method: 'post', path: '/subscriptions', tags, security: bearer, summary: '订阅一次新公告提醒（用户在微信里同意后调用）',
  request: body(z.object({ communityId: Uuid })), responses: { 201: json(z.object({ topic: z.string(), credits: z.number() }), '已订阅'), ...errors(400, 401, 403) } });
const subscriptionConfigRoute = createRoute({ method: 'get', path: '/subscription-config', tags, security: bearer, summary: '订阅消息模板',
  responses: { 200: json(z.object({ templateId: z.string().nullable() }), '模板'), ...errors(401) } });
const createNoticeRoute = createRoute({ method: 'post', path: '/', tags, security: bearer, summary: '新建公告草稿（两委成员）',
  request: body(CreateNoticeBody), responses: { 201: json(Notice, '草稿'), ...errors(400, 401, 403) } });
const getRoute = createRoute({ method: 'get', path: '/{id}', tags, security: bearer, summary: '公告详情（可指定历史版本）',
  request: { params: IdParam, query: z.object({ version: z.coerce.number().int().min(1).optional() }) },
  responses: { 200: json(Notice, '公告'), ...errors(400, 401, 404) } });
const updateRoute = createRoute({ method: 'put', path: '/{id}/draft', tags, security: bearer, summary: '修改草稿或被退回的版本',
  request: { params: IdParam, ...body(UpdateNoticeBody) }, responses: { 200: json(Notice, '已保存'), ...errors(400, 401, 403, 404, 409) } });
const submitRoute = createRoute({ method: 'post', path: '/{id}/submit', tags, security: bearer, summary: '提交：需审核的送监督委员会，其余直接发布',
  request: { params: IdParam }, responses: { 200: json(Notice, '已提交或已发布'), ...errors(400, 401, 403, 404, 409) } });
const reviewRoute = createRoute({ method: 'post', path: '/{id}/review', tags, security: bearer, summary: '监督委员会审核：通过（发布）或退回',
  request: { params: IdParam, ...body(ReviewNoticeBody) }, responses: { 200: json(Notice, '已审核'), ...errors(400, 401, 403, 404, 409) } });
const correctRoute = createRoute({ method: 'post', path: '/{id}/corrections', tags, security: bearer, summary: '更正已发布的公告（生成新版本）',
  request: { params: IdParam, ...body(CorrectNoticeBody) }, responses: { 201: json(Notice, '新版本'), ...errors(400, 401, 403, 404, 409) } });
const pinRoute = createRoute({ method: 'post', path: '/{id}/pin', tags, security: bearer, summary: '置顶或取消置顶',
  request: { params: IdParam, ...body(PinBody) }, responses: { 200: json(z.object({ id: Uuid, pinned: z.boolean() }), '已更新'), ...errors(400, 401, 403, 404) } });
const readRoute = createRoute({ method: 'post', path: '/{id}/read', tags, security: bearer, summary: '记录已读（每人一次）',
  request: { params: IdParam }, responses: { 200: json(z.object({ noticeId: Uuid, firstRead: z.boolean() }), '已记录'), ...errors(400, 401, 404) } });
const statsRoute = createRoute({ method: 'get', path: '/{id}/read-stats', tags, security: bearer, summary: '阅读情况与未读户（两委、网格员）',
  request: { params: IdParam }, responses: { 200: json(ReadStats, '阅读情况'), ...errors(400, 401, 403, 404) } });
const askRoute = createRoute({ method: 'post', path: '/{id}/questions', tags, security: bearer, summary: '在公开事项下提问（经内容审核后显示）',
  request: { params: IdParam, ...body(QuestionBody) },
  responses: { 201: json(z.object({ id: Uuid, checkStatus: z.string() }), '已提交'), ...errors(400, 401, 403, 404, 409) } });
const answerRoute = createRoute({ method: 'post', path: '/questions/{id}/answer', tags, security: bearer, summary: '回复提问（两委成员）',
  request: { params: IdParam, ...body(AnswerBody) },
  responses: { 200: json(z.object({ id: Uuid, answer: z.string(), answeredAt: z.string() }), '已回复'), ...errors(400, 401, 403, 404, 409) } });
const hideRoute = createRoute({ method: 'post', path: '/questions/{id}/hide', tags, security: bearer, summary: '隐藏提问（需写明原因）',
  request: { params: IdParam, ...body(HideBody) },
  responses: { 200: json(z.object({ id: Uuid, hidden: z.boolean(), hiddenReason: z.string() }), '已隐藏'), ...errors(400, 401, 403, 404) } });

const settings = (b: z.infer<typeof UpdateNoticeBody>) => ({
  p_content: b.content, p_audience_grid_ids: b.audienceGridIds, p_pinned: b.pinned, p_important: b.important,
  p_publish_at: b.publishAt, p_expires_at: b.expiresAt, p_finance_period: b.financePeriod,
});

export function noticeRoutes() {
  const r = createRouter();

  r.openapi(listRoute, async (c) => {
    const caller = await requireUser(c);
    const q = c.req.valid('query');
    const notices = await c.var.db.rpc<z.infer<typeof NoticeList>['notices']>('list_notices', {
      p_community_id: q.communityId, p_category: q.category ?? null, p_before: q.before ?? null, p_include_expired: q.includeExpired === 'true',
    }, caller);
    return c.json({ notices }, 200);
  });

  r.openapi(homeRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<z.infer<typeof NoticeHome>>('get_notice_home', { p_community_id: c.req.valid('query').communityId }, caller), 200);
  });

  r.openapi(workRoute, async (c) => {
    const caller = await requireUser(c);
    const items = await c.var.db.rpc<z.infer<typeof NoticeWork>['items']>('list_notice_work', { p_community_id: c.req.valid('query').communityId }, caller);
    return c.json({ items }, 200);
  });

  r.openapi(subscribeRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<{ topic: string; credits: number }>('subscribe_notices', { p_community_id: c.req.valid('json').communityId }, caller), 201);
  });

  r.openapi(subscriptionConfigRoute, async (c) => {
    await requireUser(c);
    return c.json({ templateId: c.var.outbox.templates.notice ?? null }, 200);
  });

  r.openapi(createNoticeRoute, async (c) => {
    const caller = await requireUser(c);
    const b = c.req.valid('json');
    const notice = await c.var.db.rpc<Notice>('create_notice', { p_community_id: b.communityId, p_category: b.category, ...settings(b) }, caller);
    return c.json(notice, 201);
  });

  r.openapi(getRoute, async (c) => {
    const caller = await requireUser(c);
    const { id } = c.req.valid('param');
    return c.json(await c.var.db.rpc<Notice>('get_notice', { p_notice_id: id, p_version: c.req.valid('query').version ?? null }, caller), 200);
  });

  r.openapi(updateRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<Notice>('update_notice_draft', { p_notice_id: c.req.valid('param').id, ...settings(c.req.valid('json')) }, caller), 200);
  });

  r.openapi(submitRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<Notice>('submit_notice', { p_notice_id: c.req.valid('param').id }, caller), 200);
  });

  r.openapi(reviewRoute, async (c) => {
    const caller = await requireUser(c);
    const b = c.req.valid('json');
    return c.json(await c.var.db.rpc<Notice>('review_notice', { p_notice_id: c.req.valid('param').id, p_approve: b.approve, p_comment: b.comment ?? null }, caller), 200);
  });

  r.openapi(correctRoute, async (c) => {
    const caller = await requireUser(c);
    const b = c.req.valid('json');
    return c.json(await c.var.db.rpc<Notice>('correct_notice', { p_notice_id: c.req.valid('param').id, p_content: b.content, p_correction_note: b.correctionNote }, caller), 201);
  });

  r.openapi(pinRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<{ id: string; pinned: boolean }>('set_notice_pinned', { p_notice_id: c.req.valid('param').id, p_pinned: c.req.valid('json').pinned }, caller), 200);
  });

  r.openapi(readRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<{ noticeId: string; firstRead: boolean }>('record_notice_read', { p_notice_id: c.req.valid('param').id }, caller), 200);
  });

  r.openapi(statsRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<z.infer<typeof ReadStats>>('get_notice_read_stats', { p_notice_id: c.req.valid('param').id }, caller), 200);
  });

  // The question is stored invisible, checked, then released (or rejected): unchecked text is never shown.
  r.openapi(askRoute, async (c) => {
    const caller = await requireUser(c);
    const { body: text } = c.req.valid('json');
    const q = await c.var.db.rpc<{ id: string }>('ask_notice_question', { p_notice_id: c.req.valid('param').id, p_body: text }, caller);
    return c.json(await checkAndSettle(c.var, caller, text, { fn: 'settle_question_check', idArg: 'p_question_id', id: q.id }), 201);
  });

  r.openapi(answerRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<{ id: string; answer: string; answeredAt: string }>('answer_notice_question', {
      p_question_id: c.req.valid('param').id, p_answer: c.req.valid('json').answer }, caller), 200);
  });

  r.openapi(hideRoute, async (c) => {
    const caller = await requireUser(c);
    return c.json(await c.var.db.rpc<{ id: string; hidden: boolean; hiddenReason: string }>('hide_notice_question', {
      p_question_id: c.req.valid('param').id, p_reason: c.req.valid('json').reason }, caller), 200);
  });

  return r;
}
