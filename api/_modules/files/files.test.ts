import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { testApi } from '../../../test/api.js';
import { community, persona } from '../../../test/personas.js';
import { StoredFile } from '../../_contracts/files.js';

/**
 * Photos and documents, end to end through the API with the local back end: uploads checked by their
 * bytes, re-encoded without EXIF, attached only by who may change the record, read only by who may see it.
 */
let api: Awaited<ReturnType<typeof testApi>>;
let resident = '';
beforeAll(async () => {
  api = await testApi({ CRON_SECRET: 'cron-secret-0123456789' });
  resident = await api.login('resident');
});
afterAll(async () => api.close());

/** A real JPEG with a GPS position and a camera model in its EXIF. */
async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SecretPhone', Model: 'Model-X' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '28/1 11/1 3360/100', GPSLongitudeRef: 'E', GPSLongitude: '112/1 58/1 1200/100' },
    })
    .toBuffer();
}

let keyN = 0;
async function upload(token: string, bytes: Buffer, opts: { kind?: 'photo' | 'document'; purpose?: string; name?: string; communityId?: string } = {}) {
  const created = await api.call('POST', '/api/files', {
    token,
    headers: { 'idempotency-key': `upload-key-${++keyN}` },
    body: {
      communityId: opts.communityId ?? community.chunhui,
      kind: opts.kind ?? 'photo',
      purpose: opts.purpose ?? 'application',
      name: opts.name ?? 'photo.jpg',
      size: bytes.length,
    },
  });
  if (created.status !== 201) return { created, sent: null };
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), opts.name ?? 'photo.jpg');
  const res = await api.app.request(created.body.upload.url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { created, sent: { status: res.status, body: (await res.json()) as any } };
}

async function fetchLink(url: string) {
  const res = await api.app.request(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

async function myApplication(token: string): Promise<string> {
  const item = 'd1000000-0000-4000-8000-000000000001'; // 居住证明, online
  const r = await api.call('GET', `/api/hall/items/${item}`, { token });
  const form: Record<string, string> = {};
  for (const f of r.body.form as Array<{ key: string; type: string; options?: string[] }>) {
    form[f.key] =
      f.type === 'select'
        ? f.options![0]!
        : f.type === 'number'
          ? '1'
          : f.type === 'date'
            ? '2026-11-01'
            : f.type === 'phone'
              ? '13800001111'
              : f.type === 'idcard'
                ? '11010519491231002X'
                : '测试内容';
  }
  const a = await api.call('POST', '/api/hall/applications', {
    token,
    headers: { 'idempotency-key': `apply-files-${++keyN}` },
    body: { itemId: item, formData: form, attachments: [] },
  });
  expect(a.status, a.text).toBe(201);
  return a.body.id as string;
}

describe('uploading', () => {
  it('re-encodes a photo without its EXIF (GPS, camera) and keeps its SHA-256', async () => {
    const original = await photoWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const { sent } = await upload(resident, original);
    expect(sent!.status).toBe(200);
    const file = StoredFile.parse(sent!.body);
    expect(file).toMatchObject({ status: 'ready', contentType: 'image/jpeg', checkStatus: 'passed', mine: true });
    const stored = await fetchLink(file.url!);
    expect(stored.status).toBe(200);
    const meta = await sharp(stored.body).metadata();
    expect(meta.exif).toBeUndefined();
    expect(stored.body.includes(Buffer.from('SecretPhone'))).toBe(false);
    const row = (await api.db.sql(`select sha256, size from app.files where id = $1`, [file.id])).rows[0];
    expect(row.sha256).toBe(createHash('sha256').update(stored.body).digest('hex'));
    expect(row.size).toBe(stored.body.length);
  });

  it('refuses a program named .jpg and keeps nothing of it', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 7)]);
    const { created, sent } = await upload(resident, exe, { name: 'cat.jpg' });
    expect(sent!.status).toBe(400);
    expect(sent!.body.error.code).toBe('files.type_not_allowed');
    const row = (await api.db.sql(`select status, storage_key from app.files where id = $1`, [created.body.file.id])).rows[0];
    expect(row.status).toBe('refused');
    expect(existsSync(path.join(api.filesDir, row.storage_key))).toBe(false);
    expect(existsSync(path.join(api.filesDir, 'raw', row.storage_key))).toBe(false);
  });

  it('refuses an over-size photo with a clear Chinese message before anything is stored', async () => {
    const r = await api.call('POST', '/api/files', {
      token: resident,
      headers: { 'idempotency-key': `upload-big-0001` },
      body: { communityId: community.chunhui, kind: 'photo', purpose: 'application', name: 'big.jpg', size: 11 * 1024 * 1024 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('10MB');
    expect((await api.db.sql(`select count(*)::int n from app.files where original_name = 'big.jpg'`)).rows[0].n).toBe(0);
  });

  it('returns the same upload for a retry with the same key', async () => {
    const body = { communityId: community.chunhui, kind: 'photo', purpose: 'application', name: 'again.jpg', size: 1000 };
    const a = await api.call('POST', '/api/files', { token: resident, headers: { 'idempotency-key': 'upload-retry-0001' }, body });
    const b = await api.call('POST', '/api/files', { token: resident, headers: { 'idempotency-key': 'upload-retry-0001' }, body });
    expect(a.status).toBe(201);
    expect(b.body.file.id).toBe(a.body.file.id);
  });

  it('lets only members upload, and only staff for staff records', async () => {
    const body = (purpose: string) => ({ communityId: community.chunhui, kind: 'photo', purpose, name: 'x.jpg', size: 100 });
    expect(
      (await api.call('POST', '/api/files', { token: await api.login('villager'), headers: { 'idempotency-key': 'upload-v-0001' }, body: body('application') }))
        .status,
    ).toBe(403);
    expect((await api.call('POST', '/api/files', { token: resident, headers: { 'idempotency-key': 'upload-g-0001' }, body: body('goods') })).status).toBe(403);
    expect(
      (await api.call('POST', '/api/files', { token: await api.login('clerk'), headers: { 'idempotency-key': 'upload-g-0002' }, body: body('goods') })).status,
    ).toBe(201);
  });
});

describe('attaching and reading', () => {
  it('lets the applicant attach a photo to their case; the clerk sees it; others get 404 and no link works without a signature', async () => {
    const caseId = await myApplication(resident);
    const { sent } = await upload(resident, await photoWithGps(), { name: '户口本.jpg' });
    const fileId = sent!.body.id as string;
    // Another resident can't attach someone else's upload, nor attach to someone else's case.
    const resident2 = await api.login('resident2');
    expect(
      (await api.call('POST', '/api/files/attach', { token: resident2, body: { entity: 'application', entityId: caseId, fileIds: [fileId] } })).status,
    ).toBe(404);
    const theirs = await upload(resident2, await photoWithGps());
    expect(
      (await api.call('POST', '/api/files/attach', { token: resident2, body: { entity: 'application', entityId: caseId, fileIds: [theirs.sent!.body.id] } }))
        .status,
    ).toBe(404);
    const attach = await api.call('POST', '/api/files/attach', { token: resident, body: { entity: 'application', entityId: caseId, fileIds: [fileId] } });
    expect(attach.status, attach.text).toBe(200);
    // Attached once: a second attach of the same file is refused.
    expect(
      (await api.call('POST', '/api/files/attach', { token: resident, body: { entity: 'application', entityId: caseId, fileIds: [fileId] } })).status,
    ).toBe(409);

    const asClerk = await api.call('GET', `/api/files?entity=application&entityId=${caseId}`, { token: await api.login('clerk') });
    expect(asClerk.status).toBe(200);
    expect(asClerk.body.items.map((f: StoredFile) => f.name)).toEqual(['户口本.jpg']);
    expect((await fetchLink(asClerk.body.items[0].url)).status).toBe(200);
    for (const who of ['resident2', 'villager', 'village_committee'] as const) {
      const token = await api.login(who);
      expect((await api.call('GET', `/api/files?entity=application&entityId=${caseId}`, { token })).status, who).toBe(404);
      expect((await api.call('GET', `/api/files/${fileId}`, { token })).status, who).toBe(404);
    }
    const link = asClerk.body.items[0].url as string;
    expect((await fetchLink(link.replace(/sig=[^&]+/, 'sig=AAAA'))).status).toBe(404);
    expect((await fetchLink(link.replace(/exp=\d+/, 'exp=1000'))).status).toBe(404);
    expect((await fetchLink(link.split('?')[0]!)).status).toBe(404);
    // An attached file can't be deleted by its uploader any more.
    expect((await api.call('DELETE', `/api/files/${fileId}`, { token: resident })).status).toBe(404);
  });

  it('removes uploads never attached after a day, with their stored objects', async () => {
    const { sent } = await upload(resident, await photoWithGps(), { name: 'forgotten.jpg' });
    const row = (await api.db.sql(`select storage_key from app.files where id = $1`, [sent!.body.id])).rows[0];
    expect(existsSync(path.join(api.filesDir, row.storage_key))).toBe(true);
    await api.db.sql(`update app.files set created_at = now() - interval '25 hours' where id = $1`, [sent!.body.id]);
    const run = await api.call('GET', '/api/cron/files', { headers: { authorization: 'Bearer cron-secret-0123456789' } });
    expect(run.status).toBe(200);
    expect(run.body.removed).toBeGreaterThanOrEqual(1);
    expect((await api.db.sql(`select count(*)::int n from app.files where id = $1`, [sent!.body.id])).rows[0].n).toBe(0);
    expect(existsSync(path.join(api.filesDir, row.storage_key))).toBe(false);
  });
});

describe('the content check (WeChat media check in production)', () => {
  it('hides a photo from others until WeChat says it passed; the uploader sees it at once', async () => {
    const prod = await testApi({ NODE_ENV: 'production', WECHAT_PUSH_TOKEN: 'push-token-123', CRON_SECRET: 'cron-secret-0123456789' });
    try {
      const login = await prod.call('POST', '/api/auth/wechat', { body: { code: 'good:oPhoto_1' } });
      const me = login.body.profile.id as string;
      await prod.db.sql(
        `insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', '50000000-0000-4000-8000-000000000001')`,
        [me, community.chunhui],
      );
      const token = login.body.token as string;
      const topic = await prod.call('POST', '/api/affairs/topics', {
        token,
        body: { communityId: community.chunhui, title: '楼道灯坏了', description: '3号楼2单元楼道灯坏了一周，晚上上下楼很危险，请尽快修。' },
      });
      expect(topic.status, topic.text).toBe(201);
      const created = await prod.call('POST', '/api/files', {
        token,
        headers: { 'idempotency-key': 'prod-photo-0001' },
        body: { communityId: community.chunhui, kind: 'photo', purpose: 'topic', name: 'lamp.jpg', size: 5000 },
      });
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await photoWithGps())]), 'lamp.jpg');
      const sent = await prod.app.request(created.body.upload.url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      const file = (await sent.json()) as StoredFile;
      expect(file.checkStatus).toBe('pending');
      expect(prod.wechat.mediaChecks.map((m) => m.openid)).toContain('oPhoto_1');
      expect((await prod.call('POST', '/api/files/attach', { token, body: { entity: 'topic', entityId: topic.body.id, fileIds: [file.id] } })).status).toBe(
        200,
      );
      const neighbour = await prod.deps.tokens.sign(persona.resident2, 1);
      const list = () => prod.call('GET', `/api/files?entity=topic&entityId=${topic.body.id}`, { token: neighbour });
      expect((await list()).body.items).toEqual([]);
      expect((await prod.call('GET', `/api/files?entity=topic&entityId=${topic.body.id}`, { token })).body.items).toHaveLength(1);

      // WeChat pushes its verdict, signed with the push token.
      const trace = prod.wechat.mediaChecks.at(-1)!.traceId;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = 'n0nce';
      const signature = createHash('sha1').update(['push-token-123', timestamp, nonce].sort().join('')).digest('hex');
      const event = {
        ToUserName: 'gh_x',
        FromUserName: 'oSystem',
        CreateTime: Number(timestamp),
        MsgType: 'event',
        Event: 'wxa_media_check',
        trace_id: trace,
        version: 2,
        result: { suggest: 'pass', label: 100 },
      };
      expect((await prod.call('POST', `/api/wechat/events?signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}`, { body: event })).status).toBe(
        403,
      );
      const pushed = await prod.call('POST', `/api/wechat/events?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, { body: event });
      expect(pushed.body).toEqual({ handled: true });
      expect((await list()).body.items.map((f: StoredFile) => f.name)).toEqual(['lamp.jpg']);
      const echo = await prod.app.request(`/api/wechat/events?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=hello123`);
      expect(await echo.text()).toBe('hello123');
    } finally {
      await prod.close();
    }
  });
});

describe('the S3 back end (against a local S3-compatible server)', () => {
  it('uploads straight to the store with a presigned form, processes, and reads through presigned links', async () => {
    // @ts-expect-error s3rver ships no types
    const { default: S3rver } = await import('s3rver');
    const dir = mkdtempSync(path.join(tmpdir(), 'cunju-s3-'));
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'cunju-files', configs: [] }] });
    const { port } = (await s3.run()) as { port: number };
    const store = await testApi({
      STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'cunju-files',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'on',
    });
    try {
      const token = await store.login('resident');
      const photo = await photoWithGps();
      const created = await store.call('POST', '/api/files', {
        token,
        headers: { 'idempotency-key': 's3-upload-0001' },
        body: { communityId: community.chunhui, kind: 'photo', purpose: 'application', name: 'road.jpg', size: photo.length },
      });
      expect(created.status).toBe(201);
      const up = created.body.upload as { url: string; fields: Record<string, string>; fileField: string };
      expect(up.url).toContain(`127.0.0.1:${port}`);
      const form = new FormData();
      for (const [k, v] of Object.entries(up.fields)) form.append(k, v);
      form.append(up.fileField, new Blob([new Uint8Array(photo)]), 'road.jpg');
      const posted = await fetch(up.url, { method: 'POST', body: form });
      expect(posted.status).toBeLessThan(300);
      const done = await store.call('POST', `/api/files/${created.body.file.id}/complete`, { token });
      expect(done.status, done.text).toBe(200);
      expect(done.body).toMatchObject({ status: 'ready', checkStatus: 'passed' });
      const got = await fetch(done.body.url);
      expect(got.status).toBe(200);
      const body = Buffer.from(await got.arrayBuffer());
      expect((await sharp(body).metadata()).exif).toBeUndefined();
      // The local upload route does not exist with an object store.
      expect(
        (await store.app.request(`/api/files/${created.body.file.id}/content`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status,
      ).toBe(404);
    } finally {
      await store.close();
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
