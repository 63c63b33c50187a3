import { z } from '@hono/zod-openapi';
import { Text, Uuid } from './common.js';

export const FilePurpose = z.enum(['application', 'notice', 'finance', 'goods', 'topic', 'activity', 'grid_report'], { error: '文件用途不对' });
export type FilePurpose = z.infer<typeof FilePurpose>;
export const FileKind = z.enum(['photo', 'document'], { error: '请选择照片或文件' });

export const CreateUploadBody = z.object({
  communityId: Uuid,
  kind: FileKind,
  purpose: FilePurpose,
  name: Text(120, { min: 1, message: '请给文件起个名字' }),
  /** Bytes, as the phone reports them; checked again on the bytes themselves. */
  size: z
    .number()
    .int()
    .min(1, { error: '文件是空的' })
    .max(20 * 1024 * 1024, { error: '文件太大了：照片不超过 10MB，文件不超过 20MB' }),
});

export const StoredFile = z
  .object({
    id: Uuid,
    kind: FileKind,
    purpose: FilePurpose,
    name: z.string(),
    contentType: z.string().nullable(),
    size: z.number().nullable(),
    width: z.number().nullable(),
    height: z.number().nullable(),
    status: z.enum(['uploading', 'ready', 'refused']),
    refusal: z.string().nullable(),
    checkStatus: z.enum(['pending', 'passed', 'rejected']),
    entity: FilePurpose.nullable(),
    entityId: Uuid.nullable(),
    createdAt: z.string(),
    mine: z.boolean(),
    /** A link that works for a few minutes (ready files only). */
    url: z.string().nullable().optional(),
  })
  .openapi('StoredFile');
export type StoredFile = z.infer<typeof StoredFile>;

export const UploadTarget = z.object({
  url: z.string(),
  method: z.literal('POST'),
  fields: z.record(z.string(), z.string()),
  fileField: z.string(),
  maxBytes: z.number(),
});
export const CreatedUpload = z.object({ file: StoredFile, upload: UploadTarget }).openapi('CreatedUpload');
export type CreatedUpload = z.infer<typeof CreatedUpload>;

export const AttachBody = z.object({
  entity: FilePurpose,
  entityId: Uuid,
  fileIds: z.array(Uuid).min(1, { error: '请先选择文件' }).max(9, { error: '一次最多添加 9 个' }),
});

export const FilesQuery = z.object({ entity: FilePurpose, entityId: Uuid });
