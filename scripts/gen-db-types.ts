import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDbTypes } from './lib/db-types.js';
import { startLocalPostgres } from './lib/local-pg.js';
import { migrate, repoRoot } from './lib/migrate.js';

// `npm run db:types`: migrates a throw-away embedded Postgres and writes api/_lib/db-types.gen.ts from its catalog.
const dir = mkdtempSync(path.join(tmpdir(), 'cunju-dbtypes-'));
const local = await startLocalPostgres({ dir, quiet: true, fast: true });
try {
  await migrate(local.url());
  const out = path.join(repoRoot, 'api/_lib/db-types.gen.ts');
  writeFileSync(out, await generateDbTypes(local.url()));
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
}
