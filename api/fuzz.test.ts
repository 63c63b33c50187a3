import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../test/api.js';
import { operations, schemaTools, type OpenApiDoc, type Operation, type Schema } from '../test/openapi.js';

/**
 * Bad input on every operation, generated from the OpenAPI document: for each parameter and body field, a
 * value that can never be right (missing when required, wrong type, too long, a NUL character, integers
 * outside Postgres' range, malformed ids and dates), plus broken bodies (not JSON, wrong content type, an
 * array for an object). Every answer must be a 4xx in the shared error shape — never a 5xx — and nothing
 * may be written. A baseline request per operation (valid in form, as a person of another community, with
 * ids that do not exist) must not be a 5xx either: it reaches the database functions.
 */
let api: Awaited<ReturnType<typeof testApi>>;
let ops: Operation[] = [];
let tools: ReturnType<typeof schemaTools>;
let token = '';
let outsider = '';

beforeAll(async () => {
  api = await testApi({ WRITE_RATE_LIMIT: '100000', AUTH_RATE_LIMIT: '100000' });
  const doc = (await api.call('GET', '/api/openapi.json')).body as OpenApiDoc;
  ops = operations(doc);
  tools = schemaTools(doc);
  // Staff with the most permissions, so that anything that slipped through validation would reach the database.
  token = await api.login('committee');
  outsider = await api.login('village_committee');
});
afterAll(async () => {
  await api.close();
});

/** Values that no field of this schema can accept. */
function badValues(raw: Schema): Array<[string, unknown]> {
  const s = tools.deref(raw);
  const t = tools.types(s).filter((x) => x !== 'null');
  const out: Array<[string, unknown]> = [
    ['an object', { nested: { deep: true } }],
    ['a list', [1, 2, 3]],
  ];
  if (t.includes('string') || s.enum) {
    out.push(['a number', 12345], ['a NUL character', `坏\u0000值`], ['a very long text', '长'.repeat(20_000)]);
    if (s.format === 'uuid') out.push(['a malformed id', 'not-a-uuid'], ['an id with SQL', "' or 1=1 --"]);
    if (s.format === 'date' || s.format === 'date-time') out.push(['a date that does not exist', '2026-02-30'], ['a year 99999', '99999-01-01']);
  }
  if (t.includes('integer') || t.includes('number')) {
    out.push(['text', '十'], ['2^31', 2147483648], ['-2^31-1', -2147483649], ['1e308', 1e308], ['a fraction', 1.5], ['NaN text', 'NaN']);
  }
  if (t.includes('boolean')) out.push(['text', 'yes'], ['a number', 2]);
  if (t.includes('array')) out.push(['text', 'abc'], ['a list of 10,000', Array.from({ length: 10_000 }, () => 'x')]);
  if (t.includes('object')) out.push(['text', 'abc']);
  return out;
}

const bad: Array<{ what: string; status: number; body: string }> = [];

async function send(
  op: Operation,
  pathParams: Record<string, unknown>,
  query: Record<string, unknown>,
  headers: Record<string, string>,
  body: { raw?: string; json?: unknown; type?: string } | null,
  as = token,
) {
  let path = op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(pathParams[k])));
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
    .join('&');
  if (qs) path += `?${qs}`;
  const h: Record<string, string> = { ...headers };
  if (op.security) h.authorization = `Bearer ${as}`;
  let raw: string | undefined;
  if (body) {
    raw = body.raw ?? JSON.stringify(body.json);
    h['content-type'] = body.type ?? 'application/json';
  }
  return api.call(op.method.toUpperCase(), path, { headers: h, rawBody: raw });
}

function record(what: string, res: { status: number; body: any; text: string }) {
  const shaped = res.body && typeof res.body === 'object' && typeof res.body.error?.code === 'string' && typeof res.body.error?.message === 'string';
  if (res.status >= 500 || res.status < 400 || !shaped) bad.push({ what, status: res.status, body: res.text.slice(0, 200) });
}

async function fingerprint(): Promise<string> {
  const { rows } = await api.db.sql<{ t: string; n: string }>(`
    select c.relname as t, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from app.%I', c.relname), false, true, '')))[1]::text as n
      from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r' and c.relname <> 'rate_limits' order by 1`);
  return rows.map((r) => `${r.t}=${r.n}`).join(',');
}

describe('every operation, given bad input', () => {
  it('lists the operations of the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThan(80);
  });

  it('answers a baseline request (valid form, someone of another community, unknown ids) without a 5xx', async () => {
    for (const op of ops) {
      if (op.path.startsWith('/api/cron/')) continue;
      const b = tools.baseline(op);
      const res = await send(op, b.pathParams, b.query, b.headers, b.body === undefined ? null : { json: b.body }, outsider);
      if (res.status >= 500) bad.push({ what: `${op.method} ${op.path} baseline`, status: res.status, body: res.text.slice(0, 200) });
    }
    expect(bad).toEqual([]);
  }, 120_000);

  it('answers every bad value with a 4xx in the error shape and writes nothing', async () => {
    const before = await fingerprint();
    let sent = 0;
    for (const op of ops) {
      const b = tools.baseline(op);
      const name = `${op.method.toUpperCase()} ${op.path}`;
      for (const p of op.parameters ?? []) {
        const mutations: Array<[string, unknown]> = badValues(p.schema);
        if (p.required) mutations.push(['missing', undefined]);
        for (const [what, v] of mutations) {
          if (p.in === 'path' && v === undefined) continue;
          // A query string is text: a number is valid text, and lists/objects arrive as their text.
          if (p.in === 'query' && (what === 'a number' || ((what === 'a list' || what === 'an object') && !p.required))) continue;
          const pathParams = { ...b.pathParams };
          const query = { ...b.query };
          const headers = { ...b.headers };
          if (p.in === 'path') pathParams[p.name] = typeof v === 'object' ? JSON.stringify(v) : v;
          else if (p.in === 'query') query[p.name] = v;
          else if (v === undefined) delete headers[p.name];
          else headers[p.name] = typeof v === 'string' ? v.replace(/[^\x20-\x7e]/g, '?') : JSON.stringify(v);
          record(`${name} ${p.in} ${p.name}: ${what}`, await send(op, pathParams, query, headers, b.body === undefined ? null : { json: b.body }));
          sent++;
        }
      }
      if (b.schema) {
        const body = b.body as Record<string, unknown>;
        for (const [field, fs] of Object.entries(b.schema.properties ?? {})) {
          const mutations = badValues(fs);
          if (b.schema.required?.includes(field)) mutations.push(['missing', undefined]);
          for (const [what, v] of mutations) {
            const copy = { ...body };
            if (v === undefined) delete copy[field];
            else copy[field] = v;
            record(`${name} body ${field}: ${what}`, await send(op, b.pathParams, b.query, b.headers, { json: copy }));
            sent++;
          }
        }
        const whole: Array<[string, { raw?: string; json?: unknown; type?: string } | null]> = [
          ['no body', null],
          ['an empty body', { raw: '' }],
          ['invalid JSON', { raw: '{"a": ' }],
          ['a list for the body', { json: [body] }],
          ['null for the body', { raw: 'null' }],
          ['text/plain', { raw: JSON.stringify(body), type: 'text/plain' }],
          ['a form', { raw: 'a=1&b=2', type: 'application/x-www-form-urlencoded' }],
          ['a 200 KB body', { json: { ...body, padding: 'x'.repeat(200_000) } }],
        ];
        for (const [what, v] of whole) {
          record(`${name} ${what}`, await send(op, b.pathParams, b.query, b.headers, v));
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(bad).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 300_000);

  it('refuses a correctly signed token whose profile does not exist (401, not 500), on reads and writes', async () => {
    const ghost = await api.deps.tokens.sign(crypto.randomUUID(), 1);
    const me = await api.call('GET', '/api/me', { token: ghost });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('auth.invalid_token');
    const write = await api.call('POST', '/api/me/consents', { token: ghost, body: { purpose: 'privacy_policy', version: 'v1', granted: true } });
    expect(write.status).toBe(401);
  });
});
