import type { Activity, ActivitySummary, CreateActivityBody, VolunteerProfile, VolunteerRecord, WhistleCall } from '@contracts/volunteer';
import type { MyPoints, Publication, Rankings } from '@contracts/points';
import { newIdempotencyKey, request } from './client';
import type { PageOf } from '../lib/pageData';

export const volunteerApi = {
  profile: (communityId: string) => request<VolunteerProfile>('GET', '/volunteer/profile', { query: { communityId } }),
  register: (body: { communityId: string; skills: string[]; availability: string; showName: boolean }) =>
    request<VolunteerProfile>('PUT', '/volunteer/profile', { body }),
  joinTeam: (teamId: string) => request<{ status: string }>('POST', `/volunteer/teams/${teamId}/join`),
  decideJoin: (teamId: string, profileId: string, approve: boolean, reason?: string) =>
    request<{ status: string }>('POST', `/volunteer/teams/${teamId}/members/${profileId}/decision`, { body: { approve, reason } }),
  activities: (communityId: string, scope: 'upcoming' | 'past' | 'mine' | 'organizing' = 'upcoming', cursor?: string, limit?: number) =>
    request<PageOf<ActivitySummary>>('GET', '/volunteer/activities', { query: { communityId, scope, cursor, limit } }),
  activity: (id: string) => request<Activity>('GET', `/volunteer/activities/${id}`),
  create: (body: CreateActivityBody) => request<Activity>('POST', '/volunteer/activities', { body }),
  signUp: (id: string, key = newIdempotencyKey()) =>
    request<{ signupId: string; status: 'confirmed' | 'waitlisted'; waitlistPosition: number | null }>('POST', `/volunteer/activities/${id}/signups`, {
      idempotencyKey: key,
    }),
  cancel: (id: string) => request<{ promotedSomeone: boolean }>('POST', `/volunteer/activities/${id}/signups/cancel`),
  checkinCode: (id: string) =>
    request<{ code: string; qr: string; expiresAt: string; windowSeconds: number }>('GET', `/volunteer/activities/${id}/checkin-code`),
  checkin: (id: string, code: string, direction: 'in' | 'out') =>
    request<{ checkedInAt: string | null; checkedOutAt: string | null }>('POST', `/volunteer/activities/${id}/checkins`, { body: { code, direction } }),
  confirm: (id: string) => request<Activity>('POST', `/volunteer/activities/${id}/confirm`),
  correct: (signupId: string, minutes: number, reason: string) =>
    request<Activity>('POST', `/volunteer/signups/${signupId}/correction`, { body: { minutes, reason } }),
  record: (communityId: string, cursor?: string) => request<VolunteerRecord>('GET', '/volunteer/record', { query: { communityId, cursor } }),
  whistles: (communityId: string, cursor?: string) => request<PageOf<WhistleCall>>('GET', '/volunteer/whistles', { query: { communityId, cursor } }),
  blow: (body: { communityId: string; title: string; detail: string; place: string; gridId: string | null; hours: number }) =>
    request<{ id: string }>('POST', '/volunteer/whistles', { body }),
  respond: (id: string, etaMinutes: number | null) => request<{ responded: boolean }>('POST', `/volunteer/whistles/${id}/respond`, { body: { etaMinutes } }),
};

export const pointsApi = {
  me: (communityId?: string, cursor?: string) => request<MyPoints>('GET', '/points/me', { query: { communityId, cursor } }),
  publications: (communityId: string, cursor?: string) =>
    request<PageOf<{ id: string; month: string; publishedAt: string; windowClosesAt: string; open: boolean }>>('GET', '/points/publications', {
      query: { communityId, cursor },
    }),
  publication: (communityId: string, month: string, cursor?: string) =>
    request<Publication>('GET', `/points/publications/${month}`, { query: { communityId, cursor } }),
  publish: (communityId: string, month: string) => request<Publication>('POST', '/points/publications', { body: { communityId, month } }),
  object: (entryId: number, reason: string) => request<{ id: string }>('POST', '/points/objections', { body: { entryId, reason } }),
  resolve: (objectionId: string, uphold: boolean, resolution: string) =>
    request<{ status: string }>('POST', `/points/objections/${objectionId}/resolution`, { body: { uphold, resolution } }),
  rankings: (communityId: string, month: string) => request<Rankings>('GET', '/points/rankings', { query: { communityId, month } }),
};

export type { Activity, ActivitySummary, VolunteerProfile, VolunteerRecord, WhistleCall, MyPoints, Publication, Rankings };
