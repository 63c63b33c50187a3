import { createRoute } from '@hono/zod-openapi';
import { createRouter, json, errors } from '../../_lib/router.js';
import type { Env } from '../../_lib/env.js';
import { AuthResponse, WechatLoginBody, DevLoginBody, DevPersonaList, type Profile, type DevPersona } from '../../_contracts/core.js';

const wechatRoute = createRoute({
  method: 'post', path: '/wechat', tags: ['auth'], summary: '微信登录：用 wx.login 的 code 换取令牌',
  request: { body: { content: { 'application/json': { schema: WechatLoginBody } }, required: true } },
  responses: { 200: json(AuthResponse, '登录成功'), ...errors(400, 401, 429, 503) },
});

const devRoute = createRoute({
  method: 'post', path: '/dev', tags: ['auth'], summary: '演示登录（仅在开启演示登录时存在）',
  request: { body: { content: { 'application/json': { schema: DevLoginBody } }, required: true } },
  responses: { 200: json(AuthResponse, '登录成功'), ...errors(400, 404, 429) },
});

const personasRoute = createRoute({
  method: 'get', path: '/dev/personas', tags: ['auth'], summary: '演示身份列表（仅在开启演示登录时存在）',
  responses: { 200: json(DevPersonaList, '演示身份'), ...errors(429) },
});

export function authRoutes(env: Env) {
  const r = createRouter();

  r.openapi(wechatRoute, async (c) => {
    const { code } = c.req.valid('json');
    const { openid, unionid } = await c.var.wechat.code2session(code);
    const profile = await c.var.db.rpc<Profile>('upsert_wechat_profile', { p_openid: openid, p_unionid: unionid ?? null }, { kind: 'service' });
    return c.json({ token: await c.var.tokens.sign(profile.id), profile }, 200);
  });

  // Dev login does not exist at all unless switched on (never by default in production).
  if (env.devLogin) {
    r.openapi(devRoute, async (c) => {
      const { persona } = c.req.valid('json');
      const profile = await c.var.db.rpc<Profile>('dev_login_profile', { p_persona: persona }, { kind: 'service' });
      return c.json({ token: await c.var.tokens.sign(profile.id), profile }, 200);
    });
    r.openapi(personasRoute, async (c) => {
      const personas = await c.var.db.rpc<DevPersona[]>('list_dev_personas', {}, { kind: 'service' });
      return c.json({ personas }, 200);
    });
  }
  return r;
}
