import type {
  AccessEntry,
  ChainExportPage,
  ChainKind,
  MyData,
  Obligations,
  PublicChainEntry,
  PublicChainPage,
  PublicRecordRef,
  RetentionPolicy,
} from '@contracts/trust';
import { request } from './client';
import type { PageOf } from '../lib/pageData';

/** The public record chain (no sign-in: auth false) and a person's own data. */
export const trustApi = {
  chain: (communityId: string, cursor?: string) =>
    request<PublicChainPage>('GET', `/public/chains/${communityId}`, { query: { cursor, limit: 20 }, auth: false }),
  entry: (communityId: string, seq: number) => request<PublicChainEntry>('GET', `/public/chains/${communityId}/entries/${seq}`, { auth: false }),
  record: (communityId: string, kind: ChainKind, recordId: string) =>
    request<PublicRecordRef>('GET', `/public/chains/${communityId}/records`, { query: { kind, recordId }, auth: false }),
  exportPage: (communityId: string, fromSeq: number) =>
    request<ChainExportPage>('GET', `/public/chains/${communityId}/export`, { query: { fromSeq, limit: 500 }, auth: false }),
  retention: () => request<RetentionPolicy>('GET', '/public/retention', { auth: false }),
  myData: () => request<MyData>('GET', '/me/data'),
  obligations: () => request<Obligations>('GET', '/me/obligations'),
  deleteAccount: (obligations: number) => request<{ deleted: true }>('POST', '/me/delete-account', { body: { confirm: true, obligations } }),
  myAccessLog: (cursor?: string) => request<PageOf<AccessEntry>>('GET', '/me/access-log', { query: { cursor } }),
  communityAccessLog: (communityId: string, cursor?: string) => request<PageOf<AccessEntry>>('GET', '/staff/access-log', { query: { communityId, cursor } }),
};

export type { AccessEntry, ChainExportPage, MyData, Obligations, PublicChainEntry, PublicChainPage, RetentionPolicy };
