import { ApiError, errorCatalog, isErrorKey } from './errors.js';

/** Who a database call runs as: a signed-in person, nobody, or the server itself (auth, rate limits). */
export type Caller =
  | { kind: 'user'; sub: string; token: string; claims: Record<string, unknown> }
  | { kind: 'anon' }
  | { kind: 'service' };

export interface Db {
  /** Calls one function in schema `public` in its own transaction, as PostgREST would. */
  rpc<T = unknown>(fn: string, args: Record<string, unknown>, caller: Caller): Promise<T>;
  close(): Promise<void>;
}

export const FUNCTION_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Turns a database error into an ApiError. Rule violations raised as `P0001` carry a catalog key;
 * anything else (a bug, a lost connection) becomes `internal` and its text never reaches the client.
 */
export function mapDbError(code: string | undefined, message: string | undefined, detail?: string | null): ApiError | null {
  if (code === 'P0001' && message && isErrorKey(message)) {
    // A rule about one input field says which one: detail 'field:<key>' becomes { fields: { key: message } }.
    const field = detail?.startsWith('field:') ? detail.slice(6) : null;
    return field ? new ApiError(message, { [field]: errorCatalog[message][1] }) : new ApiError(message);
  }
  if (code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303') return new ApiError('auth.invalid_token');
  if (code === '42501') return new ApiError('core.forbidden'); // insufficient_privilege
  if (code === '22P02' || code === '23514' || code === '22001' || code === '23502') {
    return new ApiError('core.invalid_input'); // bad uuid, check constraint, too long, not null
  }
  return null;
}
