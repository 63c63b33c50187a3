import type { Notice, NoticeSummary, NoticeHome, NoticeWorkItem, ReadStats, CreateNoticeBody, UpdateNoticeBody, NoticeCategory } from '@contracts/notices';
import { request } from './client';
import type { PageOf } from '../lib/pageData';

export const noticesApi = {
  home: (communityId: string) => request<NoticeHome>('GET', '/notices/home', { query: { communityId } }),
  list: (communityId: string, category?: string, cursor?: string) =>
    request<PageOf<NoticeSummary>>('GET', '/notices', { query: { communityId, category, cursor } }),
  get: (id: string, version?: number) => request<Notice>('GET', `/notices/${id}`, { query: { version } }),
  read: (id: string) => request<{ noticeId: string; firstRead: boolean }>('POST', `/notices/${id}/read`),
  work: (communityId: string, cursor?: string) => request<PageOf<NoticeWorkItem>>('GET', '/notices/work', { query: { communityId, cursor } }),
  create: (body: CreateNoticeBody) => request<Notice>('POST', '/notices', { body }),
  update: (id: string, body: UpdateNoticeBody) => request<Notice>('PUT', `/notices/${id}/draft`, { body }),
  submit: (id: string) => request<Notice>('POST', `/notices/${id}/submit`),
  review: (id: string, approve: boolean, comment?: string) => request<Notice>('POST', `/notices/${id}/review`, { body: { approve, comment } }),
  correct: (id: string, content: UpdateNoticeBody['content'], correctionNote: string) =>
    request<Notice>('POST', `/notices/${id}/corrections`, { body: { content, correctionNote } }),
  pin: (id: string, pinned: boolean) => request<{ id: string; pinned: boolean }>('POST', `/notices/${id}/pin`, { body: { pinned } }),
  stats: (id: string, cursor?: string) => request<ReadStats>('GET', `/notices/${id}/read-stats`, { query: { cursor } }),
  ask: (id: string, body: string) => request<{ id: string; checkStatus: string }>('POST', `/notices/${id}/questions`, { body: { body } }),
  answer: (questionId: string, answer: string) => request<{ id: string }>('POST', `/notices/questions/${questionId}/answer`, { body: { answer } }),
  hide: (questionId: string, reason: string) => request<{ id: string }>('POST', `/notices/questions/${questionId}/hide`, { body: { reason } }),
  subscribe: (communityId: string) => request<{ credits: number }>('POST', '/notices/subscriptions', { body: { communityId } }),
  subscriptionConfig: () => request<{ templateId: string | null }>('GET', '/notices/subscription-config'),
};

export type { Notice, NoticeSummary, NoticeHome, NoticeWorkItem, ReadStats, NoticeCategory };
