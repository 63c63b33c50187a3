import type {
  AuthResponse,
  Me,
  CommunityOption,
  CommunityDetail,
  BuildingOption,
  DevPersona,
  VerificationRequestBody,
  VerificationQueueItem,
} from '@contracts/core';
import { request } from './client';
import type { PageOf } from '../lib/pageData';

export const coreApi = {
  wechatLogin: (code: string) => request<AuthResponse>('POST', '/auth/wechat', { body: { code }, auth: false }),
  devLogin: (persona: string) => request<AuthResponse>('POST', '/auth/dev', { body: { persona }, auth: false }),
  devPersonas: () => request<{ personas: DevPersona[] }>('GET', '/auth/dev/personas', { auth: false }),
  me: () => request<Me>('GET', '/me'),
  recordConsent: (purpose: 'privacy_policy' | 'phone_number' | 'public_name', version: string, granted: boolean) =>
    request<{ purpose: string; version: string; granted: boolean; at: string }>('POST', '/me/consents', { body: { purpose, version, granted } }),
  communities: (cursor?: string, q?: string) => request<PageOf<CommunityOption>>('GET', '/communities', { query: { cursor, q, limit: 100 } }),
  community: (id: string) => request<CommunityDetail>('GET', `/communities/${id}`),
  buildings: (communityId: string, cursor?: string) =>
    request<PageOf<BuildingOption>>('GET', `/communities/${communityId}/buildings`, { query: { cursor, limit: 100 } }),
  requestVerification: (body: VerificationRequestBody) => request<{ id: string; status: string }>('POST', '/me/verifications', { body }),
  withdrawVerification: (id: string) => request<{ id: string; status: string }>('POST', `/me/verifications/${id}/withdraw`),
  verificationQueue: (communityId: string, status = 'pending', cursor?: string) =>
    request<PageOf<VerificationQueueItem>>('GET', '/staff/verifications', { query: { communityId, status, cursor } }),
  decideVerification: (id: string, approve: boolean, reason?: string) =>
    request<{ id: string; status: string }>('POST', `/staff/verifications/${id}/decision`, { body: { approve, reason } }),
};

export type { Me, CommunityOption, CommunityDetail, BuildingOption, DevPersona, VerificationQueueItem };
