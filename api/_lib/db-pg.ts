import pg from 'pg';
import { ApiError } from './errors.js';
import { type Caller, type Db, FUNCTION_NAME, mapDbError } from './db.js';

/**
 * The local adapter: each call runs exactly as PostgREST runs an RPC — one transaction, the API role and
 * the JWT claims set locally, one function call — so RLS and auth.uid() behave as they do on Supabase.
 */
export function createPgDb(connectionString: string, max = 10): Db & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client that errors (database restarted) must not crash the process.
  pool.on('error', () => undefined);

  return {
    pool,
    async rpc<T>(fn: string, args: Record<string, unknown>, caller: Caller): Promise<T> {
      if (!FUNCTION_NAME.test(fn)) throw new Error(`bad function name ${fn}`);
      const names = Object.keys(args).filter((k) => args[k] !== undefined);
      for (const n of names) if (!FUNCTION_NAME.test(n)) throw new Error(`bad argument name ${n}`);
      const values = names.map((n) => toParam(args[n]));
      const call = `select public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}) as result`;
      const role = caller.kind === 'user' ? 'authenticated' : caller.kind === 'anon' ? 'anon' : 'service_role';
      const claims = caller.kind === 'user' ? caller.claims : { role };

      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(
          `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                  set_config('statement_timeout', '15s', true)`,
          [role, JSON.stringify(claims)],
        );
        const res = await client.query(call, values);
        await client.query('commit');
        return res.rows[0]?.result as T;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        const e = err as { code?: string; message?: string; detail?: string };
        throw mapDbError(e.code, e.message, e.detail) ?? err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/**
 * Arrays of scalars become Postgres arrays (uuid[], text[]), as PostgREST does for array parameters;
 * objects and arrays of objects go to jsonb parameters as JSON text; everything else as itself.
 */
function toParam(v: unknown): unknown {
  if (v === null || v instanceof Date) return v;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export { ApiError };
