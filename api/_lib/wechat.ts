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

/**
 * Server-to-WeChat calls that need an access token: subscribe messages and the content check.
 * The token is cached until shortly before it expires (WeChat limits how often it may be fetched).
 */
export interface WechatServerApi {
  sendSubscribeMessage(msg: { touser: string; templateId: string; page: string; data: Record<string, { value: string }> }): Promise<void>;
  /** msgSecCheck v2: true when WeChat suggests 'pass'. */
  checkText(content: string, openid: string): Promise<boolean>;
  /** mediaCheckAsync v2 for an image WeChat can fetch: the verdict arrives later by message push; returns its trace id. */
  checkImageAsync(mediaUrl: string, openid: string): Promise<string>;
}

export class WechatCallError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

export function createWechatServerApi(opts: { appId?: string; secret?: string; apiBase: string; timeoutMs?: number }): WechatServerApi {
  let cached: { token: string; until: number } | null = null;

  async function call<T>(path: string, init?: { query?: Record<string, string>; body?: unknown }): Promise<T & { errcode?: number; errmsg?: string }> {
    const url = new URL(path, opts.apiBase);
    if (init?.query) url.search = new URLSearchParams(init.query).toString();
    const res = await fetch(url, {
      method: init?.body ? 'POST' : 'GET',
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
      body: init?.body ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    if (!res.ok) throw new WechatCallError(-1, `HTTP ${res.status}`);
    return (await res.json()) as T & { errcode?: number; errmsg?: string };
  }

  async function accessToken(): Promise<string> {
    if (cached && cached.until > Date.now()) return cached.token;
    if (!opts.appId || !opts.secret) throw new WechatCallError(-2, 'WeChat is not configured');
    const r = await call<{ access_token?: string; expires_in?: number }>('/cgi-bin/stable_token', {
      body: { grant_type: 'client_credential', appid: opts.appId, secret: opts.secret },
    });
    if (!r.access_token) throw new WechatCallError(r.errcode ?? -1, r.errmsg ?? 'no access_token');
    cached = { token: r.access_token, until: Date.now() + Math.max(60, (r.expires_in ?? 7200) - 300) * 1000 };
    return r.access_token;
  }

  async function withToken<T>(path: string, body: unknown) {
    const r = await call<T>(path, { query: { access_token: await accessToken() }, body });
    // 40001/42001: token invalid or expired: fetch a new one once.
    if (r.errcode === 40001 || r.errcode === 42001) {
      cached = null;
      return call<T>(path, { query: { access_token: await accessToken() }, body });
    }
    return r;
  }

  return {
    async sendSubscribeMessage(msg) {
      const r = await withToken<object>('/cgi-bin/message/subscribe/send', {
        touser: msg.touser,
        template_id: msg.templateId,
        page: msg.page,
        data: msg.data,
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      });
      if (r.errcode) throw new WechatCallError(r.errcode, r.errmsg ?? 'send failed');
    },
    async checkText(content, openid) {
      const r = await withToken<{ result?: { suggest?: string } }>('/wxa/msg_sec_check', { content, version: 2, scene: 2, openid });
      if (r.errcode) throw new WechatCallError(r.errcode, r.errmsg ?? 'check failed');
      return r.result?.suggest === 'pass';
    },
    async checkImageAsync(mediaUrl, openid) {
      const r = await withToken<{ trace_id?: string }>('/wxa/media_check_async', { media_url: mediaUrl, media_type: 2, version: 2, scene: 2, openid });
      if (r.errcode || !r.trace_id) throw new WechatCallError(r.errcode ?? -1, r.errmsg ?? 'media check failed');
      return r.trace_id;
    },
  };
}
