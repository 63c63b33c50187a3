import type { CreatedUpload, FilePurpose, StoredFile } from '@contracts/files';
import { newIdempotencyKey, request, uploadFormFile } from './client';
import type { PageOf } from '../lib/pageData';

export const filesApi = {
  create: (body: { communityId: string; kind: 'photo' | 'document'; purpose: FilePurpose; name: string; size: number }, key: string) =>
    request<CreatedUpload>('POST', '/files', { body, idempotencyKey: key }),
  complete: (id: string) => request<StoredFile>('POST', `/files/${id}/complete`),
  attach: (entity: FilePurpose, entityId: string, fileIds: string[]) =>
    request<{ attached: number }>('POST', '/files/attach', { body: { entity, entityId, fileIds } }),
  list: (entity: FilePurpose, entityId: string) => request<PageOf<StoredFile>>('GET', '/files', { query: { entity, entityId } }),
  remove: (id: string) => request<{ id: string }>('DELETE', `/files/${id}`),
};

/** One chosen file from the phone, uploaded end to end; the same key makes a retry continue the same upload. */
export async function uploadChosen(opts: {
  communityId: string;
  kind: 'photo' | 'document';
  purpose: FilePurpose;
  name: string;
  size: number;
  path: string;
  key?: string;
  onProgress?: (p: number) => void;
}): Promise<StoredFile> {
  const key = opts.key ?? newIdempotencyKey();
  const { file, upload } = await filesApi.create(
    { communityId: opts.communityId, kind: opts.kind, purpose: opts.purpose, name: opts.name, size: opts.size },
    key,
  );
  if (file.status === 'ready') return file;
  await uploadFormFile(upload, opts.path, opts.onProgress);
  return filesApi.complete(file.id);
}

export type { StoredFile, FilePurpose };
