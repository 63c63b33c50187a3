import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../../../test/api.js';
import { createApp } from '../../_lib/app.js';
import { createLogger } from '../../_lib/log.js';
import type { Db } from '../../_lib/db.js';

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => api.close());

describe('gateway', () => {
  it('GET /api/health reports the database engine, version 17 and the applied migrations', async () => {
    const r = await api.call('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.database.engine).toBe('postgres');
    expect(r.body.database.version).toMatch(/^17\./);
    expect(r.body.migrations).toContain('20261122000100');
  });

  it('serves an OpenAPI 3.1 document listing every route', async () => {
    const r = await api.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const paths = Object.keys(r.body.paths);
    for (const p of [
      '/api/health',
      '/api/auth/wechat',
      '/api/auth/dev',
      '/api/me',
      '/api/me/consents',
      '/api/me/verifications',
      '/api/staff/verifications',
      '/api/staff/verifications/{id}/decision',
      '/api/communities',
      '/api/staff/audit-log',
    ]) {
      expect(paths).toContain(p);
    }
    expect(r.body.paths['/api/me'].get.responses['401']).toBeDefined();
  });

  it('answers unknown routes with the shared error shape', async () => {
    const r = await api.call('GET', '/api/no-such-thing');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'request.not_found', message: '没有找到这个页面或接口' } });
  });

  it('answers malformed JSON with 400', async () => {
    const r = await api.call('POST', '/api/auth/dev', { rawBody: '{"persona": ' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('request.invalid');
  });

  it('echoes a request id and logs JSON lines without personal data', async () => {
    const lines: string[] = [];
    const app = createApp({ ...api.deps, log: createLogger('info', (l) => lines.push(l)) });
    const res = await app.request('/api/auth/dev', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-12345678' },
      body: '{"persona":"resident"}',
    });
    expect(res.headers.get('x-request-id')).toBe('req-12345678');
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry).toMatchObject({ level: 'info', requestId: 'req-12345678', method: 'POST', status: 200 });
    expect(lines.join('\n')).not.toMatch(/张秀兰|1380000|eyJ/);
  });

  it('never leaks a database error to the client', async () => {
    const broken: Db = {
      rpc: async () => {
        throw Object.assign(new Error('relation "app.secret_table" does not exist'), { code: '42P01' });
      },
      close: async () => undefined,
    };
    const lines: string[] = [];
    const app = createApp({ ...api.deps, db: broken, log: createLogger('info', (l) => lines.push(l)) });
    const token = await api.login('resident');
    const res = await app.request('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret_table');
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(lines.some((l) => l.includes('secret_table'))).toBe(true);
  });
});
