import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiError } from '../../_lib/errors.js';
import { callDbAsService, domainRouter, type AppEnv } from '../../_lib/router.js';

/**
 * WeChat's message push to the server (消息推送, JSON mode): the answers of asynchronous media checks.
 * Every request is signed by WeChat with the token configured in the mini-program's console
 * (WECHAT_PUSH_TOKEN): sha1 of the sorted token, timestamp and nonce. Unsigned requests are refused.
 */
const Signed = z.object({
  signature: z.string().regex(/^[0-9a-f]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().regex(/^[0-9A-Za-z]{1,64}$/),
  echostr: z.string().max(200).optional(),
});

function verify(c: Context<AppEnv>, q: z.infer<typeof Signed>) {
  const token = c.get('env').WECHAT_PUSH_TOKEN;
  if (!token) throw new ApiError('request.not_found');
  const want = createHash('sha1').update([token, q.timestamp, q.nonce].sort().join('')).digest('hex');
  if (!timingSafeEqual(Buffer.from(want), Buffer.from(q.signature))) throw new ApiError('cron.forbidden');
  // A replayed push from long ago is refused too.
  if (Math.abs(Date.now() / 1000 - Number(q.timestamp)) > 600) throw new ApiError('cron.forbidden');
}

const MediaCheckEvent = z
  .object({
    MsgType: z.string().max(20),
    Event: z.string().max(40).optional(),
    trace_id: z.string().max(100).optional(),
    result: z.object({ suggest: z.string().max(20) }).optional(),
  })
  .passthrough();

export function wechatRoutes() {
  const r = domainRouter('wechat');

  r.handle(
    {
      method: 'get',
      path: '/events',
      public: true,
      summary: '微信消息推送：配置服务器地址时的验证',
      query: Signed,
      response: z.string().openapi({ description: '原样返回 echostr（纯文本）' }),
      errors: [403, 404],
    },
    async ({ c, query }) => {
      verify(c, query);
      return c.text(query.echostr ?? '');
    },
  );

  r.handle(
    {
      method: 'post',
      path: '/events',
      public: true,
      summary: '微信消息推送：图片内容安全检测的结果（wxa_media_check）',
      query: Signed,
      body: MediaCheckEvent,
      response: z.object({ handled: z.boolean() }),
      errors: [403, 404],
    },
    async ({ c, query, body }) => {
      verify(c, query);
      if (body.Event !== 'wxa_media_check' || !body.trace_id) return { handled: false };
      try {
        await callDbAsService(c, 'settle_file_check', {
          p_file_id: null,
          p_passed: body.result?.suggest === 'pass',
          p_provider: 'wechat.mediaCheckAsync',
          p_trace_id: body.trace_id,
        });
      } catch (err) {
        // Already settled, or not ours: WeChat must not retry forever.
        if (!(err instanceof ApiError)) throw err;
        return { handled: false };
      }
      return { handled: true };
    },
  );

  return r.router;
}
