import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDbTypes } from '../../scripts/lib/db-types.js';
import { repoRoot } from '../../scripts/lib/migrate.js';
import { testDb } from '../../test/db.js';

// Route handlers call database functions through the types generated from the catalog; a migration that
// adds or changes a function without regenerating them would let a handler drift from the database.
describe('generated database types', () => {
  it('match the migrated catalog (run `npm run db:types` after changing a function)', async () => {
    const db = await testDb();
    try {
      const committed = readFileSync(path.join(repoRoot, 'api/_lib/db-types.gen.ts'), 'utf8');
      expect(await generateDbTypes(db.url)).toBe(committed);
    } finally {
      await db.close();
    }
  });
});
