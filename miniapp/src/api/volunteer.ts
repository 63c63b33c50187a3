import type { Activity, ActivitySummary, CreateActivityBody, VolunteerProfile, VolunteerRecord, WhistleCall } from '@contracts/volunteer';
import type { MyPoints, Publication, Rankings } from '@contracts/points';
import { newIdempotencyKey, request } from './client';

export const volunteerApi = {
  profile: (communityId: string) => request<VolunteerProfile>('GET', '/volunteer/profile', { query: { communityId } }),
  register: (body: { communityId: string; skills: string[]; availability: string; showName: boolean }) => request<VolunteerProfile>('PUT', '/volunteer/profile', { body }),
  joinTeam: (teamId: string) => request<{ status: string }>('POST', `/volunteer/teams/${teamId}/join`),
  decideJoin: (teamId: string, profileId: string, approve: boolean, reason?: string) =>
    request<{ status: string }>('POST', `/volunteer/teams/${teamId}/members/${profileId}/decision`, { body: { approve, reason } }),
  activities: (communityId: string, scope: 'upcoming' | 'past' | 'mine' | 'organizing' = 'upcoming') =>
    request<{ activities: ActivitySummary[] }>('GET', '/volunteer/activities', { query: { communityId, scope } }),
  activity: (id: string) => request<Activity>('GET', `/volunteer/activities/${id}`),
  create: (body: CreateActivityBody) => request<Activity>('POST', '/volunteer/activities', { body }),
  signUp: (id: string, key = newIdempotencyKey()) =>
    request<{ signupId: string; status: 'confirmed' | 'waitlisted'; waitlistPosition: number | null }>('POST', `/volunteer/activities/${id}/signups`, { idempotencyKey: key }),
  cancel: (id: string) => request<{ promotedSomeone: boolean }>('POST', `/volunteer/activities/${id}/signups/cancel`),
  checkinCode: (id: string) => request<{ code: string; qr: string; expiresAt: string; windowSeconds: number }>('GET', `/volunteer/activities/${id}/checkin-code`),
  checkin: (id: string, code: string, direction: 'in' | 'out') =>
    request<{ checkedInAt: string | null; checkedOutAt: string | null }>('POST', `/volunteer/activities/${id}/checkins`, { body: { code, direction } }),
  confirm: (id: string) => request<Activity>('POST', `/volunteer/activities/${id}/confirm`),
  correct: (signupId: string, minutes: number, reason: string) => request<Activity>('POST', `/volunteer/signups/${signupId}/correction`, { body: { minutes, reason } }),
  record: (communityId: string) => request<VolunteerRecord>('GET', '/volunteer/record', { query: { communityId } }),
  whistles: (communityId: string) => request<{ calls: WhistleCall[] }>('GET', '/volunteer/whistles', { query: { communityId } }),
  blow: (body: { communityId: string; title: string; detail: string; place: string; gridId: string | null; hours: number }) =>
    request<{ id: string }>('POST', '/volunteer/whistles', { body }),
  respond: (id: string, etaMinutes: number | null) => request<{ responded: boolean }>('POST', `/volunteer/whistles/${id}/respond`, { body: { etaMinutes } }),
};

export const pointsApi = {
  me: (communityId?: string) => request<MyPoints>('GET', '/points/me', { query: { communityId } }),
  publications: (communityId: string) =>
    request<{ publications: { id: string; month: string; publishedAt: string; windowClosesAt: string; open: boolean }[] }>('GET', '/points/publications', { query: { communityId } }),
  publication: (communityId: string, month: string) => request<Publication>('GET', `/points/publications/${month}`, { query: { communityId } }),
  publish: (communityId: string, month: string) => request<Publication>('POST', '/points/publications', { body: { communityId, month } }),
  object: (entryId: number, reason: string) => request<{ id: string }>('POST', '/points/objections', { body: { entryId, reason } }),
  resolve: (objectionId: string, uphold: boolean, resolution: string) =>
    request<{ status: string }>('POST', `/points/objections/${objectionId}/resolution`, { body: { uphold, resolution } }),
  rankings: (communityId: string, month: string) => request<Rankings>('GET', '/points/rankings', { query: { communityId, month } }),
};

export type { Activity, ActivitySummary, VolunteerProfile, VolunteerRecord, WhistleCall, MyPoints, Publication, Rankings };
