import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSupabaseDb } from './db-supabase.js';
import { ApiError } from './errors.js';

/**
 * The supabase-js adapter against a local server that answers like PostgREST's /rest/v1/rpc endpoint:
 * checks the URL, headers and body it is sent, and how PostgREST's error bodies are mapped.
 */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const fn = (req.url ?? '').replace('/rest/v1/rpc/', '').split('?')[0];
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (fn === 'get_me') return send(200, { profile: { id: 'p1' } });
      if (fn === 'redeem_goods') return send(400, { code: 'P0001', message: 'core.forbidden', details: null, hint: null });
      if (fn === 'enforce_rate_limits') {
        const over = body.includes('"limit":0');
        return over ? send(400, { code: 'P0001', message: 'request.rate_limited', details: 'retry:42', hint: null }) : send(200, null);
      }
      if (fn === 'dev_login_profile') return send(401, { code: 'PGRST301', message: 'JWT expired', details: null, hint: null });
      if (fn === 'get_health') return send(500, { code: '42P01', message: 'relation "app.x" does not exist', details: null, hint: null });
      send(404, { code: 'PGRST202', message: 'Could not find the function' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const ANON = 'anon-key-0123456789';
const SERVICE = 'service-role-key-0123456789';

describe('supabase-js adapter', () => {
  it("posts the arguments to /rest/v1/rpc/<fn> with the caller's own JWT", async () => {
    const db = createSupabaseDb(base, ANON, SERVICE);
    const result = await db.rpc('get_me', { p_x: 1, p_skip: undefined }, { kind: 'user', sub: 'p1', token: 'user.jwt.token', claims: {} });
    expect(result).toEqual({ profile: { id: 'p1' } });
    const req = seen.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/rest/v1/rpc/get_me');
    expect(req.headers.authorization).toBe('Bearer user.jwt.token');
    expect(req.headers.apikey).toBe(ANON);
    expect(JSON.parse(req.body)).toEqual({ p_x: 1 });
  });

  it('uses the service role key only for server calls', async () => {
    const db = createSupabaseDb(base, ANON, SERVICE);
    await db.rpc('get_me', {}, { kind: 'service' });
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${SERVICE}`);
    await db.rpc('get_me', {}, { kind: 'anon' });
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${ANON}`);
  });

  it('maps a rule violation (P0001 + key) to the same ApiError as the pg adapter', async () => {
    const db = createSupabaseDb(base, ANON, SERVICE);
    const err = await db.rpc('redeem_goods', { p_goods_id: null, p_idempotency_key: null }, { kind: 'service' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('core.forbidden');
    expect((err as ApiError).status).toBe(403);
  });

  it('maps an expired JWT to 401 and anything else to an internal error without its text', async () => {
    const db = createSupabaseDb(base, ANON, SERVICE);
    const expired = await db.rpc('dev_login_profile', { p_persona: 'x' }, { kind: 'service' }).catch((e: unknown) => e);
    expect((expired as ApiError).code).toBe('auth.invalid_token');
    const broken = await db.rpc('get_health', {}, { kind: 'service' }).catch((e: unknown) => e);
    expect(broken).not.toBeInstanceOf(ApiError);
    expect(String(broken)).toContain('42P01');
  });

  it('counts rate limits with the service role before the call, and answers 429 with Retry-After past them', async () => {
    const db = createSupabaseDb(base, ANON, SERVICE);
    const user = { kind: 'user' as const, sub: 'p1', token: 'user.jwt.token', claims: {} };
    const before = seen.length;
    await db.rpc('get_me', {}, user, { limits: [{ bucket: 'write:p1', limit: 5, window: 60 }] });
    expect(seen.slice(before).map((r) => r.url)).toEqual(['/rest/v1/rpc/enforce_rate_limits', '/rest/v1/rpc/get_me']);
    expect(seen.at(-2)!.headers.authorization).toBe(`Bearer ${SERVICE}`);
    const err = await db.rpc('get_me', {}, user, { limits: [{ bucket: 'write:p1', limit: 0, window: 60 }] }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('request.rate_limited');
    expect((err as ApiError).headers).toEqual({ 'Retry-After': '42' });
    expect(seen.at(-1)!.url).toBe('/rest/v1/rpc/enforce_rate_limits');
  });

  it('answers 503 when the database service cannot be reached', async () => {
    const db = createSupabaseDb('http://127.0.0.1:9', ANON, SERVICE);
    const err = await db.rpc('get_me', {}, { kind: 'service' }).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('db.unavailable');
    expect((err as ApiError).status).toBe(503);
  });
});
