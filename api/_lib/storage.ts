import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/**
 * One storage interface for uploaded files, two back ends chosen by configuration:
 *   - local disk under the data folder (`npm start` needs nothing else): the phone posts the file to our
 *     own upload route, and reads come through short-lived links our API signs and serves;
 *   - any S3-compatible object store (Supabase Storage's S3 endpoint, Tencent COS, Alibaba OSS, MinIO):
 *     the phone posts straight to the store with a presigned form (WeChat's uploadFile can), so large files
 *     never pass through a serverless function (Vercel caps a request at 4.5 MB); reads are presigned GETs.
 * Nothing is public: every read is a link that expires.
 */
export interface UploadTarget {
  /** Absolute, or relative to the API origin (local back end). */
  url: string;
  method: 'POST';
  /** Form fields to send with the file (presigned POST policy). */
  fields: Record<string, string>;
  /** Name of the form field that carries the file. */
  fileField: string;
}

export interface Storage {
  readonly kind: 'local' | 's3';
  /** Where the phone sends the raw bytes of an upload (stored under `raw/<key>` until processed). */
  uploadTarget(key: string, fileId: string, maxBytes: number): Promise<UploadTarget>;
  read(key: string): Promise<Buffer | null>;
  write(key: string, body: Buffer, contentType: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** A link that works for `ttlSeconds` (relative to the API origin for the local back end). */
  signedUrl(key: string, ttlSeconds: number, contentType?: string): Promise<string>;
}

const KEY = /^[0-9a-z/-]{10,200}$/;
function checkKey(key: string) {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`bad storage key ${key}`);
}

export const rawKey = (key: string) => `raw/${key}`;

/** Files on local disk; links signed with HMAC and served by GET /api/files/raw/<key>. */
export function createLocalStorage(dir: string, secret: string): Storage & { verify(key: string, exp: string, sig: string): boolean } {
  const file = (key: string) => {
    checkKey(key);
    return path.join(dir, key);
  };
  const sign = (key: string, exp: number) => createHmac('sha256', secret).update(`${key}\n${exp}`).digest('base64url');
  return {
    kind: 'local',
    async uploadTarget(_key, fileId) {
      return { url: `/api/files/${fileId}/content`, method: 'POST', fields: {}, fileField: 'file' };
    },
    async read(key) {
      try {
        return await readFile(file(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async write(key, body) {
      await mkdir(path.dirname(file(key)), { recursive: true });
      await writeFile(file(key), body);
    },
    async remove(key) {
      await rm(file(key), { force: true });
    },
    async signedUrl(key, ttlSeconds) {
      checkKey(key);
      const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
      return `/api/files/raw/${key}?exp=${exp}&sig=${sign(key, exp)}`;
    },
    verify(key, exp, sig) {
      if (!KEY.test(key) || !/^\d{1,12}$/.test(exp) || Number(exp) < Date.now() / 1000) return false;
      const want = Buffer.from(sign(key, Number(exp)));
      const got = Buffer.from(sig);
      return want.length === got.length && timingSafeEqual(want, got);
    },
  };
}

export interface S3Options {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/** An S3-compatible store through the AWS SDK v3 (the client that Supabase Storage, COS and OSS document). */
export function createS3Storage(o: S3Options): Storage {
  const client = new S3Client({
    region: o.region,
    endpoint: o.endpoint,
    forcePathStyle: o.forcePathStyle,
    credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
  });
  return {
    kind: 's3',
    async uploadTarget(key, _fileId, maxBytes) {
      checkKey(key);
      const post = await createPresignedPost(client, {
        Bucket: o.bucket,
        Key: rawKey(key),
        Conditions: [['content-length-range', 1, maxBytes]],
        Expires: 900,
      });
      return { url: post.url, method: 'POST', fields: post.fields, fileField: 'file' };
    },
    async read(key) {
      checkKey(key);
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: key }));
        return Buffer.from(await r.Body!.transformToByteArray());
      } catch (err) {
        const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
        throw err;
      }
    },
    async write(key, body, contentType) {
      checkKey(key);
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async remove(key) {
      checkKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: key }));
    },
    async signedUrl(key, ttlSeconds, contentType) {
      checkKey(key);
      return getSignedUrl(client, new GetObjectCommand({ Bucket: o.bucket, Key: key, ResponseContentType: contentType }), { expiresIn: ttlSeconds });
    },
  };
}
