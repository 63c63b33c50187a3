import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Caller, Db } from './db.js';
import type { Env } from './env.js';
import { ApiError, errorBody } from './errors.js';
import type { TokenService } from './jwt.js';
import type { WechatClient, WechatServerApi } from './wechat.js';
import type { ContentCheck } from './content-check.js';
import type { OutboxConfig } from './outbox.js';
import type { Logger } from './log.js';
import { ErrorSchema } from '../_contracts/common.js';

export interface Deps {
  env: Env;
  db: Db;
  tokens: TokenService;
  wechat: WechatClient;
  wechatServer: WechatServerApi;
  contentCheck: ContentCheck;
  outbox: OutboxConfig;
  log: Logger;
}

export interface AppEnv {
  Variables: Deps & { requestId: string };
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

/** Every domain builds its routes on this, so bad input fails the same way everywhere. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(errorBody('request.invalid', fieldErrors(result.error)), 400);
    },
  });
}

/** The signed-in caller, or 401. */
export async function requireUser(c: Context<AppEnv>): Promise<Extract<Caller, { kind: 'user' }>> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError('auth.required');
  const token = match[1]!;
  const { sub, claims } = await c.var.tokens.verify(token);
  return { kind: 'user', sub, token, claims };
}

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** Error responses for route definitions, so the OpenAPI document lists them. */
export function errors(...statuses: Array<400 | 401 | 403 | 404 | 409 | 429 | 503>) {
  const descriptions: Record<number, string> = {
    400: '输入有误', 401: '未登录或登录失效', 403: '无权限', 404: '不存在或不可见', 409: '与规则冲突',
    429: '请求过于频繁', 503: '服务未配置',
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: descriptions[s]!, content: errorContent }]));
}

export const bearer = [{ bearer: [] as string[] }];

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
