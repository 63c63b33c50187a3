import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, depsFromEnv } from '../api/_lib/app.js';
import { testDb } from './db.js';
import { startFakeWechat, FAKE_APPID, FAKE_SECRET } from './fakes/wechat.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789-abcdefghijklmnop';

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** The real app on a fresh database, with WeChat answered by a local fake. */
export async function testApi(env: Record<string, string | undefined> = {}) {
  const t = await testDb();
  const wechat = await startFakeWechat();
  const filesDir = mkdtempSync(path.join(tmpdir(), 'cunju-files-'));
  const deps = depsFromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: t.url,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    WECHAT_APPID: FAKE_APPID,
    WECHAT_SECRET: FAKE_SECRET,
    WECHAT_API_BASE: wechat.url,
    AUTH_RATE_LIMIT: '1000',
    VALIDATE_RESPONSES: 'on',
    FILES_DIR: filesDir,
    ...env,
  });
  const app = createApp(deps);

  async function call<T = any>(method: string, path: string, opts: CallOptions = {}) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let json: T;
    try {
      json = JSON.parse(text) as T;
    } catch {
      json = text as T;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  async function login(persona: string): Promise<string> {
    const r = await call<{ token: string }>('POST', '/api/auth/dev', { body: { persona } });
    if (r.status !== 200) throw new Error(`dev login ${persona} failed: ${r.status} ${r.text}`);
    return r.body.token;
  }

  return {
    app,
    deps,
    db: t,
    wechat,
    call,
    login,
    filesDir,
    async close() {
      await deps.db.close();
      await wechat.close();
      await t.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
