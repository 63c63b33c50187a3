import { existsSync } from 'node:fs';
import { depsFromEnv } from '../api/_lib/app.js';
import { LOCAL_JWT_SECRET } from './lib/local-env.js';
import { startLocalPostgres } from './lib/local-pg.js';
import { migrate, seed } from './lib/migrate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { httpClient, measure, report, serverProcess } from './lib/bench-harness.js';
import { goodsWithStock, residentsWithPoints } from './lib/fixtures.js';

// `npm run bench`: figures, not tests. It writes demo-irrelevant rows (压测居民, 压测商品) into a
// throw-away database, never into .data/pg: the embedded Postgres gets a fresh data folder per run. Each domain adds its rows; every row is measured end to end
// through the HTTP API against the local server, next to the same database function called over pg.
// Local settings (never committed): .env.local, then the shell's own variables win.
if (existsSync('.env.local')) process.loadEnvFile('.env.local');

// `npm run bench -- --scale`: the scale benchmark (every list endpoint, small against large data) instead.
if (process.argv.includes('--scale')) {
  await (await import('./bench-scale.js')).runScaleBench();
  process.exit(0);
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'cunju-bench-'));
const local = await startLocalPostgres({ dir: dataDir, quiet: true, fast: true });
const url = local.url();
await migrate(url);
await seed(url);
console.log('[bench] fresh embedded Postgres 17, migrated and seeded');
const serverEnv = {
  ...process.env,
  NODE_ENV: 'test',
  DATABASE_URL: url,
  JWT_SECRET: LOCAL_JWT_SECRET,
  DEV_LOGIN: 'on',
  LOG_LEVEL: 'silent',
  AUTH_RATE_LIMIT: '100000',
};
// The server runs in its own process, as in production; this process is the client and calls pg directly.
const deps = depsFromEnv(serverEnv);
const server = await serverProcess(serverEnv);
const client = httpClient(server.url);
try {
  const login = (await (
    await fetch(`${server.url}/api/auth/dev`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'resident' }),
    })
  ).json()) as { token: string; profile: { id: string } };
  const headers = { authorization: `Bearer ${login.token}` };
  // The same claims the API would set from this token (subject, role, session version).
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const caller = { kind: 'user' as const, sub: login.profile.id, token: login.token, claims: claimsOf(login.token) };

  // Warm up connections, plans and the server's compiled code, on both sides alike: the figures are of a
  // running server, not of its first seconds.
  await measure('warm-up', 2000, 16, () => deps.db.rpc('get_me', {}, caller));
  await measure('warm-up', 2000, 16, () => client.request('GET', '/api/me', headers));

  // Each pair is measured in alternating rounds (HTTP, then pg, then HTTP …) and reported as the median
  // round: one round of a few seconds on a 2-core machine moves by ±15 % with whatever else runs.
  const ROUNDS = 5;
  const me: Awaited<ReturnType<typeof measure>>[][] = [[], []];
  const redemptions: Awaited<ReturnType<typeof measure>>[][] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    me[0]!.push(
      await measure('GET /api/me over HTTP', 2000, 16, async () => {
        const r = await client.request('GET', '/api/me', headers);
        if (r.status !== 200) throw new Error(String(r.status));
      }),
    );
    me[1]!.push(await measure('get_me() over pg', 2000, 16, () => deps.db.rpc('get_me', {}, caller)));

    // Redemptions: 400 new residents with points each redeem one unit of a well-stocked good, first through
    // the HTTP API (token, validation, JSON) and then, for another good, by calling redeem_goods over pg.
    const N = 400;
    const people = await residentsWithPoints(url, N);
    const httpTokens = await Promise.all(people.map((sub) => deps.tokens.sign(sub, 1)));
    const callers = people.map((sub, i) => ({ kind: 'user' as const, sub, token: '', claims: claimsOf(httpTokens[i]!) }));
    const [goodsHttp, goodsPg] = [await goodsWithStock(url, N), await goodsWithStock(url, N)];
    redemptions[0]!.push(
      await measure('POST /api/mall/redemptions over HTTP', N, 16, async (i) => {
        const r = await client.request(
          'POST',
          '/api/mall/redemptions',
          { authorization: `Bearer ${httpTokens[i]}`, 'content-type': 'application/json', 'idempotency-key': `bench-http-${round}-${i}-0000` },
          JSON.stringify({ goodsId: goodsHttp }),
        );
        if (r.status !== 201) throw new Error(String(r.status));
      }),
    );
    redemptions[1]!.push(
      await measure('redeem_goods() over pg', N, 16, (i) =>
        deps.db.rpc('redeem_goods', { p_goods_id: goodsPg, p_idempotency_key: `bench-pg-${round}-${i}-0000` }, callers[i]!),
      ),
    );
  }
  const median = (rows: Awaited<ReturnType<typeof measure>>[]) => [...rows].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rows.length / 2)]!;
  const rows = [...me, ...redemptions].map(median);
  console.log(`\nMedian round of ${ROUNDS} (HTTP and pg alternating):`);
  report(rows);
  await benchImport(server.url);
  const ratio = (pair: typeof me) => {
    const perRound = pair[0]!.map((h, i) => (h.perSecond / pair[1]![i]!.perSecond).toFixed(2));
    return `${(median(pair[0]!).perSecond / median(pair[1]!).perSecond).toFixed(2)} (rounds: ${perRound.join(', ')})`;
  };
  console.log(`\nHTTP / pg ratio for get_me: ${ratio(me)}`);
  console.log(`HTTP / pg ratio for redemptions: ${ratio(redemptions)}`);
} finally {
  client.close();
  await server.close();
  await deps.db.close();
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * A street office's sheet of 10,000 residents in 5,000 households over 100 buildings and 10 grids, uploaded
 * as .xlsx by the street admin into a new community: the dry run, the real import, and the same sheet again.
 */
async function benchImport(base: string) {
  const ExcelJS = (await import('exceljs')).default;
  const post = async (path: string, init: RequestInit & { token: string }) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${init.token}` } });
  const token = (
    (await (
      await fetch(`${base}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'admin' }) })
    ).json()) as { token: string }
  ).token;
  const created = (await (
    await post('/api/admin/communities', {
      token,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streetId: '10000000-0000-4000-8000-000000000001', name: '压测社区', kind: 'community' }),
    })
  ).json()) as { id: string };
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('台账');
  sheet.addRow(['网格', '楼栋', '门牌号', '姓名', '手机号', '与户主关系']);
  for (let i = 0; i < 10_000; i++) {
    const h = Math.floor(i / 2);
    sheet.addRow([
      `压测${Math.floor(h / 500) + 1}网格`,
      `${Math.floor(h / 50) + 1}号楼`,
      `${(h % 50) + 101}室`,
      `压测居民${i}`,
      `137${String(i).padStart(8, '0')}`,
      i % 2 ? '配偶' : '户主',
    ]);
  }
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const send = async (dryRun: boolean) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), '台账.xlsx');
    const t0 = performance.now();
    const r = await post(`/api/admin/communities/${created.id}/imports?dryRun=${dryRun}`, { token, method: 'POST', body: form });
    const body = (await r.json()) as { created: number; unchanged: number; refused: number };
    if (r.status !== 200) throw new Error(`import ${r.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t0, body };
  };
  const dry = await send(true);
  const real = await send(false);
  const again = await send(false);
  console.log(`\nImport of a 10,000-row .xlsx (${Math.round(bytes.length / 1024)} KB) over HTTP:`);
  console.log(`  dry run      ${(dry.ms / 1000).toFixed(1)} s  (would create ${dry.body.created}, refuse ${dry.body.refused})`);
  console.log(`  import       ${(real.ms / 1000).toFixed(1)} s  (created ${real.body.created})`);
  console.log(`  same again   ${(again.ms / 1000).toFixed(1)} s  (unchanged ${again.body.unchanged})`);
}
