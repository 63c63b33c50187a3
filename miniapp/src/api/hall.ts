import type {
  Application,
  ItemSummary,
  MyApplication,
  MyAppointment,
  Notification,
  ProxyRequest,
  ServiceItem,
  Slot,
  Workbench,
  WorkTab,
  WorkCase,
  WorkAppointment,
  WorkProxyRequest,
  WorkRectification,
} from '@contracts/hall';
import type { PageOf } from '../lib/pageData';
import { newIdempotencyKey, request } from './client';

export const hallApi = {
  items: (communityId: string, q?: string, theme?: string, cursor?: string) =>
    request<PageOf<ItemSummary>>('GET', '/hall/items', { query: { communityId, q, theme, cursor } }),
  item: (id: string) => request<ServiceItem>('GET', `/hall/items/${id}`),
  apply: (body: { itemId: string; formData: Record<string, string>; proxyRequestId?: string }, key = newIdempotencyKey()) =>
    request<Application>('POST', '/hall/applications', { body, idempotencyKey: key }),
  mine: (cursor?: string) => request<PageOf<MyApplication>>('GET', '/hall/applications/mine', { query: { cursor } }),
  get: (id: string) => request<Application>('GET', `/hall/applications/${id}`),
  step: (id: string, to: string, note = '') => request<Application>('POST', `/hall/applications/${id}/steps`, { body: { to, note } }),
  resubmit: (id: string, formData: Record<string, string>, note?: string) =>
    request<Application>('POST', `/hall/applications/${id}/resubmit`, { body: { formData, note } }),
  rate: (id: string, rating: number, comment: string) => request<Application>('POST', `/hall/applications/${id}/rating`, { body: { rating, comment } }),
  workbench: (communityId: string) => request<Workbench>('GET', '/hall/workbench', { query: { communityId } }),
  work: (communityId: string, tab: WorkTab, cursor?: string) =>
    request<PageOf<WorkCase | WorkAppointment | WorkProxyRequest | WorkRectification>>('GET', `/hall/workbench/${tab}`, { query: { communityId, cursor } }),
  closeRectification: (id: string, note: string) => request<{ status: string }>('POST', `/hall/rectifications/${id}/close`, { body: { note } }),
  slots: (itemId: string, cursor?: string) => request<PageOf<Slot>>('GET', `/hall/items/${itemId}/slots`, { query: { cursor } }),
  book: (slotId: string, key = newIdempotencyKey()) =>
    request<{ id: string; startsAt?: string }>('POST', `/hall/slots/${slotId}/appointments`, { idempotencyKey: key }),
  myAppointments: (cursor?: string) => request<PageOf<MyAppointment>>('GET', '/hall/appointments/mine', { query: { cursor } }),
  cancelAppointment: (id: string) => request<{ status: string }>('POST', `/hall/appointments/${id}/cancel`),
  arrive: (id: string) => request<{ status: string }>('POST', `/hall/appointments/${id}/arrival`),
  requestProxy: (itemId: string, note: string) => request<{ id: string }>('POST', '/hall/proxy-requests', { body: { itemId, note } }),
  myProxy: (cursor?: string) => request<PageOf<ProxyRequest>>('GET', '/hall/proxy-requests/mine', { query: { cursor } }),
  assignProxy: (id: string, helperId: string) => request<{ status: string }>('POST', `/hall/proxy-requests/${id}/assign`, { body: { helperId } }),
  consentProxy: (id: string) => request<{ status: string }>('POST', `/hall/proxy-requests/${id}/consent`),
  helpers: (communityId: string, cursor?: string) =>
    request<PageOf<{ id: string; name: string; kind: string }>>('GET', '/hall/helpers', { query: { communityId, cursor, limit: 100 } }),
  subscribe: (communityId: string) => request<{ credits: number }>('POST', '/hall/subscriptions', { body: { communityId } }),
  subscriptionConfig: () => request<{ templateId: string | null }>('GET', '/hall/subscription-config'),
  notifications: (cursor?: string) => request<PageOf<Notification>>('GET', '/hall/notifications', { query: { cursor } }),
};

export type {
  Application,
  ItemSummary,
  MyApplication,
  MyAppointment,
  Notification,
  ProxyRequest,
  ServiceItem,
  Slot,
  Workbench,
  WorkTab,
  WorkCase,
  WorkAppointment,
  WorkProxyRequest,
  WorkRectification,
};
