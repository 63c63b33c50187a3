import path from 'node:path';
import { startLocalPostgres, type LocalPostgres } from './local-pg.js';
import { migrate, seed, repoRoot } from './migrate.js';

/** The JWT secret used when none is configured: fine for a laptop, refused in production by loadEnv's caller. */
export const LOCAL_JWT_SECRET = 'cunju-local-development-secret-change-me-0123456789';

/**
 * The database for `npm start`, `npm run bench` and `npm run db:reset`: DATABASE_URL if set (any
 * Postgres, e.g. a Supabase database), otherwise the embedded Postgres kept in .data/pg.
 */
export async function localDatabase(opts: { log: (m: string) => void; seed?: boolean }): Promise<{ url: string; pg: LocalPostgres | null }> {
  let pg: LocalPostgres | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    const port = Number(process.env.PG_PORT ?? 54329);
    opts.log(`starting embedded Postgres on port ${port} (data in .data/pg)…`);
    pg = await startLocalPostgres({ dir: path.join(repoRoot, '.data/pg'), port, quiet: true });
    url = pg.url();
  }
  const result = await migrate(url, opts.log);
  opts.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already there${result.supabase ? ' (Supabase)' : ''}`);
  if (opts.seed !== false) await seed(url, opts.log);
  return { url, pg };
}
