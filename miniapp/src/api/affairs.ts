import type { Poll, PollSummary, Publication, Topic, TopicSummary } from '@contracts/affairs';
import { newIdempotencyKey, request } from './client';
import type { PageOf } from '../lib/pageData';

export const affairsApi = {
  topics: (communityId: string, cursor?: string) => request<PageOf<TopicSummary>>('GET', '/affairs/topics', { query: { communityId, cursor } }),
  raise: (communityId: string, title: string, description: string) => request<Topic>('POST', '/affairs/topics', { body: { communityId, title, description } }),
  topic: (id: string) => request<Topic>('GET', `/affairs/topics/${id}`),
  cosign: (id: string) => request<Topic>('POST', `/affairs/topics/${id}/cosign`),
  takeUp: (id: string, templateId: string) => request<Topic>('POST', `/affairs/topics/${id}/take-up`, { body: { templateId } }),
  answer: (id: string, answer: string) => request<Topic>('POST', `/affairs/topics/${id}/answer`, { body: { answer } }),
  meeting: (id: string, body: { motion: string; attendeeIds: string[]; yes: number; no: number; abstain: number }) =>
    request<{ passed: boolean; present: number; rosterSize: number }>('POST', `/affairs/topics/${id}/meetings`, { body }),
  step: (id: string, minutes: string) => request<Topic>('POST', `/affairs/topics/${id}/steps`, { body: { minutes } }),
  sendBack: (id: string, toStep: number, reason: string) => request<Topic>('POST', `/affairs/topics/${id}/send-back`, { body: { toStep, reason } }),
  publishResult: (id: string, body: string) => request<Publication>('POST', `/affairs/topics/${id}/publications`, { body: { body } }),
  comment: (id: string, body: string) => request<{ id: string }>('POST', `/affairs/topics/${id}/comments`, { body: { body } }),
  publications: (communityId: string, cursor?: string) => request<PageOf<Publication>>('GET', '/affairs/publications', { query: { communityId, cursor } }),
  procedures: (communityId: string) => request<{ procedures: { id: string; name: string }[] }>('GET', '/affairs/procedures', { query: { communityId } }),
  roster: (communityId: string, tag: string, cursor?: string) =>
    request<PageOf<{ id: string; name: string }>>('GET', `/affairs/rosters/${tag}`, { query: { communityId, cursor, limit: 100 } }),
  polls: (communityId: string, cursor?: string) => request<PageOf<PollSummary>>('GET', '/affairs/polls', { query: { communityId, cursor } }),
  poll: (id: string) => request<Poll>('GET', `/affairs/polls/${id}`),
  createPoll: (body: {
    communityId: string;
    title: string;
    description: string;
    options: string[];
    multiple: boolean;
    electorate: 'residents' | 'households';
    liveResults: boolean;
    closesAt: string;
  }) => request<Poll>('POST', '/affairs/polls', { body }),
  vote: (id: string, choices: number[], key = newIdempotencyKey()) =>
    request<{ voted: boolean }>('POST', `/affairs/polls/${id}/votes`, { body: { choices }, idempotencyKey: key }),
};

export type { Poll, PollSummary, Publication, Topic, TopicSummary };
