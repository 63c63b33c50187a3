import { z } from '@hono/zod-openapi';
import { callDb, domainRouter } from '../../_lib/router.js';
import { checkAndSettle } from '../../_lib/content-check.js';
import { IdParam, CommunityPageQuery, CommunityQuery, PageQuery, Uuid } from '../../_contracts/common.js';
import {
  AnswerBody,
  CorrectNoticeBody,
  CreateNoticeBody,
  HideBody,
  ListQuery,
  Notice,
  NoticeHome,
  NoticeList,
  NoticeWork,
  PinBody,
  QuestionBody,
  ReadStats,
  ReviewNoticeBody,
  UpdateNoticeBody,
} from '../../_contracts/notices.js';

const settings = (b: z.infer<typeof UpdateNoticeBody>) => ({
  p_content: b.content,
  p_audience_grid_ids: b.audienceGridIds,
  p_pinned: b.pinned,
  p_important: b.important,
  p_publish_at: b.publishAt,
  p_expires_at: b.expiresAt,
  p_finance_period: b.financePeriod,
});

export function noticeRoutes() {
  const r = domainRouter('notices');

  r.rpc({
    method: 'get',
    path: '/',
    summary: '公告列表（可按类别筛选）',
    query: ListQuery,
    response: NoticeList,
    fn: 'list_notices',
    args: ({ query: q }) => ({
      p_community_id: q.communityId,
      p_category: q.category ?? null,
      p_include_expired: q.includeExpired === 'true',
      p_limit: q.limit,
      p_cursor: q.cursor ?? null,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/home',
    summary: '首页：未读应急通知、置顶、最新',
    query: CommunityQuery,
    response: NoticeHome,
    fn: 'get_notice_home',
    args: ({ query }) => ({ p_community_id: query.communityId }),
  });
  r.rpc({
    method: 'get',
    path: '/work',
    summary: '草稿、待审核和被退回的公告（两委、监督委员会）',
    query: CommunityPageQuery,
    response: NoticeWork,
    fn: 'list_notice_work',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/subscriptions',
    status: 201,
    summary: '订阅一次新公告提醒（用户在微信里同意后调用）',
    body: z.object({ communityId: Uuid }),
    response: z.object({ topic: z.string(), credits: z.number() }),
    errors: [403],
    fn: 'subscribe_notices',
    args: ({ body }) => ({ p_community_id: body.communityId }),
  });
  r.handle(
    { method: 'get', path: '/subscription-config', summary: '订阅消息模板', response: z.object({ templateId: z.string().nullable() }) },
    async ({ c }) => ({ templateId: c.get('outbox').templates.notice ?? null }),
  );
  r.rpc({
    method: 'post',
    path: '/',
    status: 201,
    summary: '新建公告草稿（两委成员）',
    body: CreateNoticeBody,
    response: Notice,
    errors: [403],
    fn: 'create_notice',
    args: ({ body: b }) => ({ p_community_id: b.communityId, p_category: b.category, ...settings(b) }),
  });
  r.rpc({
    method: 'get',
    path: '/{id}',
    summary: '公告详情（可指定历史版本）',
    params: IdParam,
    query: z.object({ version: z.coerce.number().int().min(1).max(100000).optional() }),
    response: Notice,
    errors: [404],
    fn: 'get_notice',
    args: ({ params, query }) => ({ p_notice_id: params.id, p_version: query.version ?? null }),
  });
  r.rpc({
    method: 'put',
    path: '/{id}/draft',
    summary: '修改草稿或被退回的版本',
    params: IdParam,
    body: UpdateNoticeBody,
    response: Notice,
    errors: [403, 404, 409],
    fn: 'update_notice_draft',
    args: ({ params, body }) => ({ p_notice_id: params.id, ...settings(body) }),
  });
  r.rpc({
    method: 'post',
    path: '/{id}/submit',
    summary: '提交：需审核的送监督委员会，其余直接发布',
    params: IdParam,
    response: Notice,
    errors: [403, 404, 409],
    fn: 'submit_notice',
    args: ({ params }) => ({ p_notice_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/{id}/review',
    summary: '监督委员会审核：通过（发布）或退回',
    params: IdParam,
    body: ReviewNoticeBody,
    response: Notice,
    errors: [403, 404, 409],
    fn: 'review_notice',
    args: ({ params, body }) => ({ p_notice_id: params.id, p_approve: body.approve, p_comment: body.comment ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/{id}/corrections',
    status: 201,
    summary: '更正已发布的公告（生成新版本）',
    params: IdParam,
    body: CorrectNoticeBody,
    response: Notice,
    errors: [403, 404, 409],
    fn: 'correct_notice',
    args: ({ params, body }) => ({ p_notice_id: params.id, p_content: body.content, p_correction_note: body.correctionNote }),
  });
  r.rpc({
    method: 'post',
    path: '/{id}/pin',
    summary: '置顶或取消置顶',
    params: IdParam,
    body: PinBody,
    response: z.object({ id: Uuid, pinned: z.boolean() }),
    errors: [403, 404],
    fn: 'set_notice_pinned',
    args: ({ params, body }) => ({ p_notice_id: params.id, p_pinned: body.pinned }),
  });
  r.rpc({
    method: 'post',
    path: '/{id}/read',
    summary: '记录已读（每人一次）',
    params: IdParam,
    response: z.object({ noticeId: Uuid, firstRead: z.boolean() }),
    errors: [404],
    fn: 'record_notice_read',
    args: ({ params }) => ({ p_notice_id: params.id }),
  });
  r.rpc({
    method: 'get',
    path: '/{id}/read-stats',
    summary: '阅读情况与未读户（两委、网格员；未读户分页）',
    params: IdParam,
    query: PageQuery,
    response: ReadStats,
    errors: [403, 404],
    fn: 'get_notice_read_stats',
    args: ({ params, query }) => ({ p_notice_id: params.id, p_limit: query.limit, p_cursor: query.cursor ?? null }),
  });

  // The question is stored invisible, checked, then released (or rejected): unchecked text is never shown.
  r.handle(
    {
      method: 'post',
      path: '/{id}/questions',
      status: 201,
      summary: '在公开事项下提问（经内容审核后显示）',
      params: IdParam,
      body: QuestionBody,
      response: z.object({ id: Uuid, checkStatus: z.string() }),
      errors: [403, 404, 409],
    },
    async ({ c, params, body }) => {
      const q = (await callDb(c, 'ask_notice_question', { p_notice_id: params.id, p_body: body.body })) as { id: string };
      return checkAndSettle(c, body.body, 'question', q.id);
    },
  );
  r.rpc({
    method: 'post',
    path: '/questions/{id}/answer',
    summary: '回复提问（两委成员）',
    params: IdParam,
    body: AnswerBody,
    response: z.object({ id: Uuid, answer: z.string(), answeredAt: z.string() }),
    errors: [403, 404, 409],
    fn: 'answer_notice_question',
    args: ({ params, body }) => ({ p_question_id: params.id, p_answer: body.answer }),
  });
  r.rpc({
    method: 'post',
    path: '/questions/{id}/hide',
    summary: '隐藏提问（需写明原因）',
    params: IdParam,
    body: HideBody,
    response: z.object({ id: Uuid, hidden: z.boolean(), hiddenReason: z.string() }),
    errors: [403, 404],
    fn: 'hide_notice_question',
    args: ({ params, body }) => ({ p_question_id: params.id, p_reason: body.reason }),
  });

  return r.router;
}
