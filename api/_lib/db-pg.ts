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

  // Like PostgREST, know each function's parameter types, so a JS value is sent the way the parameter
  // expects it: JSON text for json/jsonb (even [] and {}), a Postgres array for uuid[]/text[].
  const jsonParams = new Map<string, Promise<Set<string>>>();
  function jsonParamsOf(fn: string): Promise<Set<string>> {
    let p = jsonParams.get(fn);
    if (!p) {
      p = pool
        .query<{ name: string }>(
          `select a.name from pg_proc p, unnest(p.proargnames, p.proargtypes::regtype[]::text[]) as a(name, type)
            where p.pronamespace = 'public'::regnamespace and p.proname = $1 and a.type in ('jsonb', 'json')`,
          [fn],
        )
        .then((r) => new Set(r.rows.map((x) => x.name)));
      p.catch(() => jsonParams.delete(fn));
      jsonParams.set(fn, p);
    }
    return p;
  }

  return {
    pool,
    async rpc<T>(fn: string, args: Record<string, unknown>, caller: Caller): Promise<T> {
      if (!FUNCTION_NAME.test(fn)) throw new Error(`bad function name ${fn}`);
      const names = Object.keys(args).filter((k) => args[k] !== undefined);
      for (const n of names) if (!FUNCTION_NAME.test(n)) throw new Error(`bad argument name ${n}`);
      const json = await jsonParamsOf(fn);
      const values = names.map((n) => toParam(args[n], json.has(n)));
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

function toParam(v: unknown, isJson: boolean): unknown {
  if (v === null) return null;
  if (isJson) return JSON.stringify(v);
  if (v instanceof Date || Array.isArray(v)) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

export { ApiError };
