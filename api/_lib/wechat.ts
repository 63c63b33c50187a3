import { ApiError } from './errors.js';

/**
 * WeChat's code2session: trades the code from `wx.login` for the user's openid. The session_key it also
 * returns is never stored or sent anywhere: we have no use for encrypted user data yet.
 */
export interface WechatClient {
  code2session(code: string): Promise<{ openid: string; unionid?: string }>;
}

interface Code2SessionResponse {
  openid?: string;
  unionid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

export function createWechatClient(opts: { appId?: string; secret?: string; apiBase: string; timeoutMs?: number }): WechatClient {
  return {
    async code2session(code) {
      if (!opts.appId || !opts.secret) throw new ApiError('auth.wechat_not_configured');
      const url = new URL('/sns/jscode2session', opts.apiBase);
      url.search = new URLSearchParams({
        appid: opts.appId,
        secret: opts.secret,
        js_code: code,
        grant_type: 'authorization_code',
      }).toString();
      let body: Code2SessionResponse;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        body = (await res.json()) as Code2SessionResponse;
      } catch {
        throw new ApiError('auth.wechat_unavailable');
      }
      // 40029 invalid code, 40163 code already used, 40226 risky user: the code cannot log in.
      if (body.errcode === 40029 || body.errcode === 40163 || body.errcode === 40226) {
        throw new ApiError('auth.wechat_code_invalid');
      }
      // 40013 invalid appid, 40125 invalid secret: our configuration is wrong, not the user's code.
      if (body.errcode === 40013 || body.errcode === 40125) throw new ApiError('auth.wechat_misconfigured');
      if (body.errcode || !body.openid) throw new ApiError('auth.wechat_unavailable');
      return { openid: body.openid, ...(body.unionid ? { unionid: body.unionid } : {}) };
    },
  };
}
