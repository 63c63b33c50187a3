import type { Context } from 'hono';
import { ApiError } from './errors.js';

/** The request's Idempotency-Key: operations that must happen once require it. */
export function idempotencyKey(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (!key || !/^[A-Za-z0-9_-]{8,100}$/.test(key)) {
    throw new ApiError('request.idempotency_key_required', { 'idempotency-key': '请求头缺少 8–100 位的 Idempotency-Key' });
  }
  return key;
}
