import { rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/migrate.js';
import { localDatabase } from './lib/local-env.js';

// `npm run db:reset`: throws away the local embedded database and builds it again from migrations and seeds.
// With DATABASE_URL set it refuses: dropping someone's real database is not a reset.
if (process.env.DATABASE_URL) {
  console.error('db:reset only resets the embedded database in .data/pg; unset DATABASE_URL to use it.');
  process.exit(1);
}
rmSync(path.join(repoRoot, '.data/pg'), { recursive: true, force: true });
const { pg } = await localDatabase({ log: (m) => console.log(`[db:reset] ${m}`) });
await pg?.stop();
console.log('[db:reset] done');
