import { z } from '@hono/zod-openapi';
import { Uuid } from './common.js';

export const RaiseTopicBody = z.object({
  communityId: Uuid,
  title: z.string().trim().min(4, { error: '标题至少 4 个字' }).max(60, { error: '标题最多 60 字' }),
  description: z.string().trim().min(10, { error: '请把情况说清楚（至少 10 个字）' }).max(3000),
});
const Step = z.object({ stepNo: z.number(), name: z.string(), runBy: z.string(), roster: z.string().nullable(), publishes: z.string().nullable() });
export const Publication = z
  .object({
    id: Uuid,
    topicId: Uuid,
    kind: z.enum(['decision', 'result']),
    title: z.string(),
    body: z.string(),
    contentSha256: z.string(),
    corrects: Uuid.nullable(),
    correctedBy: Uuid.nullable(),
    publishedAt: z.string(),
  })
  .openapi('AffairsPublication');
export type Publication = z.infer<typeof Publication>;
const Meeting = z.object({
  rosterSize: z.number(),
  present: z.number(),
  motion: z.string(),
  yes: z.number(),
  no: z.number(),
  abstain: z.number(),
  passed: z.boolean(),
  heldAt: z.string().optional(),
});
export const Topic = z
  .object({
    id: Uuid,
    title: z.string(),
    description: z.string(),
    status: z.enum(['collecting', 'answered', 'in_procedure', 'decided', 'rejected']),
    raisedBy: z.string().nullable(),
    createdAt: z.string(),
    cosigns: z.number(),
    threshold: z.number(),
    thresholdReachedAt: z.string().nullable(),
    cosignedByMe: z.boolean(),
    answer: z.string().nullable(),
    currentStep: z.number().nullable(),
    /** Content check of a new topic: neighbours see it once passed. */
    checkStatus: z.enum(['pending', 'passed', 'rejected']).optional(),
    procedure: z.object({ id: Uuid, name: z.string(), steps: z.array(Step) }).nullable(),
    history: z.array(
      z.object({
        stepNo: z.number(),
        name: z.string(),
        outcome: z.enum(['done', 'sent_back']),
        sentBackTo: z.number().nullable(),
        minutes: z.string(),
        runBy: z.string().nullable(),
        runAt: z.string(),
        meeting: Meeting.nullable(),
      }),
    ),
    pendingMeeting: Meeting.extend({ id: Uuid }).omit({ heldAt: true }).nullable(),
    publications: z.array(Publication),
    comments: z.array(
      z.object({
        id: Uuid,
        body: z.string(),
        author: z.string().nullable(),
        mine: z.boolean(),
        createdAt: z.string(),
        checkStatus: z.string(),
        hidden: z.boolean(),
        hiddenReason: z.string().nullable(),
      }),
    ),
    canManage: z.boolean(),
    canSupervise: z.boolean(),
  })
  .openapi('Topic');
export type Topic = z.infer<typeof Topic>;
export const TopicSummary = z.object({
  id: Uuid,
  title: z.string(),
  status: z.string(),
  createdAt: z.string(),
  cosigns: z.number(),
  threshold: z.number(),
  awaitingResponse: z.boolean(),
  cosignedByMe: z.boolean(),
  currentStepName: z.string().nullable(),
  checkStatus: z.enum(['pending', 'passed', 'rejected']),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

export const MeetingBody = z.object({
  motion: z.string().trim().min(4, { error: '请写明表决事项' }).max(300),
  attendeeIds: z.array(Uuid).max(2000),
  yes: z.number().int().min(0),
  no: z.number().int().min(0),
  abstain: z.number().int().min(0),
});
export const MeetingResult = Meeting.extend({ id: Uuid }).omit({ heldAt: true, motion: true }).openapi('MeetingResult');

export const PollBody = z.object({
  communityId: Uuid,
  title: z.string().trim().min(4, { error: '标题至少 4 个字' }).max(60),
  description: z.string().max(2000).default(''),
  options: z.array(z.string().trim().min(1).max(40)).min(2, { error: '至少 2 个选项' }).max(20),
  multiple: z.boolean().default(false),
  electorate: z.enum(['residents', 'households'], { error: '请选择每人一票或每户一票' }),
  liveResults: z.boolean().default(false),
  opensAt: z.iso.datetime({ offset: true }).nullable().default(null),
  closesAt: z.iso.datetime({ offset: true, error: '请填写截止时间' }),
});
export const Poll = z
  .object({
    id: Uuid,
    title: z.string(),
    description: z.string(),
    multiple: z.boolean(),
    options: z.array(z.object({ id: z.number(), label: z.string() })),
    electorate: z.enum(['residents', 'households']),
    liveResults: z.boolean(),
    opensAt: z.string(),
    closesAt: z.string(),
    open: z.boolean(),
    eligible: z.boolean(),
    voted: z.boolean(),
    turnout: z.number(),
    results: z.array(z.object({ id: z.number(), label: z.string(), votes: z.number() })).nullable(),
  })
  .openapi('Poll');
export type Poll = z.infer<typeof Poll>;
export const PollSummary = z.object({ id: Uuid, title: z.string(), closesAt: z.string(), open: z.boolean(), electorate: z.string(), voted: z.boolean() });
export type PollSummary = z.infer<typeof PollSummary>;
export const VoteBody = z.object({ choices: z.array(z.number().int().min(1)).min(1, { error: '请选择' }).max(20) });
