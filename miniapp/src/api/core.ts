import type {
  AuthResponse, Me, CommunityOption, DevPersona, VerificationRequestBody, VerificationQueueItem,
} from '@contracts/core';
import { request } from './client';

export const coreApi = {
  wechatLogin: (code: string) => request<AuthResponse>('POST', '/auth/wechat', { body: { code }, auth: false }),
  devLogin: (persona: string) => request<AuthResponse>('POST', '/auth/dev', { body: { persona }, auth: false }),
  devPersonas: () => request<{ personas: DevPersona[] }>('GET', '/auth/dev/personas', { auth: false }),
  me: () => request<Me>('GET', '/me'),
  recordConsent: (purpose: 'privacy_policy' | 'phone_number' | 'public_name', version: string, granted: boolean) =>
    request<{ purpose: string; version: string; granted: boolean; at: string }>('POST', '/me/consents', { body: { purpose, version, granted } }),
  communities: () => request<{ communities: CommunityOption[] }>('GET', '/communities'),
  requestVerification: (body: VerificationRequestBody) => request<{ id: string; status: string }>('POST', '/me/verifications', { body }),
  withdrawVerification: (id: string) => request<{ id: string; status: string }>('POST', `/me/verifications/${id}/withdraw`),
  verificationQueue: (communityId: string, status = 'pending') =>
    request<{ requests: VerificationQueueItem[] }>('GET', '/staff/verifications', { query: { communityId, status } }),
  decideVerification: (id: string, approve: boolean, reason?: string) =>
    request<{ id: string; status: string }>('POST', `/staff/verifications/${id}/decision`, { body: { approve, reason } }),
};

export type { Me, CommunityOption, DevPersona, VerificationQueueItem };
