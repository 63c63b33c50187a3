import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrate, MigrationDriftError, repoRoot } from '../../scripts/lib/migrate.js';

// A database created from template0: nothing but Postgres itself.
let url = '';
const name = `empty_${randomBytes(4).toString('hex')}`;
async function admin<T>(fn: (c: pg.Client) => Promise<T>) {
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`create database ${name} template template0`));
  url = inject('pgAdminUrl').replace(/\/[^/]*$/, `/${name}`);
});
afterAll(async () => {
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
});

async function query<T extends pg.QueryResultRow>(text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/** A fingerprint of everything the migrations create, to prove a second run changes nothing. */
const fingerprintSql = `
  select string_agg(x, E'\\n' order by x) as fp from (
    select 'table ' || schemaname || '.' || tablename from pg_tables where schemaname in ('app', 'public', 'auth')
    union all select 'policy ' || schemaname || '.' || tablename || ' ' || policyname from pg_policies
    union all select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc)
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('app', 'public', 'auth')
    union all select 'migration ' || version || ' ' || name from supabase_migrations.schema_migrations
  ) s(x)`;

describe('migrations', () => {
  it('apply on an empty database and record themselves as the Supabase CLI does', async () => {
    const first = await migrate(url);
    expect(first.supabase).toBe(false);
    expect(first.applied.length).toBeGreaterThan(0);
    const rows = await query<{ version: string; name: string; statements: string[] }>(
      'select version, name, statements from supabase_migrations.schema_migrations order by version',
    );
    expect(rows.map((r) => r.version)).toEqual(first.applied);
    for (const r of rows) {
      expect(r.version).toMatch(/^\d{14}$/);
      expect(r.name).toMatch(/^[a-z0-9_]+$/);
      // What was run is recorded: the file's own text, not an empty list.
      const file = readFileSync(path.join(repoRoot, 'supabase/migrations', `${r.version}_${r.name}.sql`), 'utf8');
      expect(r.statements.join('').trim().length).toBeGreaterThan(0);
      expect(file).toContain(r.statements.join('').trim().split('\n').at(-1)!.trim());
    }
  });

  it('apply again with no change', async () => {
    const before = (await query<{ fp: string }>(fingerprintSql))[0]!.fp;
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.skipped.length).toBeGreaterThan(0);
    const after = (await query<{ fp: string }>(fingerprintSql))[0]!.fp;
    expect(after).toBe(before);
  });

  it('leave no table in app without row level security and no table without a comment', async () => {
    const tables = await query<{ relname: string; rls: boolean; comment: string | null }>(`
      select c.relname, c.relrowsecurity as rls, obj_description(c.oid, 'pg_class') as comment
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'app' and c.relkind in ('r', 'p')`);
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.filter((t) => !t.rls).map((t) => t.relname)).toEqual([]);
    expect(tables.filter((t) => !t.comment).map((t) => t.relname)).toEqual([]);
  });

  it('leave no security definer function without a fixed, empty search_path', async () => {
    const fns = await query<{ fn: string; config: string[] | null }>(`
      select n.nspname || '.' || p.proname as fn, p.proconfig as config
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname in ('app', 'public')`);
    expect(fns.length).toBeGreaterThan(5);
    const bad = fns.filter((f) => !(f.config ?? []).some((c) => c === 'search_path=""' || c === "search_path=''"));
    expect(bad.map((f) => f.fn)).toEqual([]);
  });

  it('give residents no direct write grant on any table', async () => {
    const writes = await query<{ t: string; p: string }>(`
      select table_schema || '.' || table_name as t, privilege_type as p
        from information_schema.role_table_grants
       where grantee in ('authenticated', 'anon') and table_schema = 'app'
         and privilege_type in ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')`);
    expect(writes).toEqual([]);
  });

  it('let anon execute no function in public but the pre-request check', async () => {
    // PostgREST runs db-pre-request as the request's role, anonymous callers included; it only reads.
    const fns = await query<{ fn: string }>(`
      select p.proname as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and has_function_privilege('anon', p.oid, 'execute')`);
    expect(fns).toEqual([{ fn: 'check_request' }]);
  });

  it('refuse to run when a recorded migration differs from its file, naming the file, and apply nothing', async () => {
    const [first] = await query<{ version: string; statements: string[] }>(
      'select version, statements from supabase_migrations.schema_migrations order by version limit 1',
    );
    const original = first!.statements;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`update supabase_migrations.schema_migrations set statements = array['-- edited after landing'] where version = $1`, [first!.version]);
      const err = await migrate(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MigrationDriftError);
      expect(String((err as Error).message)).toContain(`supabase/migrations/${first!.version}_`);
      expect(String((err as Error).message)).toContain('new dated migration');
      // A migration the database has but the checkout lacks is refused too.
      await c.query(`update supabase_migrations.schema_migrations set statements = $2 where version = $1`, [first!.version, original]);
      await c.query(
        `insert into supabase_migrations.schema_migrations (version, name, statements) values ('29991231000000', 'from_the_future', array['select 1'])`,
      );
      const missing = await migrate(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(String((missing as Error).message)).toContain('29991231000000');
      await c.query(`delete from supabase_migrations.schema_migrations where version = '29991231000000'`);
      expect((await migrate(url)).applied).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('give every table the tenant key, except the documented reference tables', async () => {
    // Global by nature (docs/scale.md): replicated to every node when the database is distributed by community.
    const REFERENCE_TABLES: Record<string, string> = {
      streets: 'the level above communities',
      communities: 'the tenants themselves (their id is the key)',
      profiles: 'a person may belong to several communities',
      street_admins: 'street level',
      consents: "a person's own consents, not a community's",
      notifications: "a person's own inbox across communities",
      outbox: "messages to a person's WeChat, sent by the server",
      rate_limits: 'request counters of the API',
      retention_periods: 'how long each kind of record is kept: the same rules for every community',
      departments: 'street-level departments a report can call in (城管, 供电所…)',
      department_contacts: 'the people who answer 报到 for a street department',
    };
    const tables = await query<{ t: string; keyed: boolean }>(`
      select c.relname as t, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'community_id' and not a.attisdropped) as keyed
        from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p')`);
    const missing = tables.filter((x) => !x.keyed && !(x.t in REFERENCE_TABLES)).map((x) => x.t);
    expect(missing).toEqual([]);
    // Every listed reference table exists and really has no tenant key.
    for (const name of Object.keys(REFERENCE_TABLES)) expect(tables.find((x) => x.t === name)?.keyed, name).toBe(false);
  });
});
