import type {
  CreateReportBody,
  Department,
  GridHousehold,
  DepartmentCall,
  Dispute,
  DisputeSummary,
  GridDesk,
  GridFigures,
  PublicPlace,
  RecordVisitBody,
  Report,
  ReportCategory,
  ReportStepBody,
  ReportSummary,
  SimilarReport,
  UnvisitedHousehold,
  Visit,
  WorkLog,
} from '@contracts/grid';
import { newIdempotencyKey, request } from './client';
import type { PageOf } from '../lib/pageData';

export type QueueScope = 'grid' | 'community' | 'street';

export const gridApi = {
  categories: (communityId: string) => request<PageOf<ReportCategory>>('GET', '/grid/categories', { query: { communityId } }),
  places: (communityId: string, cursor?: string) => request<PageOf<PublicPlace>>('GET', '/grid/places', { query: { communityId, cursor, limit: 100 } }),
  similar: (communityId: string, category: string, where: { buildingId?: string; placeId?: string }) =>
    request<{ items: SimilarReport[] }>('GET', '/grid/reports/similar', { query: { communityId, category, ...where } }),
  create: (body: CreateReportBody, key = newIdempotencyKey()) => request<Report>('POST', '/grid/reports', { body, idempotencyKey: key }),
  mine: (cursor?: string) => request<PageOf<ReportSummary>>('GET', '/grid/reports/mine', { query: { cursor } }),
  queue: (communityId: string, scope: QueueScope, cursor?: string) =>
    request<PageOf<ReportSummary>>('GET', '/grid/reports/queue', { query: { communityId, scope, cursor } }),
  get: (id: string) => request<Report>('GET', `/grid/reports/${id}`),
  join: (id: string) => request<Report>('POST', `/grid/reports/${id}/join`),
  step: (id: string, body: ReportStepBody) => request<Report>('POST', `/grid/reports/${id}/steps`, { body }),
  departments: (communityId: string) => request<PageOf<Department>>('GET', '/grid/departments', { query: { communityId } }),
  myCalls: (cursor?: string) => request<PageOf<DepartmentCall>>('GET', '/grid/department-calls/mine', { query: { cursor } }),
  desk: (communityId: string) => request<GridDesk>('GET', '/grid/desk', { query: { communityId } }),
  subscribe: (communityId: string) => request<{ topic: string; credits: number }>('POST', '/grid/subscriptions', { body: { communityId } }),
  subscriptionConfig: () => request<{ templateId: string | null }>('GET', '/grid/subscription-config'),
  recordVisit: (body: RecordVisitBody) => request<Visit>('POST', '/grid/visits', { body }),
  visits: (communityId: string, cursor?: string) => request<PageOf<Visit>>('GET', '/grid/visits', { query: { communityId, cursor } }),
  followUpDone: (id: string) => request<{ id: string; followUpDoneAt: string | null }>('POST', `/grid/visits/${id}/follow-up-done`),
  unvisited: (communityId: string, cursor?: string) =>
    request<PageOf<UnvisitedHousehold>>('GET', '/grid/households/unvisited', { query: { communityId, cursor } }),
  households: (communityId: string, q?: string, cursor?: string) =>
    request<PageOf<GridHousehold>>('GET', '/grid/households', { query: { communityId, q: q || undefined, cursor } }),
  writeLog: (gridId: string, day: string, body: string) => request<WorkLog>('POST', '/grid/logs', { body: { gridId, day, body } }),
  logs: (communityId: string, cursor?: string) => request<PageOf<WorkLog>>('GET', '/grid/logs', { query: { communityId, cursor } }),
  openDispute: (body: { gridId: string; title: string; details: string; partyHouseholdIds: string[]; reportId?: string | null }) =>
    request<Dispute>('POST', '/grid/disputes', { body }),
  disputes: (communityId: string, cursor?: string) => request<PageOf<DisputeSummary>>('GET', '/grid/disputes', { query: { communityId, cursor } }),
  dispute: (id: string) => request<Dispute>('GET', `/grid/disputes/${id}`),
  mediate: (id: string, notes: string) => request<Dispute>('POST', `/grid/disputes/${id}/sessions`, { body: { notes } }),
  conclude: (id: string, body: { status: 'agreed' | 'referred' | 'closed'; agreement?: string | null; referredTo?: string | null }) =>
    request<Dispute>('POST', `/grid/disputes/${id}/conclude`, { body }),
  figures: (communityId: string, month: string, workerId?: string) => request<GridFigures>('GET', '/grid/figures', { query: { communityId, month, workerId } }),
  allFigures: (communityId: string, month: string, cursor?: string) =>
    request<PageOf<GridFigures>>('GET', '/grid/figures/all', { query: { communityId, month, cursor } }),
};

export type {
  GridHousehold,
  Department,
  DepartmentCall,
  Dispute,
  DisputeSummary,
  GridDesk,
  GridFigures,
  PublicPlace,
  Report,
  ReportCategory,
  ReportSummary,
  SimilarReport,
  UnvisitedHousehold,
  Visit,
  WorkLog,
};
