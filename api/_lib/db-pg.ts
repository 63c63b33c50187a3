import pg from 'pg';
import { ApiError } from './errors.js';
import { dbParamTypes } from './db-types.gen.js';
import { type Caller, type Db, type DbFunction, type RateLimit, FUNCTION_NAME, isRetryable, isUnavailable, mapDbError } from './db.js';

/**
 * The local (and self-hosted) adapter. Each call runs exactly as PostgREST runs an RPC — one transaction,
 * the API role and the JWT claims set locally, the pre-request check, one function call — so RLS and
 * auth.uid() behave as they do on Supabase. All of it is one message to the server (one round trip):
 * a simple-protocol query whose statements Postgres runs as one implicit transaction. Arguments are
 * written as literals cast to their parameter's SQL type (from the generated catalog types), escaped
 * by node-postgres.
 *
 * Faults: a connection that dies while in use (restart, failover, pooler timeout) fails that request with
 * a 503 and is dropped from the pool; new connections are made on the next request, and a database that
 * cannot be reached fails fast (connect timeout) instead of hanging.
 */
export function createPgDb(connectionString: string, max = 10): Db & { pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  // An idle client that errors (database restarted) must not crash the process…
  pool.on('error', () => undefined);
  // …nor one that is checked out: its query rejects, and the error is handled there.
  pool.on('connect', (client) => client.on('error', () => undefined));

  async function run(text: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw isUnavailable(err) ? new ApiError('db.unavailable') : err;
      }
      try {
        const res = (await client.query(text)) as unknown as pg.QueryResult[] | pg.QueryResult;
        client.release();
        const last = Array.isArray(res) ? res[res.length - 1] : res;
        return last?.rows[0]?.result ?? null;
      } catch (err) {
        const e = err as { code?: string; message?: string; detail?: string };
        const broken = isUnavailable(err);
        // A broken connection is destroyed, not returned to the pool.
        client.release(broken ? (err as Error) : undefined);
        if (isRetryable(e.code) && attempt === 0) continue;
        throw mapDbError(e.code, e.message, e.detail) ?? err;
      }
    }
  }

  return {
    pool,
    async rpc(fn, args, caller, opts) {
      return run(callText(fn, args as Record<string, unknown>, caller, opts?.limits ?? []));
    },
    async close() {
      await pool.end();
    },
  };
}

/** The statements of one call, as one simple-protocol message. Exported for the adapter's own tests. */
export function callText(fn: DbFunction, args: Record<string, unknown>, caller: Caller, limits: RateLimit[]): string {
  if (!FUNCTION_NAME.test(fn) || !(fn in dbParamTypes)) throw new Error(`unknown database function ${fn}`);
  const types = dbParamTypes[fn] as Record<string, string>;
  const named: string[] = [];
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    const type = types[name];
    if (!type) throw new Error(`unknown argument ${name} of ${fn}`);
    named.push(`${name} => ${literal(value, type)}`);
  }
  const role = caller.kind === 'user' ? 'authenticated' : caller.kind === 'anon' ? 'anon' : 'service_role';
  const claims = caller.kind === 'user' ? caller.claims : { role };
  const statements: string[] = [];
  if (limits.length) {
    // Counted in a transaction of its own (the COMMIT ends it), so a refused or failing request still counts.
    statements.push(`select set_config('role', 'service_role', true)`, `select public.enforce_rate_limits(${literal(limits, 'jsonb')})`, 'commit');
  }
  statements.push(
    `select set_config('role', ${lit(role)}, true), set_config('request.jwt.claims', ${lit(JSON.stringify(claims))}, true), ` +
      `set_config('statement_timeout', '15s', true)`,
    `select public.check_request()`,
    `select public.${fn}(${named.join(', ')}) as result`,
  );
  return statements.join(';\n');
}

function lit(s: string): string {
  // A NUL cannot be stored by Postgres and would end the query text early: refuse it as bad input.
  if (s.includes('\u0000')) throw new ApiError('request.invalid', { _: '内容里有无法保存的字符' });
  return pg.escapeLiteral(s);
}

/** A JavaScript value as a SQL literal of the parameter's type. */
function literal(value: unknown, type: string): string {
  if (!/^[a-z_. ]+(\[\])?$/.test(type)) throw new Error(`unexpected SQL type ${type}`);
  if (value === null) return `null::${type}`;
  if (type === 'jsonb' || type === 'json') return `${lit(JSON.stringify(value))}::${type}`;
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) throw new ApiError('core.invalid_input');
    const element = type.slice(0, -2);
    return value.length ? `array[${value.map((v) => literal(v, element)).join(', ')}]::${type}` : `'{}'::${type}`;
  }
  switch (typeof value) {
    case 'string':
      return `${lit(value)}::${type}`;
    case 'number':
      if (!Number.isFinite(value)) throw new ApiError('core.invalid_input');
      return `${lit(String(value))}::${type}`;
    case 'boolean':
      return `${value}::${type}`;
    default:
      if (value instanceof Date) return `${lit(value.toISOString())}::${type}`;
      throw new ApiError('core.invalid_input');
  }
}
