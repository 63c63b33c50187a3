import { z } from '@hono/zod-openapi';
import { callDb, domainRouter } from '../../_lib/router.js';
import { checkAndSettle } from '../../_lib/content-check.js';
import { CommunityPageQuery, CommunityQuery, IdParam, Page, Uuid } from '../../_contracts/common.js';
import {
  MeetingBody,
  MeetingResult,
  Poll,
  PollBody,
  PollSummary,
  Publication,
  RaiseTopicBody,
  Topic,
  TopicSummary,
  VoteBody,
} from '../../_contracts/affairs.js';

const Text = (min: number, msg: string) => z.string().trim().min(min, { error: msg }).max(5000);

export function affairsRoutes() {
  const r = domainRouter('affairs');

  r.rpc({
    method: 'get',
    path: '/topics',
    summary: '议题（等待两委答复的在前，然后最新的在前）',
    query: CommunityPageQuery,
    response: Page(TopicSummary),
    fn: 'list_topics',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  // Like comments: the topic is stored unseen by neighbours, checked, then shown (or kept back).
  r.handle(
    { method: 'post', path: '/topics', status: 201, summary: '提出议题（经内容审核后其他居民可见）', body: RaiseTopicBody, response: Topic, errors: [403] },
    async ({ c, body: b }) => {
      const t = (await callDb(c, 'raise_topic', { p_community_id: b.communityId, p_title: b.title, p_description: b.description })) as Topic;
      const settled = await checkAndSettle(c, `${b.title}\n${b.description}`, 'topic', t.id);
      return { ...t, checkStatus: settled.checkStatus as Topic['checkStatus'] };
    },
  );
  r.rpc({
    method: 'get',
    path: '/topics/{id}',
    summary: '议题全过程',
    params: IdParam,
    response: Topic,
    errors: [404],
    fn: 'get_topic',
    args: ({ params }) => ({ p_topic_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/cosign',
    summary: '联名',
    params: IdParam,
    response: Topic,
    errors: [403, 404, 409],
    fn: 'cosign_topic',
    args: ({ params }) => ({ p_topic_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/take-up',
    summary: '列入议事程序（两委）',
    params: IdParam,
    body: z.object({ templateId: Uuid }),
    response: Topic,
    errors: [403, 404, 409],
    fn: 'take_up_topic',
    args: ({ params, body }) => ({ p_topic_id: params.id, p_template_id: body.templateId }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/answer',
    summary: '不列入议事并公开说明理由（两委）',
    params: IdParam,
    body: z.object({ answer: Text(10, '请写明理由（至少 10 个字）') }),
    response: Topic,
    errors: [403, 404, 409],
    fn: 'answer_topic',
    args: ({ params, body }) => ({ p_topic_id: params.id, p_answer: body.answer }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/meetings',
    status: 201,
    summary: '记录会议：到会与表决（超过三分之二到会才有效）',
    params: IdParam,
    body: MeetingBody,
    response: MeetingResult,
    errors: [403, 404, 409],
    fn: 'record_meeting',
    args: ({ params, body: b }) => ({
      p_topic_id: params.id,
      p_motion: b.motion,
      p_attendee_ids: b.attendeeIds,
      p_yes: b.yes,
      p_no: b.no,
      p_abstain: b.abstain,
    }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/steps',
    summary: '完成当前步骤（附纪要）',
    params: IdParam,
    body: z.object({ minutes: z.string().max(5000).default('') }),
    response: Topic,
    errors: [403, 404, 409],
    fn: 'run_topic_step',
    args: ({ params, body }) => ({ p_topic_id: params.id, p_minutes: body.minutes }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/send-back',
    summary: '退回到之前的步骤（写明理由）',
    params: IdParam,
    body: z.object({ toStep: z.number().int().min(1).max(50), reason: Text(2, '请写明退回理由') }),
    response: Topic,
    errors: [403, 404, 409],
    fn: 'send_topic_back',
    args: ({ params, body }) => ({ p_topic_id: params.id, p_to_step: body.toStep, p_reason: body.reason }),
  });
  r.rpc({
    method: 'post',
    path: '/topics/{id}/publications',
    status: 201,
    summary: '实施结果公开，或更正一条公示（新记录）',
    params: IdParam,
    body: z.object({ body: Text(4, '请填写公开内容'), corrects: Uuid.optional() }),
    response: Publication,
    errors: [403, 404, 409],
    fn: 'publish_topic_result',
    args: ({ params, body }) => ({ p_topic_id: params.id, p_body: body.body, p_corrects: body.corrects ?? null }),
  });
  r.handle(
    {
      method: 'post',
      path: '/topics/{id}/comments',
      status: 201,
      summary: '评论（经内容审核后显示）',
      params: IdParam,
      body: z.object({ body: z.string().trim().min(2, { error: '至少 2 个字' }).max(500, { error: '最多 500 字' }) }),
      response: z.object({ id: Uuid, checkStatus: z.string() }),
      errors: [403, 404],
    },
    async ({ c, params, body }) => {
      const cm = (await callDb(c, 'comment_on_topic', { p_topic_id: params.id, p_body: body.body })) as { id: string };
      return checkAndSettle(c, body.body, 'comment', cm.id);
    },
  );
  r.rpc({
    method: 'post',
    path: '/comments/{id}/hide',
    summary: '隐藏评论（写明原因）',
    params: IdParam,
    body: z.object({ reason: Text(2, '请写明原因') }),
    response: z.object({ id: Uuid, hidden: z.boolean() }),
    errors: [403, 404],
    fn: 'hide_topic_comment',
    args: ({ params, body }) => ({ p_comment_id: params.id, p_reason: body.reason }),
  });
  r.rpc({
    method: 'get',
    path: '/publications',
    summary: '已公示的决议和实施结果',
    query: CommunityPageQuery,
    response: Page(Publication),
    fn: 'list_affairs_publications',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/procedures',
    summary: '议事程序',
    query: CommunityQuery,
    response: z.object({ procedures: z.array(z.object({ id: Uuid, name: z.string(), steps: z.array(z.record(z.string(), z.unknown())) })) }),
    fn: 'list_procedures',
    args: ({ query }) => ({ p_community_id: query.communityId }),
    map: (procedures) => ({ procedures }),
  });
  r.rpc({
    method: 'get',
    path: '/rosters/{tag}',
    summary: '会议名册（两委、监督委员会）',
    params: z.object({ tag: z.enum(['representative', 'party_member']) }),
    query: CommunityPageQuery,
    response: Page(z.object({ id: Uuid, name: z.string() })),
    errors: [403],
    fn: 'list_roster',
    args: ({ params, query: q }) => ({ p_community_id: q.communityId, p_tag: params.tag, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'get',
    path: '/polls',
    summary: '投票与调查（最晚截止的在前）',
    query: CommunityPageQuery,
    response: Page(PollSummary),
    fn: 'list_polls',
    args: ({ query: q }) => ({ p_community_id: q.communityId, p_limit: q.limit, p_cursor: q.cursor ?? null }),
  });
  r.rpc({
    method: 'post',
    path: '/polls',
    status: 201,
    summary: '发起投票或调查（两委）',
    body: PollBody,
    response: Poll,
    errors: [403],
    fn: 'create_poll',
    args: ({ body: b }) => ({
      p_community_id: b.communityId,
      p_title: b.title,
      p_description: b.description,
      p_options: b.options,
      p_multiple: b.multiple,
      p_electorate: b.electorate,
      p_live_results: b.liveResults,
      p_opens_at: b.opensAt,
      p_closes_at: b.closesAt,
    }),
  });
  r.rpc({
    method: 'get',
    path: '/polls/{id}',
    summary: '投票详情（结果仅在允许时返回）',
    params: IdParam,
    response: Poll,
    errors: [404],
    fn: 'get_poll',
    args: ({ params }) => ({ p_poll_id: params.id }),
  });
  r.rpc({
    method: 'post',
    path: '/polls/{id}/votes',
    status: 201,
    idempotent: true,
    summary: '投票（无记名；每人或每户一票）',
    params: IdParam,
    body: VoteBody,
    response: z.object({ pollId: Uuid, voted: z.boolean() }),
    errors: [403, 404, 409],
    fn: 'cast_vote',
    args: ({ params, body, key }) => ({ p_poll_id: params.id, p_choices: body.choices, p_idempotency_key: key }),
  });

  return r.router;
}
