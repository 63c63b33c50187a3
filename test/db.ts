import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { inject, expect } from 'vitest';
import { createPgDb } from '../api/_lib/db-pg.js';
import type { Caller, DbFunction } from '../api/_lib/db.js';
import { ApiError } from '../api/_lib/errors.js';
import { persona, type PersonaName } from './personas.js';

/** The claims PostgREST would see for a person signed in under session version 1 (every profile's first). */
export function userClaims(sub: string) {
  return { sub, role: 'authenticated', sv: 1 };
}

/** A database of its own for one test file, cloned from the migrated and seeded template. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A database with the pg adapter, used the way the API uses it (role + claims per call). */
export async function testDb() {
  const { url, drop } = await freshDatabase();
  const db = createPgDb(url, 20);
  return {
    url,
    db,
    pool: db.pool,
    /** Call a public function as a seeded persona (or any profile id). */
    as(who: PersonaName | string) {
      const sub = who in persona ? persona[who as PersonaName] : who;
      const caller: Caller = { kind: 'user', sub, token: '', claims: userClaims(sub) };
      return <T = any>(fn: string, args: Record<string, unknown> = {}) => db.rpc(fn as DbFunction, args as never, caller) as Promise<T>;
    },
    service<T = any>(fn: string, args: Record<string, unknown> = {}) {
      return db.rpc(fn as DbFunction, args as never, { kind: 'service' }) as Promise<T>;
    },
    /** Run raw SQL as the table owner (to look at state or to try what the API would never do). */
    sql<T extends pg.QueryResultRow = any>(text: string, values: unknown[] = []) {
      return db.pool.query<T>(text, values);
    },
    /** Run raw SQL as `authenticated` with a persona's (or any profile id's) claims, exactly as PostgREST would. */
    async sqlAs<T extends pg.QueryResultRow = any>(who: PersonaName | string, text: string, values: unknown[] = []) {
      const sub = who in persona ? persona[who as PersonaName] : who;
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(userClaims(sub))]);
        const res = await client.query<T>(text, values);
        await client.query('commit');
        return res;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await db.close();
      await drop();
    },
  };
}

/** Asserts that a call is refused with this error key. */
export async function expectRefused(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected refusal ${code}`).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
}
