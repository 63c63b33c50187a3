import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { depsFromEnv } from '../api/_lib/app.js';
import { callText } from '../api/_lib/db-pg.js';
import type { Caller, Db } from '../api/_lib/db.js';
import type { Deps } from '../api/_lib/router.js';
import { shanghaiDate, shanghaiMonth } from '../api/_contracts/time.js';
import { startLocalPostgres } from './lib/local-pg.js';
import { migrate, seed } from './lib/migrate.js';
import { SCALE_CALLERS, checkScaleData, countRows, generateBase, generateChildren, type ScaleSize, type StepTiming } from './lib/scale-data.js';
import { startServer } from './serve.js';

/**
 * `npm run bench -- --scale`: does every list endpoint stay flat between a small data set (~10,000 child rows)
 * and a large one (~1,000,000, the same rows plus 99 times as many)? A benchmark, not a test: it prints
 * figures and asserts nothing.
 *
 * A throw-away embedded Postgres gets a database that is migrated, seeded and filled with the small data set
 * by scripts/lib/scale-data.ts; a copy of it then gets the large data set added and is analysed. The real
 * server runs in-process, once on each database. The endpoints are read from the OpenAPI document: every
 * GET whose answer holds an array (itself or in a property). Each is called over HTTP as the first role that
 * gets a 200 with something in it (resident, grid worker, clerk, committee, supervisor of one generated
 * community, then the street's admin), sequentially: 5 warm-up calls, then 30 measured calls at each size, alternating between the
 * sizes so that whatever else runs on the machine weighs on both alike. Endpoints that are more than 1.3×
 * slower at the large size get the plans their database function ran, from auto_explain (nested statements
 * included).
 */

const WARMUP = 5;
const CALLS = 30;
/** A call sequence that takes longer than this stops early (and says how many calls it made). */
const BUDGET_MS = 90_000;
const SLOWER = 1.3;
const BIG_KB = 100;

type Role = 'resident' | 'grid_worker' | 'clerk' | 'committee' | 'supervisor' | 'admin';
// Tried in this order; the street admin last (the seeded one: every generated community is in its street).
const ROLES: Role[] = ['resident', 'grid_worker', 'clerk', 'committee', 'supervisor', 'admin'];
const PROFILE: Record<Role, string> = {
  resident: SCALE_CALLERS.resident,
  grid_worker: SCALE_CALLERS.gridWorker,
  clerk: SCALE_CALLERS.clerk,
  committee: SCALE_CALLERS.committee,
  supervisor: SCALE_CALLERS.supervisor,
  admin: '60000000-0000-4000-8000-000000000009',
};

interface Call {
  fn: string;
  args: Record<string, unknown>;
  caller: Caller;
}
interface Target {
  label: string;
  /** The OpenAPI path it was made from. */
  path: string;
  url: string;
  role?: Role;
  skipped?: string;
}
interface Figures {
  p50: number;
  p95: number;
  kb: number;
  items: number;
  n: number;
  statuses: string;
  calls: Call[];
}

/** Row ids for `{id}` path parameters, by the path segment before `{id}`: the newest row of that kind. */
const ID_SOURCES: Record<string, { what: string; sql: string }> = {
  notices: {
    what: 'newest notice for the whole community',
    sql: `select id from app.notices where community_id = $1 and audience_grid_ids is null and category <> 'emergency' order by first_published_at desc limit 1`,
  },
  activities: {
    what: 'newest activity for the whole community',
    sql: `select id from app.activities where community_id = $1 and grid_id is null order by created_at desc, id desc limit 1`,
  },
  items: {
    what: "the community's most used service item",
    sql: `select item_id as id from app.applications where community_id = $1 group by item_id order by count(*) desc, item_id limit 1`,
  },
  applications: { what: 'newest case in the community', sql: `select id from app.applications where community_id = $1 order by created_at desc limit 1` },
  topics: { what: 'newest topic', sql: `select id from app.topics where community_id = $1 order by created_at desc limit 1` },
  polls: { what: 'newest poll', sql: `select id from app.polls where community_id = $1 order by created_at desc limit 1` },
  communities: { what: "the caller's community", sql: `select $1::uuid as id` },
  streets: { what: "the community's street (all 50 communities)", sql: `select street_id as id from app.communities where id = $1` },
  goods: {
    what: "the community's most redeemed goods",
    sql: `select goods_id as id from app.redemptions where community_id = $1 group by goods_id order by count(*) desc, goods_id limit 1`,
  },
};

const EXCLUDED = [/^\/api\/cron\//, /^\/api\/health$/, /^\/api\/jwks\.json$/, /^\/api\/auth\//];

const log = (m: string) => console.log(`[bench:scale] ${m}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runScaleBench(): Promise<void> {
  const started = performance.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cunju-bench-scale-'));
  const local = await startLocalPostgres({ dir: dataDir, fast: true, quiet: true });
  const apis: Api[] = [];
  const jwtSecret = randomBytes(32).toString('hex');
  try {
    const smallUrl = local.url('scale_small');
    const largeUrl = local.url('scale_large');
    await admin(local.url(), 'create database scale_small');
    await migrate(smallUrl);
    await seed(smallUrl);
    const anchor = new Date();
    log(`fresh embedded Postgres 17 (${dataDir}), migrated and seeded; time anchor ${anchor.toISOString()}`);
    const timings: StepTiming[] = [];
    const seeded = await countRows(smallUrl);
    timings.push(...(await generateBase(smallUrl, anchor)));
    const base = await countRows(smallUrl);
    timings.push(...(await generateChildren(smallUrl, 'small', anchor)));
    const small = await countRows(smallUrl);
    await reportProblems(smallUrl, 'small');
    log(timings.map((t) => `${t.step}: ${secs(t.ms)}`).join('; '));

    // The large data set is the small one plus 99 times as many rows: a copy of the small database, added to.
    const copied = performance.now();
    await admin(local.url(), 'create database scale_large template scale_small strategy file_copy');
    timings.push({ step: 'large: copy of small', ms: performance.now() - copied });
    const large = await generateChildren(largeUrl, 'large', anchor);
    timings.push(...large);
    const big = await countRows(largeUrl);
    await reportProblems(largeUrl, 'large');
    log(`large: copy of small: ${secs(timings.at(-3)!.ms)}; ${large.map((t) => `${t.step}: ${secs(t.ms)}`).join('; ')}`);

    const api = { small: await startApi(smallUrl, jwtSecret), large: await startApi(largeUrl, jwtSecret) };
    apis.push(api.small, api.large);
    const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await api.small.deps.tokens.sign(PROFILE[r], 1)] as const))) as Record<
      Role,
      string
    >;
    const doc = (await (await fetch(`${api.small.server.url}/api/openapi.json`)).json()) as OpenApi;
    const ids = await resolveIds(smallUrl);
    const targets = listTargets(doc, ids.values, anchor);
    log(`${targets.length} list endpoints from the OpenAPI document`);
    for (const [segment, v] of Object.entries(ids.values)) log(`  {id} after /${segment}/: ${v} (${ID_SOURCES[segment]!.what})`);

    for (const t of targets.filter((x) => !x.skipped)) await chooseRole(api.small, t, tokens);
    const measured = targets.filter((t) => !t.skipped);
    const figures = new Map<Target, { small: Figures; large: Figures }>();
    const t1 = performance.now();
    for (const t of measured) figures.set(t, await measure(api, t, tokens[t.role!]));
    log(`measured ${measured.length} endpoints at both sizes in ${secs(performance.now() - t1)}`);

    printCounts(seeded, base, small, big, timings);
    printTable(targets, figures);
    const slow = measured.filter((t) => figures.get(t)!.large.p50 / figures.get(t)!.small.p50 > SLOWER);
    await printAgain(api, slow, figures, tokens);
    await printComputed(api, measured, doc, tokens, { small: smallUrl, large: largeUrl });
    await printPlans(largeUrl, slow, figures);
  } finally {
    for (const a of apis) await a.close();
    await local.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n[bench:scale] total run time ${secs(performance.now() - started)}`);
}

async function admin(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------- the server

type Api = Awaited<ReturnType<typeof startApi>>;

/** The real server, in-process, with every database call of the current request recorded. */
async function startApi(url: string, jwtSecret: string) {
  const deps: Deps = depsFromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: 'silent',
    DEV_LOGIN: 'off',
    WRITE_RATE_LIMIT: '1000000',
    AUTH_RATE_LIMIT: '1000000',
  });
  const real = deps.db;
  let recording: Call[] = [];
  const db: Db = {
    rpc: (fn, args, caller, opts) => {
      recording.push({ fn, args: args as Record<string, unknown>, caller });
      return real.rpc(fn, args, caller, opts);
    },
    close: () => real.close(),
  };
  deps.db = db;
  const server = await startServer(deps, 0);
  return {
    deps,
    server,
    /** One GET as this token; the answer's status, size (uncompressed JSON) and time, and the database calls it made. */
    async get(target: Target, token: string) {
      recording = [];
      const t = performance.now();
      const r = await fetch(`${server.url}${target.url}`, { headers: { authorization: `Bearer ${token}` } });
      const body = Buffer.from(await r.arrayBuffer());
      return { status: r.status, bytes: body.length, ms: performance.now() - t, body, calls: recording };
    },
    async close() {
      await server.close();
      await real.close();
    },
  };
}

// ---------------------------------------------------------------- endpoints from the OpenAPI document

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
}
interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

function resolve(s: Schema | undefined, doc: OpenApi, seen = new Set<string>()): Schema | undefined {
  if (!s?.$ref) return s;
  if (seen.has(s.$ref)) return undefined;
  seen.add(s.$ref);
  return resolve(doc.components?.schemas?.[s.$ref.replace('#/components/schemas/', '')], doc, seen);
}

function isArray(s: Schema | undefined, doc: OpenApi): boolean {
  const r = resolve(s, doc);
  if (!r) return false;
  if (r.type === 'array' || (Array.isArray(r.type) && r.type.includes('array'))) return true;
  return [...(r.anyOf ?? []), ...(r.oneOf ?? [])].some((x) => isArray(x, doc));
}

/** The answer is an array, or has a property that is one (following $refs, anyOf/oneOf/allOf). */
function holdsArray(s: Schema | undefined, doc: OpenApi): boolean {
  const r = resolve(s, doc);
  if (!r) return false;
  if (isArray(r, doc)) return true;
  if (Object.values(r.properties ?? {}).some((p) => isArray(p, doc))) return true;
  return [...(r.allOf ?? []), ...(r.anyOf ?? []), ...(r.oneOf ?? [])].some((x) => holdsArray(x, doc));
}

/** Every list endpoint, with its required parameters filled in (or why it cannot be called). */
function listTargets(doc: OpenApi, ids: Record<string, string>, now: Date): Target[] {
  const month = shanghaiMonth(now, -1);
  const values: Record<string, string> = {
    communityId: SCALE_CALLERS.communityId,
    month,
    from: shanghaiDate(now, -29),
    to: shanghaiDate(now),
    tag: 'representative',
  };
  const targets: Target[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    const op = ops.get;
    if (!op || EXCLUDED.some((x) => x.test(p))) continue;
    if (!holdsArray(op.responses?.['200']?.content?.['application/json']?.schema, doc)) continue;
    // Each variant: the path so far, its label, its query.
    let variants: { path: string; label: string; query: URLSearchParams; skipped?: string }[] = [{ path: p, label: p, query: new URLSearchParams() }];
    for (const param of op.parameters ?? []) {
      if (param.in === 'query' && param.name === 'limit') {
        for (const v of variants) v.query.set('limit', '20');
        continue;
      }
      if (!param.required) continue;
      const schema = resolve(param.schema, doc);
      let options: string[] | null = null;
      let skipped: string | undefined;
      if (param.in === 'path' && param.name === 'id') {
        const segment = p.split('/{id}')[0]!.split('/').pop()!;
        const id = ids[segment];
        if (id) options = [id];
        else skipped = ID_SOURCES[segment] ? `no ${ID_SOURCES[segment]!.what} in the generated data` : `no source of ids for /${segment}/{id}`;
      } else if (values[param.name] !== undefined) {
        options = [values[param.name]!];
      } else if (schema?.enum?.length) {
        options = schema.enum.map(String);
      } else {
        skipped = `no value for the required ${param.in} parameter ${param.name}`;
      }
      variants = variants.flatMap((v) => {
        if (v.skipped) return [v];
        if (!options) return [{ ...v, skipped }];
        return options.map((o) => {
          const query = new URLSearchParams(v.query);
          if (param.in === 'query') query.set(param.name, o);
          const one = options!.length > 1 || param.name !== 'id';
          const fill = (s: string) => (param.in === 'path' ? s.replace(`{${param.name}}`, one ? o : `{${param.name}}`) : s);
          return { path: param.in === 'path' ? v.path.replace(`{${param.name}}`, encodeURIComponent(o)) : v.path, label: fill(v.label), query };
        });
      });
    }
    for (const v of variants) {
      const qs = v.query.toString();
      targets.push({ label: v.label, path: p, url: qs ? `${v.path}?${qs}` : v.path, skipped: v.skipped });
    }
  }
  return targets;
}

async function resolveIds(url: string): Promise<{ values: Record<string, string> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const values: Record<string, string> = {};
    for (const [segment, src] of Object.entries(ID_SOURCES)) {
      const id = (await c.query<{ id: string }>(src.sql, [SCALE_CALLERS.communityId])).rows[0]?.id;
      if (id) values[segment] = id;
    }
    return { values };
  } finally {
    await c.end();
  }
}

/** Entries in the answer's arrays (itself, or arrays in its objects, however nested), whatever its shape. */
function arrayItems(body: Buffer): number {
  const count = (v: unknown, depth: number): number => {
    if (Array.isArray(v)) return v.length;
    if (!v || typeof v !== 'object' || depth > 3) return 0;
    return Object.values(v).reduce<number>((n, x) => n + count(x, depth + 1), 0);
  };
  try {
    return count(JSON.parse(body.toString('utf8')), 0);
  } catch {
    return 0; // not JSON: counts as empty
  }
}

/**
 * The role that sees the list: the first (resident, grid worker, clerk, committee, supervisor, street admin) that gets a
 * 200 with something in it; if every 200 is empty (or RLS hides the rows), the first 200.
 */
async function chooseRole(api: Api, t: Target, tokens: Record<Role, string>) {
  const seen: string[] = [];
  let firstOk: Role | undefined;
  for (const role of ROLES) {
    const r = await api.get(t, tokens[role]);
    seen.push(`${role} ${r.status}`);
    if (r.status !== 200) continue;
    firstOk ??= role;
    if (arrayItems(r.body) > 0) {
      t.role = role;
      return;
    }
  }
  if (firstOk) t.role = firstOk;
  else t.skipped = `no role got a 200 (${seen.join(', ')})`;
}

// ---------------------------------------------------------------- measuring

/**
 * 5 warm-up calls at each size, then 30 rounds of one call at each size, alternating which goes first: both
 * sizes see the same machine load (other work on the same cores), so a drift in load does not show up as
 * a difference between them.
 */
async function measure(
  api: { small: Api; large: Api },
  t: Target | { small: Target; large: Target },
  token: string,
): Promise<{ small: Figures; large: Figures }> {
  const target = 'url' in t ? { small: t, large: t } : t;
  for (let i = 0; i < WARMUP; i++) {
    await api.small.get(target.small, token);
    await api.large.get(target.large, token);
  }
  const acc = { small: collector(), large: collector() };
  const began = performance.now();
  for (let i = 0; i < CALLS && (i === 0 || performance.now() - began < BUDGET_MS); i++) {
    for (const size of i % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const)) {
      acc[size].add(await api[size].get(target[size], token));
    }
  }
  return { small: acc.small.figures(), large: acc.large.figures() };
}

function collector() {
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  let last: Awaited<ReturnType<Api['get']>> | undefined;
  return {
    add(r: Awaited<ReturnType<Api['get']>>) {
      ms.push(r.ms);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      last = r;
    },
    figures(): Figures {
      ms.sort((a, b) => a - b);
      const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)]!;
      const status = [...statuses].map(([s, n]) => (statuses.size === 1 ? String(s) : `${s}×${n}`)).join(' ');
      return { p50: pct(50), p95: pct(95), kb: last!.bytes / 1024, items: arrayItems(last!.body), n: ms.length, statuses: status, calls: last!.calls };
    },
  };
}

// ---------------------------------------------------------------- reporting

async function reportProblems(url: string, size: ScaleSize) {
  const problems = await checkScaleData(url);
  if (problems.length) log(`${size}: the generated data breaks a rule: ${problems.join('; ')}`);
}

function printCounts(seeded: Map<string, number>, base: Map<string, number>, small: Map<string, number>, large: Map<string, number>, timings: StepTiming[]) {
  console.log('\nRows per table (schema app): after the seeds, the base data, small, large');
  const rows = [...large.keys()].filter((t) => large.get(t) !== seeded.get(t));
  const w = Math.max(...rows.map((r) => r.length));
  const fmt = (n: number | undefined) => (n ?? 0).toLocaleString('en-US').padStart(11);
  console.log(`${'table'.padEnd(w)} ${'seeded'.padStart(11)} ${'base'.padStart(11)} ${'small'.padStart(11)} ${'large'.padStart(11)}`);
  for (const t of rows) console.log(`${t.padEnd(w)} ${fmt(seeded.get(t))} ${fmt(base.get(t))} ${fmt(small.get(t))} ${fmt(large.get(t))}`);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  console.log(
    `child rows (added after the base): small ${(sum(small) - sum(base)).toLocaleString('en-US')}, ` +
      `large ${(sum(large) - sum(base)).toLocaleString('en-US')}`,
  );
  console.log(`generation: ${timings.map((t) => `${t.step} ${secs(t.ms)}`).join('; ')}`);
}

function printTable(targets: Target[], figures: Map<Target, { small: Figures; large: Figures }>) {
  const header = ['endpoint', 'role', 'p50 small', 'p50 large', 'ratio', 'p95 small', 'p95 large', 'KB small', 'KB large', 'items', 'status', ''];
  const rows: string[][] = [];
  for (const t of targets) {
    if (t.skipped) continue;
    const { small: s, large: l } = figures.get(t)!;
    const ratio = l.p50 / s.p50;
    const marks = [ratio > SLOWER ? `slower ×${ratio.toFixed(1)}` : '', l.kb > BIG_KB ? `> ${BIG_KB} KB` : ''].filter(Boolean).join(', ');
    const status = s.statuses === l.statuses ? l.statuses : `${s.statuses} → ${l.statuses}`;
    const n = s.n < CALLS || l.n < CALLS ? ` (n ${s.n}/${l.n})` : '';
    rows.push([
      t.label,
      t.role!,
      ms(s.p50),
      ms(l.p50),
      ratio.toFixed(2),
      ms(s.p95),
      ms(l.p95),
      s.kb.toFixed(1),
      l.kb.toFixed(1),
      `${s.items} → ${l.items}`,
      status + n,
      marks ? `<< ${marks}` : '',
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 2 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  console.log(
    `\nList endpoints, ${CALLS} sequential calls at each size (alternating) after ${WARMUP} warm-up calls (ms; KB = uncompressed JSON; items = ` +
      `entries in the answer's arrays, small → large); << marks p50 more than ${SLOWER}× slower at large, or an answer over ${BIG_KB} KB`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  const skipped = targets.filter((t) => t.skipped);
  if (skipped.length) {
    console.log('\nSkipped:');
    for (const t of skipped) console.log(`  ${t.label}: ${t.skipped}`);
  }
}

const ms = (v: number) => v.toFixed(1);

/**
 * Dashboards keep a computed answer for ten minutes, so the table above measures reading it. Their cost when
 * computed (the first viewer in ten minutes, or 重新计算), measured with refresh=true after making every kept
 * answer two minutes older before each call (a refresh within a minute of the last count would serve it).
 */
async function printComputed(
  api: { small: Api; large: Api },
  measured: Target[],
  doc: OpenApi,
  tokens: Record<Role, string>,
  urls: { small: string; large: string },
) {
  const refreshable = measured.filter((t) => (doc.paths[t.path]?.get?.parameters ?? []).some((x) => x.in === 'query' && x.name === 'refresh'));
  if (!refreshable.length) return;
  const db = { small: new pg.Client({ connectionString: urls.small }), large: new pg.Client({ connectionString: urls.large }) };
  await db.small.connect();
  await db.large.connect();
  try {
    console.log('\nComputed on every call (refresh=true, kept answers aged first; the table above reads the answer kept for ten minutes):');
    for (const t of refreshable) {
      const fresh: Target = { ...t, url: `${t.url}${t.url.includes('?') ? '&' : '?'}refresh=true` };
      const acc = { small: collector(), large: collector() };
      for (let i = 0; i < WARMUP + CALLS; i++) {
        for (const size of i % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const)) {
          await db[size].query(`update app.dashboard_snapshots set computed_at = computed_at - interval '2 minutes'`);
          const r = await api[size].get(fresh, tokens[t.role!]);
          if (i >= WARMUP) acc[size].add(r);
        }
      }
      const f = { small: acc.small.figures(), large: acc.large.figures() };
      console.log(
        `  ${t.label}: p50 ${ms(f.small.p50)} → ${ms(f.large.p50)} ms (×${(f.large.p50 / f.small.p50).toFixed(2)}), ` +
          `p95 ${ms(f.small.p95)} → ${ms(f.large.p95)} ms, ${f.small.statuses === f.large.statuses ? f.large.statuses : `${f.small.statuses} → ${f.large.statuses}`}`,
      );
    }
  } finally {
    await db.small.end();
    await db.large.end();
  }
}

/**
 * Every slower row is measured once more (another 30 alternating rounds), to tell a real slowdown from a
 * burst of other work on the machine. And the small data set is sparse: in the community measured, many
 * pages are not full (5 notices where the large set has 20), so when the page grew, the large page is cut
 * to the small one's size (its `limit`): what is left is what the extra data costs per page.
 */
async function printAgain(
  api: { small: Api; large: Api },
  slow: Target[],
  figures: Map<Target, { small: Figures; large: Figures }>,
  tokens: Record<Role, string>,
) {
  if (!slow.length) return;
  console.log(`\nSlower rows measured again; where the page grew (and the endpoint takes a limit), with the large page cut to the small page's size:`);
  const rows = [['endpoint', 'large page', 'items', 'p50 small', 'p50 large', 'ratio', 'p95 small', 'p95 large', '']];
  for (const t of slow) {
    const before = figures.get(t)!;
    const n = before.small.items;
    const cut = n > 0 && n < before.large.items && /[?&]limit=20\b/.test(t.url);
    const large: Target = cut ? { ...t, url: t.url.replace(/([?&]limit=)20\b/, `$1${n}`) } : t;
    const f = await measure(api, { small: t, large }, tokens[t.role!]);
    const ratio = f.large.p50 / f.small.p50;
    rows.push([
      t.label,
      cut ? `limit ${n}` : 'as before',
      `${f.small.items} → ${f.large.items}`,
      ms(f.small.p50),
      ms(f.large.p50),
      ratio.toFixed(2),
      ms(f.small.p95),
      ms(f.large.p95),
      ratio > SLOWER ? `<< slower ×${ratio.toFixed(1)}` : '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [k, r] of rows.entries()) {
    console.log(
      r
        .map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join(' | ')
        .trimEnd(),
    );
    if (k === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

/**
 * The plans the database function of each slow endpoint ran at the large size. The API's recorded call is
 * replayed, as the same person, with the exact statements the pg adapter sends (callText), on a session of
 * our own that has auto_explain loaded and reports plans to the client (auto_explain.log_level = notice):
 * the API's pooled sessions cannot be reached from here, and embedded Postgres's server log is not kept.
 * The call runs 6 times first so the session's plan cache is where a pooled connection's would be (custom
 * plans, or the generic plan PL/pgSQL and SQL functions switch to); the 7th is the one shown.
 */
async function printPlans(url: string, slow: Target[], figures: Map<Target, { small: Figures; large: Figures }>) {
  if (!slow.length) {
    console.log(`\nNo endpoint is more than ${SLOWER}× slower at the large size: no plans to show.`);
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  let autoExplain = true;
  try {
    await c.query(`load 'auto_explain'`);
    await c.query(`set auto_explain.log_nested_statements = on; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on;
                   set auto_explain.log_timing = on; set auto_explain.log_triggers = off; set auto_explain.log_level = notice;
                   set auto_explain.log_parameter_max_length = 0;
                   set auto_explain.log_min_duration = -1`);
  } catch (err) {
    autoExplain = false;
    console.log(
      `\nauto_explain could not be loaded (${(err as Error).message}): showing EXPLAIN (ANALYZE, BUFFERS) of each function ` +
        'call instead. That shows only the top-level call, not the statements run inside the function (nested plans are not shown).',
    );
  }
  try {
    for (const t of slow) {
      const f = figures.get(t)!.large;
      console.log(`\n==== ${t.label} as ${t.role} (p50 ${ms(f.p50)} ms at large)`);
      if (!f.calls.length) {
        console.log('  (no database call recorded)');
        continue;
      }
      for (const call of f.calls) {
        const sql = callText(call.fn as never, call.args, call.caller, []);
        console.log(
          `  database function: public.${call.fn}(${Object.entries(call.args)
            .map(([k, v]) => `${k} => ${JSON.stringify(v)}`)
            .join(', ')})`,
        );
        if (!autoExplain) {
          const statements = sql.split(';\n');
          const res = (await c.query(
            `${statements.slice(0, -1).join(';\n')};\nexplain (analyze, buffers) ${statements.at(-1)}`,
          )) as unknown as pg.QueryResult[];
          const plan = res
            .at(-1)!
            .rows.map((r) => (r as Record<string, string>)['QUERY PLAN'])
            .join('\n');
          console.log(indent(plan, '    '));
          continue;
        }
        for (let i = 0; i < 6; i++) await c.query(sql);
        notices.length = 0;
        await c.query('set auto_explain.log_min_duration = 0');
        await c.query(sql);
        await c.query('set auto_explain.log_min_duration = -1');
        printExplained(notices.splice(0), sql);
      }
    }
  } finally {
    await c.end();
  }
}

interface Explained {
  ms: number;
  query: string;
  plan: string;
}

function printExplained(messages: string[], sql: string) {
  const flat = (q: string) => q.replace(/\s+/g, ' ').trim();
  const plans: Explained[] = messages
    .map((m) => {
      const lines = m.split('\n');
      const ms = Number(/^duration: ([\d.]+) ms/.exec(lines[0] ?? '')?.[1] ?? NaN);
      // "Query Text: …" (possibly many lines), then the plan, whose first line is the top node with its costs.
      const start = lines.findIndex((l, i) => i > 1 && /\(cost=\d/.test(l));
      const query = flat(
        lines
          .slice(1, start < 0 ? undefined : start)
          .join('\n')
          .replace(/^Query Text: /, ''),
      );
      return { ms, query, plan: start < 0 ? '' : lines.slice(start).join('\n') };
    })
    .filter((p) => Number.isFinite(p.ms));
  // The statements the adapter sends are logged with the whole message as their text; the function call is the longest.
  const whole = flat(sql);
  const top = plans.filter((p) => p.query === whole).sort((a, b) => b.ms - a.ms)[0];
  const nested = plans.filter((p) => p.query !== whole && !/^select p\.session_version/i.test(p.query));
  if (top) console.log(`  the call took ${ms(top.ms)} ms; ${nested.length} statements ran inside it`);
  // A statement that ran many times (a function called per row) is the usual reason a list grows with its table.
  const groups = new Map<string, { n: number; total: number }>();
  for (const p of nested) {
    const g = groups.get(p.query) ?? { n: 0, total: 0 };
    g.n++;
    g.total += p.ms;
    groups.set(p.query, g);
  }
  const byTotal = [...groups].sort((a, b) => b[1].total - a[1].total).slice(0, 6);
  if (byTotal.length) {
    console.log('  statements inside, by total time (ms, runs, statement):');
    for (const [q, g] of byTotal) console.log(`    ${ms(g.total).padStart(8)}  ${String(g.n).padStart(5)} ×  ${clip(q, 160)}`);
  }
  // The plans of the slowest statement, and of the statement that cost most in total over many runs (per row).
  const slowest = [...nested].sort((x, y) => y.ms - x.ms)[0];
  const repeated = [...groups].filter(([, g]) => g.n > 1).sort((x, y) => y[1].total - x[1].total)[0];
  const perRow = repeated && repeated[0] !== slowest?.query ? [...nested].filter((p) => p.query === repeated[0]).sort((x, y) => y.ms - x.ms)[0] : undefined;
  for (const [what, p] of [
    ['the slowest statement inside', slowest],
    [`the statement run ${repeated?.[1].n} times (its slowest run)`, perRow],
  ] as const) {
    if (!p) continue;
    console.log(`  plan of ${what} (${ms(p.ms)} ms): ${clip(p.query, 200)}`);
    const lines = p.plan.split('\n');
    console.log(indent(lines.slice(0, 45).join('\n'), '    ') + (lines.length > 45 ? `\n    … ${lines.length - 45} more lines` : ''));
  }
  if (!nested.length && top) console.log(indent(top.plan, '    '));
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const indent = (s: string, pad: string) =>
  s
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
