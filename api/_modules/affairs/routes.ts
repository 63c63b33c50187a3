import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, json, errors, requireUser, bearer } from '../../_lib/router.js';
import { idempotencyKey } from '../../_lib/idempotency.js';
import { checkAndSettle } from '../../_lib/content-check.js';
import { CommunityQuery, IdParam, Uuid } from '../../_contracts/common.js';
import { MeetingBody, MeetingResult, Poll, PollBody, PollSummary, Publication, RaiseTopicBody, Topic, TopicSummary, VoteBody } from '../../_contracts/affairs.js';

const body = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const tags = ['affairs'];
const Text = (min: number, msg: string) => z.string().trim().min(min, { error: msg }).max(5000);

const routes = {
  topics: createRoute({ method: 'get', path: '/topics', tags, security: bearer, summary: '议题', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ topics: z.array(TopicSummary) }), '议题'), ...errors(400, 401) } }),
  raise: createRoute({ method: 'post', path: '/topics', tags, security: bearer, summary: '提出议题', request: body(RaiseTopicBody),
    responses: { 201: json(Topic, '已提出'), ...errors(400, 401, 403) } }),
  topic: createRoute({ method: 'get', path: '/topics/{id}', tags, security: bearer, summary: '议题全过程', request: { params: IdParam },
    responses: { 200: json(Topic, '议题'), ...errors(400, 401, 404) } }),
  cosign: createRoute({ method: 'post', path: '/topics/{id}/cosign', tags, security: bearer, summary: '联名', request: { params: IdParam },
    responses: { 200: json(Topic, '已联名'), ...errors(400, 401, 403, 404, 409) } }),
  takeUp: createRoute({ method: 'post', path: '/topics/{id}/take-up', tags, security: bearer, summary: '列入议事程序（两委）',
    request: { params: IdParam, ...body(z.object({ templateId: Uuid })) }, responses: { 200: json(Topic, '已列入'), ...errors(400, 401, 403, 404, 409) } }),
  answer: createRoute({ method: 'post', path: '/topics/{id}/answer', tags, security: bearer, summary: '不列入议事并公开说明理由（两委）',
    request: { params: IdParam, ...body(z.object({ answer: Text(10, '请写明理由（至少 10 个字）') })) }, responses: { 200: json(Topic, '已答复'), ...errors(400, 401, 403, 404, 409) } }),
  meeting: createRoute({ method: 'post', path: '/topics/{id}/meetings', tags, security: bearer, summary: '记录会议：到会与表决（超过三分之二到会才有效）',
    request: { params: IdParam, ...body(MeetingBody) }, responses: { 201: json(MeetingResult, '已记录'), ...errors(400, 401, 403, 404, 409) } }),
  step: createRoute({ method: 'post', path: '/topics/{id}/steps', tags, security: bearer, summary: '完成当前步骤（附纪要）',
    request: { params: IdParam, ...body(z.object({ minutes: z.string().max(5000).default('') })) }, responses: { 200: json(Topic, '已完成'), ...errors(400, 401, 403, 404, 409) } }),
  sendBack: createRoute({ method: 'post', path: '/topics/{id}/send-back', tags, security: bearer, summary: '退回到之前的步骤（写明理由）',
    request: { params: IdParam, ...body(z.object({ toStep: z.number().int().min(1), reason: Text(2, '请写明退回理由') })) }, responses: { 200: json(Topic, '已退回'), ...errors(400, 401, 403, 404, 409) } }),
  result: createRoute({ method: 'post', path: '/topics/{id}/publications', tags, security: bearer, summary: '实施结果公开，或更正一条公示（新记录）',
    request: { params: IdParam, ...body(z.object({ body: Text(4, '请填写公开内容'), corrects: Uuid.optional() })) }, responses: { 201: json(Publication, '已公开'), ...errors(400, 401, 403, 404, 409) } }),
  comment: createRoute({ method: 'post', path: '/topics/{id}/comments', tags, security: bearer, summary: '评论（经内容审核后显示）',
    request: { params: IdParam, ...body(z.object({ body: z.string().trim().min(2, { error: '至少 2 个字' }).max(500, { error: '最多 500 字' }) })) },
    responses: { 201: json(z.object({ id: Uuid, checkStatus: z.string() }), '已发表'), ...errors(400, 401, 403, 404) } }),
  hideComment: createRoute({ method: 'post', path: '/comments/{id}/hide', tags, security: bearer, summary: '隐藏评论（写明原因）',
    request: { params: IdParam, ...body(z.object({ reason: Text(2, '请写明原因') })) }, responses: { 200: json(z.object({ id: Uuid, hidden: z.boolean() }), '已隐藏'), ...errors(400, 401, 403) } }),
  publications: createRoute({ method: 'get', path: '/publications', tags, security: bearer, summary: '已公示的决议和实施结果', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ publications: z.array(Publication) }), '公示'), ...errors(400, 401) } }),
  procedures: createRoute({ method: 'get', path: '/procedures', tags, security: bearer, summary: '议事程序', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ procedures: z.array(z.object({ id: Uuid, name: z.string(), steps: z.array(z.record(z.string(), z.unknown())) })) }), '程序'), ...errors(400, 401) } }),
  roster: createRoute({ method: 'get', path: '/rosters/{tag}', tags, security: bearer, summary: '会议名册（两委、监督委员会）',
    request: { params: z.object({ tag: z.enum(['representative', 'party_member']) }), query: CommunityQuery },
    responses: { 200: json(z.object({ people: z.array(z.object({ id: Uuid, name: z.string() })) }), '名册'), ...errors(400, 401, 403) } }),
  polls: createRoute({ method: 'get', path: '/polls', tags, security: bearer, summary: '投票与调查', request: { query: CommunityQuery },
    responses: { 200: json(z.object({ polls: z.array(PollSummary) }), '投票'), ...errors(400, 401) } }),
  createPoll: createRoute({ method: 'post', path: '/polls', tags, security: bearer, summary: '发起投票或调查（两委）', request: body(PollBody),
    responses: { 201: json(Poll, '已发起'), ...errors(400, 401, 403) } }),
  poll: createRoute({ method: 'get', path: '/polls/{id}', tags, security: bearer, summary: '投票详情（结果仅在允许时返回）', request: { params: IdParam },
    responses: { 200: json(Poll, '投票'), ...errors(400, 401, 404) } }),
  vote: createRoute({ method: 'post', path: '/polls/{id}/votes', tags, security: bearer, summary: '投票（无记名；每人或每户一票）',
    request: { params: IdParam, headers: z.object({ 'idempotency-key': z.string().optional() }), ...body(VoteBody) },
    responses: { 201: json(z.object({ pollId: Uuid, voted: z.boolean() }), '已投票'), ...errors(400, 401, 403, 404, 409) } }),
};

export function affairsRoutes() {
  const r = createRouter();
  const rpc = async <T>(c: Parameters<typeof requireUser>[0], fn: string, args: Record<string, unknown>) =>
    c.var.db.rpc<T>(fn, args, await requireUser(c));

  r.openapi(routes.topics, async (c) => c.json({ topics: await rpc<TopicSummary[]>(c, 'list_topics', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.raise, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Topic>(c, 'raise_topic', { p_community_id: b.communityId, p_title: b.title, p_description: b.description }), 201);
  });
  r.openapi(routes.topic, async (c) => c.json(await rpc<Topic>(c, 'get_topic', { p_topic_id: c.req.valid('param').id }), 200));
  r.openapi(routes.cosign, async (c) => c.json(await rpc<Topic>(c, 'cosign_topic', { p_topic_id: c.req.valid('param').id }), 200));
  r.openapi(routes.takeUp, async (c) => c.json(await rpc<Topic>(c, 'take_up_topic', { p_topic_id: c.req.valid('param').id, p_template_id: c.req.valid('json').templateId }), 200));
  r.openapi(routes.answer, async (c) => c.json(await rpc<Topic>(c, 'answer_topic', { p_topic_id: c.req.valid('param').id, p_answer: c.req.valid('json').answer }), 200));
  r.openapi(routes.meeting, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<z.infer<typeof MeetingResult>>(c, 'record_meeting', { p_topic_id: c.req.valid('param').id, p_motion: b.motion,
      p_attendee_ids: b.attendeeIds, p_yes: b.yes, p_no: b.no, p_abstain: b.abstain }), 201);
  });
  r.openapi(routes.step, async (c) => c.json(await rpc<Topic>(c, 'run_topic_step', { p_topic_id: c.req.valid('param').id, p_minutes: c.req.valid('json').minutes }), 200));
  r.openapi(routes.sendBack, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Topic>(c, 'send_topic_back', { p_topic_id: c.req.valid('param').id, p_to_step: b.toStep, p_reason: b.reason }), 200);
  });
  r.openapi(routes.result, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Publication>(c, 'publish_topic_result', { p_topic_id: c.req.valid('param').id, p_body: b.body, p_corrects: b.corrects ?? null }), 201);
  });
  r.openapi(routes.comment, async (c) => {
    const caller = await requireUser(c);
    const { body: text } = c.req.valid('json');
    const cm = await c.var.db.rpc<{ id: string }>('comment_on_topic', { p_topic_id: c.req.valid('param').id, p_body: text }, caller);
    return c.json(await checkAndSettle(c.var, caller, text, { fn: 'settle_comment_check', idArg: 'p_comment_id', id: cm.id }), 201);
  });
  r.openapi(routes.hideComment, async (c) => c.json(await rpc<{ id: string; hidden: boolean }>(c, 'hide_topic_comment', { p_comment_id: c.req.valid('param').id, p_reason: c.req.valid('json').reason }), 200));
  r.openapi(routes.publications, async (c) => c.json({ publications: await rpc<Publication[]>(c, 'list_affairs_publications', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.procedures, async (c) => c.json({ procedures: await rpc<{ id: string; name: string; steps: Record<string, unknown>[] }[]>(c, 'list_procedures', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.roster, async (c) => c.json({ people: await rpc<{ id: string; name: string }[]>(c, 'list_roster', { p_community_id: c.req.valid('query').communityId, p_tag: c.req.valid('param').tag }) }, 200));
  r.openapi(routes.polls, async (c) => c.json({ polls: await rpc<PollSummary[]>(c, 'list_polls', { p_community_id: c.req.valid('query').communityId }) }, 200));
  r.openapi(routes.createPoll, async (c) => {
    const b = c.req.valid('json');
    return c.json(await rpc<Poll>(c, 'create_poll', { p_community_id: b.communityId, p_title: b.title, p_description: b.description, p_options: b.options,
      p_multiple: b.multiple, p_electorate: b.electorate, p_live_results: b.liveResults, p_opens_at: b.opensAt, p_closes_at: b.closesAt }), 201);
  });
  r.openapi(routes.poll, async (c) => c.json(await rpc<Poll>(c, 'get_poll', { p_poll_id: c.req.valid('param').id }), 200));
  r.openapi(routes.vote, async (c) => {
    const key = idempotencyKey(c);
    return c.json(await rpc<{ pollId: string; voted: boolean }>(c, 'cast_vote', { p_poll_id: c.req.valid('param').id, p_choices: c.req.valid('json').choices, p_idempotency_key: key }), 201);
  });
  return r;
}
