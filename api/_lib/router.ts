import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { BlockList } from 'node:net';
import type { Caller, Db, DbArgs, DbFunction, RateLimit } from './db.js';
import type { Env } from './env.js';
import { ApiError, errorBody } from './errors.js';
import type { TokenService } from './jwt.js';
import type { WechatClient, WechatServerApi } from './wechat.js';
import type { ContentCheck } from './content-check.js';
import type { OutboxConfig } from './outbox.js';
import type { Logger } from './log.js';
import type { Storage } from './storage.js';
import { ErrorSchema, IdempotencyHeader } from '../_contracts/common.js';
import { clientAddress } from './client-address.js';

/**
 * How every route is declared. A route names its input (path, query, body, idempotency key), its answer
 * and the database function it calls; this module adds the rest the same way everywhere: sign-in, input
 * validation with Chinese field messages, the write limit, the OpenAPI entry, and (in tests) a check of
 * the answer against its schema.
 */
export interface Deps {
  env: Env;
  db: Db;
  tokens: TokenService;
  wechat: WechatClient;
  wechatServer: WechatServerApi;
  contentCheck: ContentCheck;
  outbox: OutboxConfig;
  log: Logger;
  proxies: BlockList;
  storage: Storage;
}

export type UserCaller = Extract<Caller, { kind: 'user' }>;

export interface AppEnv {
  Variables: Deps & { requestId: string; caller: UserCaller | null; limits: RateLimit[] };
}

// Chinese validation messages for every schema that does not set its own.
z.config(z.locales.zhCN());

/** Turns zod issues into `{ field: message }` for the error body. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const fields = fieldErrors(result.error);
      // A missing or malformed Idempotency-Key has its own code: the client must send one and keep it for retries.
      const code = 'idempotency-key' in fields ? 'request.idempotency_key_required' : 'request.invalid';
      return c.json(errorBody(code, fields), 400);
    },
  });
}

const errorContent = { 'application/json': { schema: ErrorSchema } };
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '输入有误',
  401: '未登录或登录失效',
  403: '无权限',
  404: '不存在或不可见',
  409: '与规则冲突',
  413: '内容太大',
  415: '格式不是 JSON',
  429: '请求过于频繁',
  502: '上游服务不可用',
  503: '服务暂不可用',
};
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 502 | 503;

function errorResponses(statuses: ErrorStatus[]) {
  return Object.fromEntries([...new Set(statuses)].sort().map((s) => [s, { description: ERROR_DESCRIPTIONS[s]!, content: errorContent }]));
}

export const bearer = [{ bearer: [] as string[] }];

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

// ---------------------------------------------------------------- the caller

/** Verifies the bearer token and sets `caller`; the database re-checks the session on every call. */
export const requireCaller: MiddlewareHandler<AppEnv> = async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (!match) throw new ApiError('auth.required');
  const token = match[1]!;
  const { sub, claims } = await c.get('tokens').verify(token);
  c.set('caller', { kind: 'user', sub, token, claims });
  await next();
};

/** Calls one database function as the signed-in caller, counting the request's pending limits first. */
export function callDb<F extends DbFunction>(c: Context<AppEnv>, fn: F, args: DbArgs<F>): Promise<unknown> {
  const caller = c.get('caller');
  if (!caller) throw new ApiError('auth.required');
  return c.get('db').rpc(fn, args, caller, { limits: c.get('limits').splice(0) });
}

/** Calls one database function as the server itself (sign-in, content-check verdicts, jobs). */
export function callDbAsService<F extends DbFunction>(c: Context<AppEnv>, fn: F, args: DbArgs<F>): Promise<unknown> {
  return c.get('db').rpc(fn, args, { kind: 'service' }, { limits: c.get('limits').splice(0) });
}

/** Counts the request's pending limits now (before calling an outside service such as WeChat). */
export async function enforceLimits(c: Context<AppEnv>): Promise<void> {
  const limits = c.get('limits').splice(0);
  if (limits.length)
    await c.get('db').rpc('enforce_rate_limits', { p_limits: limits as unknown as DbArgs<'enforce_rate_limits'>['p_limits'] }, { kind: 'service' });
}

export function addLimit(c: Context<AppEnv>, limit: RateLimit) {
  c.get('limits').push(limit);
}

export function requestAddress(c: Context<AppEnv>): string {
  return clientAddress(c, c.get('proxies'), Boolean(c.get('env').VERCEL));
}

/** A declared JSON body must be there: no content type or an empty body is refused before validation. */
const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = c.req.header('content-type');
  if (!type) {
    const text = await c.req.raw.clone().text();
    throw new ApiError(text.length ? 'request.unsupported_media_type' : 'request.body_required');
  }
  if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) throw new ApiError('request.unsupported_media_type');
  await next();
};

// ---------------------------------------------------------------- declaring a route

type AnyObject = z.ZodObject<z.ZodRawShape>;
type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<P, Q, B> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  /** The Idempotency-Key header (declared routes only). */
  key: string;
  c: Context<AppEnv>;
}

export interface RouteDef<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Effects that must happen once: the Idempotency-Key header is required, and retries return the first result. */
  idempotent?: boolean;
  /** No sign-in needed (sign-in itself, health, public records). */
  public?: boolean;
  status?: 200 | 201;
  response: R;
  /** Refusals this route can answer besides 400/401/429/503. */
  errors?: ErrorStatus[];
  /** Extra limits for this route (e.g. guesses of a check-in code), counted with the call. */
  limits?: (i: RouteInput<P, Q, B>) => RateLimit[];
  /** Hide from the OpenAPI document (none today). */
  hide?: boolean;
}

export interface RpcRouteDef<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType,
  F extends DbFunction,
> extends RouteDef<P, Q, B, R> {
  fn: F;
  args: (i: RouteInput<P, Q, B>) => DbArgs<F>;
  /** Shapes the function's result into the answer when they differ (rare: the SQL returns the contract). */
  map?: (result: unknown, i: RouteInput<P, Q, B>) => unknown;
}

/** A domain's router: `rpc` for routes that call one database function, `handle` for the few that do more. */
export function domainRouter(tag: string) {
  const router = createRouter();

  function register<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType>(
    def: RouteDef<P, Q, B, R>,
    run: (i: RouteInput<P, Q, B>) => Promise<unknown>,
  ) {
    const status = def.status ?? 200;
    const signedIn = !def.public;
    const middleware: MiddlewareHandler<AppEnv>[] = [];
    if (signedIn) middleware.push(requireCaller);
    if (def.body) middleware.push(requireJsonBody);
    const route = createRoute({
      method: def.method,
      path: def.path,
      tags: [tag],
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      ...(signedIn ? { security: bearer } : {}),
      middleware,
      request: {
        ...(def.params ? { params: def.params } : {}),
        ...(def.query ? { query: def.query } : {}),
        ...(def.idempotent ? { headers: IdempotencyHeader } : {}),
        ...(def.body ? { body: { content: { 'application/json': { schema: def.body } }, required: true } } : {}),
      },
      responses: {
        [status]: json(def.response, def.summary),
        ...errorResponses([400, ...(signedIn ? [401 as const] : []), 429, 503, ...(def.errors ?? [])]),
      },
      hide: def.hide,
    });
    router.openapi(route, (async (c: Context<AppEnv>) => {
      const req = c.req as unknown as { valid: (t: string) => unknown };
      const i = {
        params: def.params ? req.valid('param') : undefined,
        query: def.query ? req.valid('query') : undefined,
        body: def.body ? req.valid('json') : undefined,
        key: def.idempotent ? (req.valid('header') as { 'idempotency-key': string })['idempotency-key'] : '',
        c,
      } as RouteInput<P, Q, B>;
      const caller = c.get('caller');
      if (caller && def.method !== 'get') {
        addLimit(c, { bucket: `write:${caller.sub}`, limit: c.get('env').WRITE_RATE_LIMIT, window: c.get('env').WRITE_RATE_WINDOW_SECONDS });
      }
      for (const l of def.limits?.(i) ?? []) addLimit(c, l);
      const out = await run(i);
      // An outside protocol that wants its own body (WeChat's push verification echoes plain text).
      if (out instanceof Response) return out;
      if (c.get('env').VALIDATE_RESPONSES) {
        const checked = def.response.safeParse(out);
        if (!checked.success) {
          throw new Error(`response of ${def.method.toUpperCase()} ${def.path} does not match its schema: ${JSON.stringify(fieldErrors(checked.error))}`);
        }
      }
      // With its length, so a compressing server leaves small answers (most of them) alone.
      const text = JSON.stringify(out);
      return c.body(text, status as never, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
    }) as never);
  }

  return {
    router,
    /** A route that calls one database function with the caller's identity and returns its result. */
    rpc<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType, F extends DbFunction>(
      def: RpcRouteDef<P, Q, B, R, F>,
    ) {
      register(def, async (i) => {
        const result = await callDb(i.c, def.fn, def.args(i));
        return def.map ? def.map(result, i) : result;
      });
    },
    /** A route with its own handler: sign-in, content checks, WeChat, files. */
    handle<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType>(
      def: RouteDef<P, Q, B, R>,
      run: (i: RouteInput<P, Q, B>) => Promise<z.input<R> | Response>,
    ) {
      register(def, run);
    },
  };
}
