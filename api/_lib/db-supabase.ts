import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { type Caller, type Db, FUNCTION_NAME, mapDbError } from './db.js';

/**
 * The production adapter: `.rpc()` through PostgREST. A signed-in caller's own JWT is forwarded, so
 * PostgREST sets the role and claims and the same RLS applies; the service role key is used only for
 * the server's own calls (auth, rate limits, health).
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

  function clientFor(caller: Caller): SupabaseClient {
    if (caller.kind === 'service') return service;
    if (caller.kind === 'anon') return anon;
    return createClient(url, anonKey, {
      ...options,
      global: { ...options.global, headers: { Authorization: `Bearer ${caller.token}` } },
    });
  }

  return {
    async rpc<T>(fn: string, args: Record<string, unknown>, caller: Caller): Promise<T> {
      if (!FUNCTION_NAME.test(fn)) throw new Error(`bad function name ${fn}`);
      const clean = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
      const { data, error } = await clientFor(caller).rpc(fn, clean);
      if (error) {
        throw mapDbError(error.code, error.message, error.details) ?? new Error(`rpc ${fn} failed: ${error.code ?? ''} ${error.message}`);
      }
      return data as T;
    },
    async close() {},
  };
}
