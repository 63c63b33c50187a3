import { ApiError, errorCatalog, isErrorKey } from './errors.js';
import type { DbFunctions, Json } from './db-types.gen.js';

export type { DbFunctions, Json };
export type DbFunction = keyof DbFunctions;
export type DbArgs<F extends DbFunction> = DbFunctions[F]['Args'];

/** Who a database call runs as: a signed-in person, nobody, or the server itself (auth, rate limits). */
export type Caller = { kind: 'user'; sub: string; token: string; claims: Record<string, unknown> } | { kind: 'anon' } | { kind: 'service' };

/** A fixed-window request limit, counted in Postgres before the call and committed even if it fails. */
export interface RateLimit {
  bucket: string;
  limit: number;
  /** window length in seconds */
  window: number;
}

export interface Db {
  /**
   * Calls one function in schema `public` in its own transaction, as PostgREST would: role and claims set,
   * the pre-request check run, then the function. Function and argument names are checked at compile time
   * against the generated catalog types. `limits` are counted first, in their own transaction.
   */
  rpc<F extends DbFunction>(fn: F, args: DbArgs<F>, caller: Caller, opts?: { limits?: RateLimit[] }): Promise<unknown>;
  close(): Promise<void>;
}

export const FUNCTION_NAME = /^[a-z_][a-z0-9_]*$/;

// SQLSTATEs that mean "the input did not fit", never a server fault: invalid text representation,
// check/not-null/foreign-key violations, value too long, numeric out of range, invalid datetime,
// a character the database cannot store (NUL), bad JSON.
const INPUT_ERRORS = new Set(['22P02', '23514', '22001', '23502', '22003', '22007', '22008', '22021', '22P05', '22023', '2202E', '22P03']);
// SQLSTATEs and driver errors that mean the database is away or overloaded: the request may be retried.
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '57014']);

/** True when an error means the database could not be reached or dropped the connection. */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && UNAVAILABLE.has(e.code)) return true;
  if (e.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(e.code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Connection refused/i.test(
    e.message ?? '',
  );
}

/**
 * Turns a database error into an ApiError. Rule violations raised as `P0001` carry a catalog key;
 * input that does not fit a column is a 400; a database that is away is a 503; anything else (a bug)
 * returns null and becomes `internal`, and its text never reaches the client.
 */
export function mapDbError(code: string | undefined, message: string | undefined, detail?: string | null): ApiError | null {
  if (code === 'P0001' && message && isErrorKey(message)) {
    if (message === 'request.rate_limited') {
      const retry = /^retry:(\d+)$/.exec(detail ?? '')?.[1] ?? '60';
      return new ApiError(message, undefined, { 'Retry-After': retry });
    }
    // A rule about one input field says which one: detail 'field:<key>' becomes { fields: { key: message } }.
    const field = detail?.startsWith('field:') ? detail.slice(6) : null;
    return field ? new ApiError(message, { [field]: errorCatalog[message][1] }) : new ApiError(message);
  }
  if (code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303') return new ApiError('auth.invalid_token');
  if (code === '42501') return new ApiError('core.forbidden'); // insufficient_privilege
  if (code && INPUT_ERRORS.has(code)) return new ApiError('core.invalid_input');
  // A reference to a row that does not exist (a random id): the thing asked for is not there.
  if (code === '23503') return new ApiError('core.not_found');
  if (code === '23505') return new ApiError('core.conflict');
  if (isUnavailable({ code, message })) return new ApiError('db.unavailable');
  return null;
}

/** Errors worth one automatic retry: the whole transaction was rolled back and nothing happened. */
export function isRetryable(code: string | undefined): boolean {
  return code === '40001' || code === '40P01';
}
