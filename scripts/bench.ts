import { existsSync } from 'node:fs';
import { depsFromEnv } from '../api/_lib/app.js';
import { LOCAL_JWT_SECRET } from './lib/local-env.js';
import { startLocalPostgres } from './lib/local-pg.js';
import { migrate, seed } from './lib/migrate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './serve.js';
import { measure, report } from './lib/bench-harness.js';
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
const deps = depsFromEnv({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url, JWT_SECRET: LOCAL_JWT_SECRET, DEV_LOGIN: 'on', LOG_LEVEL: 'silent', AUTH_RATE_LIMIT: '100000' });
const server = await startServer(deps, 0);
try {
  const login = (await (await fetch(`${server.url}/api/auth/dev`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'resident' }),
  })).json()) as { token: string; profile: { id: string } };
  const headers = { authorization: `Bearer ${login.token}` };
  const caller = { kind: 'user' as const, sub: login.profile.id, token: login.token, claims: { sub: login.profile.id, role: 'authenticated' } };

  // Warm up connections and plans.
  for (let i = 0; i < 50; i++) await deps.db.rpc('get_me', {}, caller);

  const rows = [];
  rows.push(await measure('GET /api/me over HTTP', 2000, 16, async () => {
    const r = await fetch(`${server.url}/api/me`, { headers });
    if (!r.ok) throw new Error(String(r.status));
    await r.arrayBuffer();
  }));
  rows.push(await measure('get_me() over pg', 2000, 16, () => deps.db.rpc('get_me', {}, caller)));

  // Redemptions: 400 residents with points each redeem one unit of a well-stocked good, first through the
  // HTTP API (token, validation, JSON) and then, for another good, by calling redeem_goods over pg directly.
  const N = 400;
  const people = await residentsWithPoints(url, N);
  const tokens = people.map((sub) => ({ sub, caller: { kind: 'user' as const, sub, token: '', claims: { sub, role: 'authenticated' } } }));
  const httpTokens = await Promise.all(people.map((sub) => deps.tokens.sign(sub, 1)));
  const [goodsHttp, goodsPg] = [await goodsWithStock(url, N), await goodsWithStock(url, N)];
  rows.push(await measure('POST /api/mall/redemptions over HTTP', N, 16, async (i) => {
    const r = await fetch(`${server.url}/api/mall/redemptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${httpTokens[i]}`, 'content-type': 'application/json', 'idempotency-key': `bench-http-${i}-0000` },
      body: JSON.stringify({ goodsId: goodsHttp }),
    });
    if (r.status !== 201) throw new Error(String(r.status));
    await r.arrayBuffer();
  }));
  rows.push(await measure('redeem_goods() over pg', N, 16, (i) =>
    deps.db.rpc('redeem_goods', { p_goods_id: goodsPg, p_idempotency_key: `bench-pg-${i}-0000` }, tokens[i]!.caller)));
  report(rows);
  console.log(`\nHTTP / pg ratio for get_me: ${(rows[0]!.perSecond / rows[1]!.perSecond).toFixed(2)}`);
  console.log(`HTTP / pg ratio for redemptions: ${(rows[2]!.perSecond / rows[3]!.perSecond).toFixed(2)}`);
} finally {
  await server.close();
  await deps.db.close();
  await local.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
