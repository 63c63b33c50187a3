import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface MigrationResult {
  supabase: boolean;
  applied: string[];
  skipped: string[];
}

/**
 * Applies supabase/migrations/*.sql in order, each in its own transaction, and records them in
 * supabase_migrations.schema_migrations as the Supabase CLI does (version = the timestamp prefix,
 * name = the rest, statements = the file's SQL), so `supabase db push` sees them as applied.
 * On plain Postgres it first applies supabase/local/*.sql (roles and auth.* that Supabase provides).
 */
export async function migrate(databaseUrl: string, log: (m: string) => void = () => undefined): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const supabase = (await client.query(`select 1 from pg_roles where rolname = 'supabase_admin'`)).rowCount === 1;
    if (!supabase) {
      for (const f of sqlFiles(path.join(root, 'supabase/local'))) {
        await client.query(readFileSync(f, 'utf8'));
      }
    }
    await client.query(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
      alter table supabase_migrations.schema_migrations add column if not exists statements text[];
      alter table supabase_migrations.schema_migrations add column if not exists name text;`);
    const recorded = new Map(
      (await client.query<{ version: string; statements: string[] | null }>('select version, statements from supabase_migrations.schema_migrations')).rows.map(
        (r) => [r.version, r.statements],
      ),
    );
    const files = sqlFiles(path.join(root, 'supabase/migrations'));
    // A landed migration never changes: refuse to run against a database whose recorded migrations differ
    // from the files, before applying anything. Every change is a new dated migration.
    assertNoDrift(files, recorded);
    const applied: string[] = [];
    const skipped: string[] = [];
    for (const file of files) {
      const [version, name] = parseMigrationName(file);
      if (recorded.has(version)) {
        skipped.push(version);
        continue;
      }
      const sql = readFileSync(file, 'utf8');
      try {
        await client.query('begin');
        await client.query(sql);
        await client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [version, name, [sql]]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        const e = err as { message: string; position?: string };
        throw new Error(`migration ${path.basename(file)} failed: ${e.message}${e.position ? ` (at character ${e.position})` : ''}`);
      }
      log(`applied ${path.basename(file)}`);
      applied.push(version);
    }
    return { supabase, applied, skipped };
  } finally {
    await client.end();
  }
}

/** Applies seeds/*.sql in order. Seeds are idempotent (fixed ids, `on conflict do nothing`). */
export async function seed(databaseUrl: string, log: (m: string) => void = () => undefined): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const file of sqlFiles(path.join(root, 'seeds'))) {
      try {
        await client.query('begin');
        await client.query(readFileSync(file, 'utf8'));
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw new Error(`seed ${path.basename(file)} failed: ${(err as Error).message}`);
      }
      log(`seeded ${path.basename(file)}`);
    }
  } finally {
    await client.end();
  }
}

function parseMigrationName(file: string): [version: string, name: string] {
  const m = MIGRATION_FILE.exec(path.basename(file));
  if (!m) throw new Error(`migration file name must be <YYYYMMDDHHMMSS>_<name>.sql: ${file}`);
  return [m[1]!, m[2]!];
}

export class MigrationDriftError extends Error {}

/**
 * Compares what the database recorded for each applied migration with the file of that version.
 * Statements recorded by the Supabase CLI are split per statement; ours are the whole file. Either way,
 * the joined text with whitespace normalised must equal the file's.
 */
export function assertNoDrift(files: string[], recorded: Map<string, string[] | null>): void {
  const problems: string[] = [];
  const byVersion = new Map(files.map((f) => [parseMigrationName(f)[0], f]));
  for (const [version, statements] of recorded) {
    const file = byVersion.get(version);
    if (!file) {
      problems.push(`  ${version}: applied to this database, but there is no supabase/migrations/${version}_*.sql`);
      continue;
    }
    if (!statements) continue; // recorded without statements (older CLI): nothing to compare
    if (normalise(statements.join(';\n')) !== normalise(readFileSync(file, 'utf8'))) {
      problems.push(`  ${path.relative(root, file)}: changed after it was applied to this database`);
    }
  }
  if (problems.length) {
    throw new MigrationDriftError(
      `Migrations differ from what this database recorded:\n${problems.join('\n')}\n` +
        'A landed migration never changes: restore the file from git and put the change in a new dated migration. ' +
        '(A local demo database can be started over with `npm run db:reset`.)',
    );
  }
}

function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/g, '').trim().replace(/ ?; ?/g, ';');
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => path.join(dir, f));
}

export const repoRoot = root;
