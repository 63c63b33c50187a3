import type { WechatServerApi } from './wechat.js';
import type { Context } from 'hono';
import { ApiError } from './errors.js';
import type { DbFunction } from './db.js';
import { callDbAsService, type AppEnv } from './router.js';

/**
 * Every piece of resident-written text passes this before anyone else sees it.
 * Production: WeChat's msgSecCheck. Local and tests: a recorder that passes everything and remembers
 * what it was asked, so tests can prove the check was consulted.
 */
export interface ContentCheck {
  readonly provider: string;
  check(text: string, openid: string | null): Promise<boolean>;
  /** An image others will see: passed now, or pending until the checker answers (by its trace id). */
  checkImage(mediaUrl: string, openid: string | null): Promise<{ verdict: 'passed' } | { verdict: 'pending'; traceId: string | null }>;
}

export function wechatContentCheck(api: WechatServerApi): ContentCheck {
  return {
    provider: 'wechat.msgSecCheck',
    async check(text, openid) {
      // Without an openid (no WeChat account) WeChat cannot check: hold the text back.
      if (!openid) return false;
      return api.checkText(text, openid);
    },
    async checkImage(mediaUrl, openid) {
      // Without an openid WeChat cannot check: the file stays visible to its uploader and staff only.
      if (!openid) return { verdict: 'pending', traceId: null };
      return { verdict: 'pending', traceId: await api.checkImageAsync(mediaUrl, openid) };
    },
  };
}

export function recordingContentCheck(): ContentCheck & { seen: string[]; images: string[] } {
  const seen: string[] = [];
  const images: string[] = [];
  return {
    provider: 'local.recorder',
    seen,
    images,
    async check(text) {
      seen.push(text);
      return true;
    },
    async checkImage(mediaUrl) {
      images.push(mediaUrl);
      return { verdict: 'passed' };
    },
  };
}

/** Where each kind of resident text records its verdict (service role only). */
const SETTLE = {
  question: ['settle_question_check', 'p_question_id'],
  comment: ['settle_comment_check', 'p_comment_id'],
  topic: ['settle_topic_check', 'p_topic_id'],
} as const satisfies Record<string, readonly [DbFunction, string]>;

/**
 * The whole flow for resident-written text stored as 'pending': check it, record the verdict with the
 * service role, and refuse the request when the check says no. Used by every place residents write.
 */
export async function checkAndSettle(c: Context<AppEnv>, text: string, kind: keyof typeof SETTLE, id: string): Promise<{ id: string; checkStatus: string }> {
  let passed: boolean;
  try {
    const openid =
      c.get('env').contentCheck === 'wechat'
        ? ((await callDbAsService(c, 'get_wechat_openid', { p_profile_id: c.get('caller')!.sub })) as string | null)
        : null;
    passed = await c.get('contentCheck').check(text, openid);
  } catch (err) {
    c.get('log')('warn', 'content check unavailable', { error: String(err) });
    throw new ApiError('content.check_unavailable');
  }
  const [fn, idArg] = SETTLE[kind];
  const settled = await callDbAsService(c, fn, { [idArg]: id, p_passed: passed, p_provider: c.get('contentCheck').provider } as never);
  if (!passed) throw new ApiError('content.rejected');
  return settled as { id: string; checkStatus: string };
}
