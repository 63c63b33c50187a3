import { existsSync } from 'node:fs';
import { depsFromEnv } from '../api/_lib/app.js';
import { isProduction } from '../api/_lib/env.js';
import { localDatabase, LOCAL_JWT_SECRET } from './lib/local-env.js';
import { buildMiniapp } from './lib/miniapp-build.js';
import { startServer } from './serve.js';

// `npm start`: database, migrations, seeds, both builds, then the server. Ctrl-C stops Postgres cleanly.
// Local settings (never committed): .env.local, then the shell's own variables win.
if (existsSync('.env.local')) process.loadEnvFile('.env.local');

const log = (m: string) => console.log(`[start] ${m}`);
const t0 = Date.now();
const port = Number(process.env.PORT ?? 3000);

const production = isProduction();
if (production && !process.env.JWT_SECRET && !process.env.JWT_PRIVATE_KEY) {
  console.error('[start] NODE_ENV=production needs JWT_SECRET or JWT_PRIVATE_KEY; the local development secret is not used in production.');
  process.exit(1);
}
// Demo data is for laptops and demos, never for a production database.
const { url, pg } = await localDatabase({ log, seed: !production });
let server: Awaited<ReturnType<typeof startServer>> | null = null;

async function shutdown(code = 0) {
  log('stopping…');
  await server?.close().catch(() => undefined);
  await pg?.stop().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
// Whatever ends the server, Postgres is stopped with it (a leftover one is stopped by the next start).
process.on('uncaughtException', (err) => {
  console.error(err);
  void shutdown(1);
});
process.on('unhandledRejection', (err) => {
  console.error(err);
  void shutdown(1);
});

try {
  log('building the H5 app (skipped when unchanged)…');
  const h5 = buildMiniapp('h5');
  log(h5.built ? `H5 built in ${(h5.ms / 1000).toFixed(1)} s` : 'H5 build is up to date');
  // A production mini-program talks to the real API domain, never to localhost.
  const weappBase = process.env.WEAPP_API_BASE ?? (production ? undefined : `http://localhost:${port}`);
  if (weappBase) {
    log(`building the weapp output for WeChat DevTools (API ${weappBase})…`);
    const weapp = buildMiniapp('weapp', { TARO_APP_API_BASE: weappBase });
    log(weapp.built ? `weapp built in ${(weapp.ms / 1000).toFixed(1)} s` : 'weapp build is up to date');
  } else {
    log('weapp build skipped: set WEAPP_API_BASE to your API domain (https://…) to build the mini-program');
  }

  // Whether demo sign-in exists is decided in one place (api/_lib/env.ts): never in production.
  const deps = depsFromEnv({
    ...process.env,
    DATABASE_URL: url,
    JWT_SECRET: process.env.JWT_SECRET ?? (process.env.JWT_PRIVATE_KEY ? undefined : LOCAL_JWT_SECRET),
  });
  server = await startServer(deps, port, process.env.HOST ?? '0.0.0.0', { jobs: true });
  const { personas } = deps.env.devLogin
    ? ((await (await fetch(`${server.url}/api/auth/dev/personas`)).json()) as {
        personas?: Array<{ persona: string; name: string; roles: string[]; community: string | null }>;
      })
    : { personas: undefined };
  console.log(`\n  村居通 is running: ${server.url}/   (API: ${server.url}/api, OpenAPI: ${server.url}/api/openapi.json)`);
  console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; WeChat DevTools: open this folder (project.config.json → miniapp/dist)\n`);
  if (personas?.length) {
    console.log('  Demo personas (choose one on the login page):');
    for (const p of personas) console.log(`    ${p.persona.padEnd(18)} ${p.name}  ${p.community ?? ''}  ${p.roles.join(', ')}`);
  }
  console.log('\n  Ctrl-C to stop.');
} catch (err) {
  console.error(err);
  await shutdown(1);
}
