import { existsSync } from 'node:fs';
import { depsFromEnv } from '../api/_lib/app.js';
import { LOCAL_JWT_SECRET, localDatabase } from './lib/local-env.js';
import { startServer } from './serve.js';
import { measure, report } from './lib/bench-harness.js';

// `npm run bench`: figures, not tests. Each domain adds its rows; every row is measured end to end
// through the HTTP API against the local server, next to the same database function called over pg.
// Local settings (never committed): .env.local, then the shell's own variables win.
if (existsSync('.env.local')) process.loadEnvFile('.env.local');

const { url, pg } = await localDatabase({ log: (m) => console.log(`[bench] ${m}`) });
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
  report(rows);
  console.log(`\nHTTP / pg ratio for get_me: ${(rows[0]!.perSecond / rows[1]!.perSecond).toFixed(2)}`);
} finally {
  await server.close();
  await deps.db.close();
  await pg?.stop();
}
