import type { WechatServerApi } from './wechat.js';

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
