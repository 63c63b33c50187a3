import type { Application, ItemSummary, MyApplication, MyAppointment, Notification, ProxyRequest, ServiceItem, Slot, Workbench } from '@contracts/hall';
import { newIdempotencyKey, request } from './client';

export const hallApi = {
  items: (communityId: string, q?: string, theme?: string) => request<{ items: ItemSummary[] }>('GET', '/hall/items', { query: { communityId, q, theme } }),
  item: (id: string) => request<ServiceItem>('GET', `/hall/items/${id}`),
  apply: (body: { itemId: string; formData: Record<string, string>; proxyRequestId?: string }, key = newIdempotencyKey()) =>
    request<Application>('POST', '/hall/applications', { body, idempotencyKey: key }),
  mine: () => request<{ applications: MyApplication[] }>('GET', '/hall/applications/mine'),
  get: (id: string) => request<Application>('GET', `/hall/applications/${id}`),
  step: (id: string, to: string, note = '') => request<Application>('POST', `/hall/applications/${id}/steps`, { body: { to, note } }),
  resubmit: (id: string, formData: Record<string, string>, note?: string) => request<Application>('POST', `/hall/applications/${id}/resubmit`, { body: { formData, note } }),
  rate: (id: string, rating: number, comment: string) => request<Application>('POST', `/hall/applications/${id}/rating`, { body: { rating, comment } }),
  workbench: (communityId: string) => request<Workbench>('GET', '/hall/workbench', { query: { communityId } }),
  closeRectification: (id: string, note: string) => request<{ status: string }>('POST', `/hall/rectifications/${id}/close`, { body: { note } }),
  slots: (itemId: string) => request<{ slots: Slot[] }>('GET', `/hall/items/${itemId}/slots`),
  book: (slotId: string, key = newIdempotencyKey()) => request<{ id: string; startsAt?: string }>('POST', `/hall/slots/${slotId}/appointments`, { idempotencyKey: key }),
  myAppointments: () => request<{ appointments: MyAppointment[] }>('GET', '/hall/appointments/mine'),
  cancelAppointment: (id: string) => request<{ status: string }>('POST', `/hall/appointments/${id}/cancel`),
  arrive: (id: string) => request<{ status: string }>('POST', `/hall/appointments/${id}/arrival`),
  requestProxy: (itemId: string, note: string) => request<{ id: string }>('POST', '/hall/proxy-requests', { body: { itemId, note } }),
  myProxy: () => request<{ requests: ProxyRequest[] }>('GET', '/hall/proxy-requests/mine'),
  assignProxy: (id: string, helperId: string) => request<{ status: string }>('POST', `/hall/proxy-requests/${id}/assign`, { body: { helperId } }),
  consentProxy: (id: string) => request<{ status: string }>('POST', `/hall/proxy-requests/${id}/consent`),
  helpers: (communityId: string) => request<{ helpers: { id: string; name: string; kind: string }[] }>('GET', '/hall/helpers', { query: { communityId } }),
  subscribe: (communityId: string) => request<{ credits: number }>('POST', '/hall/subscriptions', { body: { communityId } }),
  subscriptionConfig: () => request<{ templateId: string | null }>('GET', '/hall/subscription-config'),
  notifications: () => request<{ notifications: Notification[] }>('GET', '/hall/notifications'),
};

export type { Application, ItemSummary, MyApplication, MyAppointment, Notification, ProxyRequest, ServiceItem, Slot, Workbench };
