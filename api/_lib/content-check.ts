import type { WechatServerApi } from './wechat.js';
import { ApiError } from './errors.js';

/**
 * Every piece of resident-written text passes this before anyone else sees it.
 * Production: WeChat's msgSecCheck. Local and tests: a recorder that passes everything and remembers
 * what it was asked, so tests can prove the check was consulted.
 */
export interface ContentCheck {
  readonly provider: string;
  check(text: string, openid: string | null): Promise<boolean>;
}

export function wechatContentCheck(api: WechatServerApi): ContentCheck {
  return {
    provider: 'wechat.msgSecCheck',
    async check(text, openid) {
      // Without an openid (no WeChat account) WeChat cannot check: hold the text back.
      if (!openid) return false;
      return api.checkText(text, openid);
    },
  };
}

export function recordingContentCheck(): ContentCheck & { seen: string[] } {
  const seen: string[] = [];
  return {
    provider: 'local.recorder',
    seen,
    async check(text) {
      seen.push(text);
      return true;
    },
  };
}

/**
 * The whole flow for resident-written text stored as 'pending': check it, record the verdict with the
 * service role, and refuse the request when the check says no. Used by every place residents write.
 */
export async function checkAndSettle(
  deps: { db: import('./db.js').Db; env: { contentCheck: 'wechat' | 'record' }; contentCheck: ContentCheck; log: import('./log.js').Logger },
  caller: { sub: string },
  text: string,
  settle: { fn: string; idArg: string; id: string },
): Promise<{ id: string; checkStatus: string }> {
  let passed: boolean;
  try {
    const openid = deps.env.contentCheck === 'wechat'
      ? await deps.db.rpc<string | null>('get_wechat_openid', { p_profile_id: caller.sub }, { kind: 'service' })
      : null;
    passed = await deps.contentCheck.check(text, openid);
  } catch (err) {
    deps.log('warn', 'content check unavailable', { error: String(err) });
    throw new ApiError('content.check_unavailable');
  }
  const settled = await deps.db.rpc<{ id: string; checkStatus: string }>(settle.fn, {
    [settle.idArg]: settle.id, p_passed: passed, p_provider: deps.contentCheck.provider,
  }, { kind: 'service' });
  if (!passed) throw new ApiError('content.rejected');
  return settled;
}
