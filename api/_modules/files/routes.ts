import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from '../../_lib/errors.js';
import { callDb, callDbAsService, domainRouter, type AppEnv } from '../../_lib/router.js';
import { MAX_BYTES, processUpload } from '../../_lib/files.js';
import { rawKey, type Storage } from '../../_lib/storage.js';
import { IdParam, Uuid } from '../../_contracts/common.js';
import { AttachBody, CreateUploadBody, CreatedUpload, FilesQuery, StoredFile } from '../../_contracts/files.js';

type Row = StoredFile & { storageKey: string };
type Upload = Row & { declaredSize: number; ownerId: string };

/** A file answer never carries its storage key; ready files carry a short-lived link instead. */
async function present(c: Context<AppEnv>, f: Row): Promise<StoredFile> {
  const { storageKey, ...file } = f;
  const url = file.status === 'ready' ? await c.get('storage').signedUrl(storageKey, c.get('env').FILES_URL_TTL_SECONDS, file.contentType ?? undefined) : null;
  return { ...file, url };
}

/**
 * The bytes of an upload: checked by content, re-encoded, stored under the file's key, recorded; then its
 * content check starts (WeChat's answer comes later in production). The raw upload is never readable.
 */
async function finish(c: Context<AppEnv>, f: Upload, raw: Buffer): Promise<StoredFile> {
  const storage: Storage = c.get('storage');
  const result = await processUpload(raw, f.kind);
  if (!result.ok) {
    await callDbAsService(c, 'complete_upload', {
      p_file_id: f.id,
      p_content_type: null,
      p_size: null,
      p_sha256: null,
      p_width: null,
      p_height: null,
      p_refusal: result.refusal,
    });
    await storage.remove(rawKey(f.storageKey)).catch(() => undefined);
    throw new ApiError(result.code, { file: result.refusal });
  }
  await storage.write(f.storageKey, result.body, result.contentType);
  await storage.remove(rawKey(f.storageKey)).catch(() => undefined);
  // Recorded by the server, answered to the uploader: it is theirs.
  const done = {
    ...((await callDbAsService(c, 'complete_upload', {
      p_file_id: f.id,
      p_content_type: result.contentType,
      p_size: result.size,
      p_sha256: result.sha256,
      p_width: result.width,
      p_height: result.height,
      p_refusal: null,
    })) as StoredFile),
    mine: true,
  };
  if (result.contentType === 'image/jpeg') {
    try {
      const openid =
        c.get('env').contentCheck === 'wechat' ? ((await callDbAsService(c, 'get_wechat_openid', { p_profile_id: f.ownerId })) as string | null) : null;
      // WeChat fetches the photo itself: give it a link that lives long enough for its queue.
      const url = absolute(c, await storage.signedUrl(f.storageKey, 3600, result.contentType));
      const verdict = await c.get('contentCheck').checkImage(url, openid);
      if (verdict.verdict === 'passed') {
        return present(c, {
          ...done,
          storageKey: f.storageKey,
          ...pick(
            await callDbAsService(c, 'settle_file_check', { p_file_id: f.id, p_passed: true, p_provider: c.get('contentCheck').provider, p_trace_id: null }),
          ),
        });
      }
      if (verdict.traceId) await callDbAsService(c, 'set_file_check_trace', { p_file_id: f.id, p_trace_id: verdict.traceId });
    } catch (err) {
      // The file stays pending (seen by its uploader and staff) until a later check; never shown unchecked.
      c.get('log')('warn', 'media check unavailable', { error: String(err) });
    }
  } else {
    // WeChat checks images only: a PDF is passed as a document (shown only to who may see its record).
    return present(c, {
      ...done,
      storageKey: f.storageKey,
      ...pick(await callDbAsService(c, 'settle_file_check', { p_file_id: f.id, p_passed: true, p_provider: 'document', p_trace_id: null })),
    });
  }
  return present(c, { ...done, storageKey: f.storageKey });
}

/** The check status a settlement answered with. */
function pick(settled: unknown): Pick<StoredFile, 'checkStatus'> {
  return { checkStatus: (settled as StoredFile).checkStatus };
}

function absolute(c: Context<AppEnv>, url: string): string {
  return url.startsWith('/') ? new URL(url, c.req.url).toString() : url;
}

async function uploadOf(c: Context<AppEnv>, id: string): Promise<Upload> {
  const f = (await callDbAsService(c, 'get_upload_for_processing', { p_file_id: id, p_owner_id: c.get('caller')!.sub })) as Upload | null;
  if (!f) throw new ApiError('files.not_found');
  return f;
}

export function fileRoutes() {
  const r = domainRouter('files');

  r.handle(
    {
      method: 'post',
      path: '/',
      status: 201,
      idempotent: true,
      summary: '开始上传一张照片或一个文件：返回上传地址（同一 Idempotency-Key 重试返回同一个）',
      body: CreateUploadBody,
      response: CreatedUpload,
      errors: [403],
    },
    async ({ c, body, key }) => {
      const f = (await callDb(c, 'create_upload', {
        p_community_id: body.communityId,
        p_kind: body.kind,
        p_purpose: body.purpose,
        p_name: body.name,
        p_size: body.size,
        p_idempotency_key: key,
      })) as Row;
      const maxBytes = MAX_BYTES[body.kind];
      const target = await c.get('storage').uploadTarget(f.storageKey, f.id, maxBytes);
      return { file: await present(c, f), upload: { ...target, maxBytes } };
    },
  );

  // The local back end receives the file here (multipart, field "file"); an object store receives it directly.
  r.handle(
    {
      method: 'post',
      path: '/{id}/content',
      summary: '上传文件内容（本地存储时；multipart/form-data，字段 file）',
      params: IdParam,
      response: StoredFile,
      errors: [404, 409, 413, 415],
    },
    async ({ c, params }) => {
      if (c.get('storage').kind !== 'local') throw new ApiError('request.not_found');
      const f = await uploadOf(c, params.id);
      if (f.status !== 'uploading') return present(c, f);
      if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) throw new ApiError('request.unsupported_media_type');
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        throw new ApiError('request.invalid', { file: '上传的内容不完整，请重试' });
      }
      const file = form.file;
      if (!(file instanceof File)) throw new ApiError('request.invalid', { file: '没有收到文件' });
      if (file.size > MAX_BYTES[f.kind]) throw new ApiError('files.too_large');
      const raw = Buffer.from(await file.arrayBuffer());
      await c.get('storage').write(rawKey(f.storageKey), raw, 'application/octet-stream');
      return finish(c, f, raw);
    },
  );

  r.handle(
    {
      method: 'post',
      path: '/{id}/complete',
      summary: '上传完成：检查文件内容并保存（直传对象存储后调用；重复调用返回同一结果）',
      params: IdParam,
      response: StoredFile,
      errors: [404, 409],
    },
    async ({ c, params }) => {
      const f = await uploadOf(c, params.id);
      if (f.status !== 'uploading') return present(c, f);
      const raw = await c.get('storage').read(rawKey(f.storageKey));
      if (!raw) throw new ApiError('files.not_ready');
      return finish(c, f, raw);
    },
  );

  r.rpc({
    method: 'post',
    path: '/attach',
    summary: '把上传好的文件添加到记录（办件材料、公告、凭证、商品图片、议题、活动照片）',
    body: AttachBody,
    response: z.object({ attached: z.number() }),
    errors: [403, 404, 409],
    fn: 'attach_files',
    args: ({ body }) => ({ p_entity: body.entity, p_entity_id: body.entityId, p_file_ids: body.fileIds }),
  });

  r.handle(
    {
      method: 'get',
      path: '/',
      summary: '一条记录的文件（带几分钟内有效的链接）',
      query: FilesQuery,
      response: z.object({ items: z.array(StoredFile), nextCursor: z.string().nullable() }),
      errors: [404],
    },
    async ({ c, query }) => {
      const rows = (await callDb(c, 'list_files', { p_entity: query.entity, p_entity_id: query.entityId })) as Row[];
      // A record holds at most 20 files: the whole list is one page.
      return { items: await Promise.all(rows.map((f) => present(c, f))), nextCursor: null };
    },
  );

  r.handle(
    { method: 'get', path: '/{id}', summary: '一个文件（带几分钟内有效的链接）', params: IdParam, response: StoredFile, errors: [404, 409] },
    async ({ c, params }) => present(c, (await callDb(c, 'get_file', { p_file_id: params.id })) as Row),
  );

  r.handle(
    { method: 'delete', path: '/{id}', summary: '删除自己还没添加到记录的上传', params: IdParam, response: z.object({ id: Uuid }), errors: [404] },
    async ({ c, params }) => {
      const gone = (await callDb(c, 'delete_upload', { p_file_id: params.id })) as { id: string; storageKey: string };
      const storage = c.get('storage');
      await storage.remove(gone.storageKey).catch(() => undefined);
      await storage.remove(rawKey(gone.storageKey)).catch(() => undefined);
      return { id: gone.id };
    },
  );

  return r.router;
}

/**
 * Links of the local back end: GET /api/files/raw/<key>?exp&sig, checked against our own signature. Not in the
 * OpenAPI document (a link, not an operation); 404 for anything not signed or expired.
 */
export function rawFileRoute(app: import('@hono/zod-openapi').OpenAPIHono<AppEnv>) {
  app.get('/api/files/raw/*', async (c) => {
    const storage = c.get('storage') as Storage & { verify?: (k: string, e: string, s: string) => boolean };
    const key = c.req.path.slice('/api/files/raw/'.length);
    if (storage.kind !== 'local' || !storage.verify?.(key, c.req.query('exp') ?? '', c.req.query('sig') ?? '')) {
      return c.json(errorBody('files.not_found'), 404);
    }
    const body = await storage.read(key);
    if (!body) return c.json(errorBody('files.not_found'), 404);
    const type = body.subarray(0, 5).toString('latin1') === '%PDF-' ? 'application/pdf' : 'image/jpeg';
    return c.body(new Uint8Array(body), 200, {
      'content-type': type,
      'cache-control': 'private, max-age=300',
      'x-content-type-options': 'nosniff',
      'content-disposition': type === 'application/pdf' ? 'attachment' : 'inline',
    });
  });
}

/** The upload route's own size limit (the JSON limit does not apply to it). */
export const uploadBodyLimit = bodyLimit({ maxSize: MAX_BYTES.document + 64 * 1024, onError: (c) => c.json(errorBody('request.too_large'), 413) });
