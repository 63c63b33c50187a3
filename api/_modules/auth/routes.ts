import type { Env } from '../../_lib/env.js';
import { callDbAsService, domainRouter, enforceLimits, requestAddress, type RouteInput } from '../../_lib/router.js';
import { AuthResponse, DevLoginBody, DevPersonaList, WechatLoginBody, type DevPersona, type Profile } from '../../_contracts/core.js';

/** Sign-in answers carry the profile and the session version the token is signed under. */
type SignedIn = { profile: Profile; sessionVersion: number };

/**
 * The token for a signed-in person, after turning the office's roster rows and staff invitations for their
 * (shared) phone number into memberships: the first sign-in with that number is when they take effect.
 */
async function signedIn(c: RouteInput<unknown, unknown, unknown>['c'], s: SignedIn) {
  const token = await c.get('tokens').sign(s.profile.id, s.sessionVersion);
  const { sub, claims } = await c.get('tokens').verify(token);
  await c.get('db').rpc('claim_invitations', {}, { kind: 'user', sub, token, claims });
  return { token, profile: s.profile };
}

export function authRoutes(env: Env) {
  const r = domainRouter('auth');
  // Per client address; the address is believed from a forwarded header only behind a trusted proxy.
  const limits = (i: RouteInput<unknown, unknown, unknown>) => [
    { bucket: `auth:${requestAddress(i.c)}`, limit: env.AUTH_RATE_LIMIT, window: env.AUTH_RATE_WINDOW_SECONDS },
  ];

  r.handle(
    {
      method: 'post',
      path: '/wechat',
      public: true,
      summary: '微信登录：用 wx.login 的 code 换取令牌',
      body: WechatLoginBody,
      response: AuthResponse,
      errors: [502],
      limits,
    },
    async ({ c, body }) => {
      // Counted before WeChat is asked, so guessing codes is limited too.
      await enforceLimits(c);
      const { openid, unionid } = await c.get('wechat').code2session(body.code);
      const s = (await callDbAsService(c, 'upsert_wechat_profile', { p_openid: openid, p_unionid: unionid ?? null })) as SignedIn;
      return signedIn(c, s);
    },
  );

  // Dev login does not exist at all unless switched on (never in production).
  if (env.devLogin) {
    r.handle(
      {
        method: 'post',
        path: '/dev',
        public: true,
        summary: '演示登录（仅在开启演示登录时存在）',
        body: DevLoginBody,
        response: AuthResponse,
        errors: [404],
        limits,
      },
      async ({ c, body }) => {
        const s = (await callDbAsService(c, 'dev_login_profile', { p_persona: body.persona })) as SignedIn;
        return signedIn(c, s);
      },
    );
    r.handle(
      { method: 'get', path: '/dev/personas', public: true, summary: '演示身份列表（仅在开启演示登录时存在）', response: DevPersonaList, limits },
      async ({ c }) => ({
        personas: (await callDbAsService(c, 'list_dev_personas', {})) as DevPersona[],
      }),
    );
  }
  return r.router;
}
