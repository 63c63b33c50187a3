import { existsSync } from 'node:fs';
import { migrate, seed } from './lib/migrate.js';

// `npm run db:migrate [-- --seed]`: applies pending migrations to DATABASE_URL (e.g. a self-hosted
// Supabase or Postgres in production). Demo seeds only with --seed.
if (existsSync('.env.local')) process.loadEnvFile('.env.local');
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to the database to migrate (npm start migrates the embedded one by itself).');
  process.exit(1);
}
const r = await migrate(url, (m) => console.log(`[db:migrate] ${m}`));
console.log(`[db:migrate] ${r.applied.length} applied, ${r.skipped.length} already there${r.supabase ? ' (Supabase: supabase/local skipped)' : ''}`);
if (process.argv.includes('--seed')) await seed(url, (m) => console.log(`[db:migrate] ${m}`));
