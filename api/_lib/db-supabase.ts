import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { ApiError } from './errors.js';
import { type Caller, type Db, FUNCTION_NAME, mapDbError } from './db.js';

/**
 * The production adapter: `.rpc()` through PostgREST. A signed-in caller's own JWT is forwarded, so
 * PostgREST sets the role and claims, runs the pre-request check (public.check_request) and the same RLS
 * applies; the service role key is used only for the server's own calls (auth, rate limits, health).
 * Two clients are made once and reused across requests of a warm serverless instance; a caller's token is
 * a per-request header.
 */
export function createSupabaseDb(url: string, anonKey: string, serviceRoleKey: string, fetchImpl?: typeof fetch): Db {
  const options = {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // supabase-js builds a realtime client even when unused; Node 20 has no global WebSocket.
    realtime: { transport: ws as unknown as typeof WebSocket },
    ...(fetchImpl ? { global: { fetch: fetchImpl } } : {}),
  };
  const service = createClient(url, serviceRoleKey, options);
  const anon = createClient(url, anonKey, options);

  async function call(fn: string, args: Record<string, unknown>, caller: Caller): Promise<unknown> {
    if (!FUNCTION_NAME.test(fn)) throw new Error(`bad function name ${fn}`);
    const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    let query = (caller.kind === 'service' ? service : anon).rpc(fn, clean);
    if (caller.kind === 'user') query = query.setHeader('Authorization', `Bearer ${caller.token}`);
    const { data, error } = await query;
    if (error) {
      const mapped = mapDbError(error.code, error.message, error.details);
      if (mapped) throw mapped;
      // No status from PostgREST at all: the database service could not be reached.
      if (!error.code && /fetch failed|network|ECONNREFUSED|ETIMEDOUT/i.test(error.message)) throw new ApiError('db.unavailable');
      throw new Error(`rpc ${fn} failed: ${error.code ?? ''} ${error.message}`);
    }
    return data;
  }

  return {
    async rpc(fn, args, caller, opts) {
      if (opts?.limits?.length) await call('enforce_rate_limits', { p_limits: opts.limits }, { kind: 'service' });
      return call(fn, args as Record<string, unknown>, caller);
    },
    async close() {},
  };
}
