import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './router.js';
import { ApiError } from './errors.js';

/**
 * Fixed-window rate limit whose counters live in Postgres, so the limit holds across serverless
 * instances. Keyed by client address and the route group.
 */
export function rateLimit(group: string, limit: number, windowSeconds: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = clientAddress(c.req.header('x-forwarded-for'), c.req.header('x-real-ip'), c.env);
    const r = await c.var.db.rpc<{ allowed: boolean; retryAfter: number }>(
      'hit_rate_limit',
      { p_bucket: `${group}:${ip}`, p_limit: limit, p_window_seconds: windowSeconds },
      { kind: 'service' },
    );
    if (!r.allowed) throw new ApiError('request.rate_limited', undefined, { 'Retry-After': String(r.retryAfter) });
    await next();
  };
}

function clientAddress(forwarded: string | undefined, realIp: string | undefined, env: unknown): string {
  const first = forwarded?.split(',')[0]?.trim();
  if (first) return first;
  if (realIp) return realIp;
  const socket = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
  return socket?.remoteAddress ?? 'unknown';
}
