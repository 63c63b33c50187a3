import type { Db } from './db.js';
import { shanghaiDateTime } from '../_contracts/time.js';
import type { Logger } from './log.js';
import type { WechatServerApi } from './wechat.js';

/**
 * Sends what the database queued in app.outbox. Runs from a timer in the local server and from the
 * cron route on Vercel; several senders may run at once (claim_outbox skips rows another one holds).
 */
export interface OutboxConfig {
  templates: Partial<Record<string, string>>;
}

interface Claimed {
  id: string;
  kind: 'wechat_subscribe';
  openid: string | null;
  payload: { template: string; page: string; title: string; community: string; category: string; publishedAt: string };
}

export async function drainOutbox(deps: { db: Db; wechatServer: WechatServerApi; log: Logger; outbox: OutboxConfig }, limit = 20) {
  const counts = { sent: 0, skipped: 0, retry: 0 };
  const batch = (await deps.db.rpc('claim_outbox', { p_limit: limit }, { kind: 'service' })) as Claimed[];
  for (const m of batch) {
    const templateId = deps.outbox.templates[m.payload.template];
    let status: 'sent' | 'skipped' | 'retry';
    let error: string | null = null;
    if (!m.openid || !templateId) {
      // Demo personas have no WeChat account; an unconfigured template cannot be sent.
      status = 'skipped';
      error = !m.openid ? 'no WeChat account' : `no template configured for ${m.payload.template}`;
    } else {
      try {
        await deps.wechatServer.sendSubscribeMessage({
          touser: m.openid,
          templateId,
          page: m.payload.page,
          data: {
            thing1: { value: clip(m.payload.title, 20) },
            thing2: { value: clip(m.payload.community, 20) },
            time3: { value: shanghaiDateTime(m.payload.publishedAt) },
          },
        });
        status = 'sent';
      } catch (err) {
        status = 'retry';
        error = String((err as Error).message);
        deps.log('warn', 'outbox send failed', { outboxId: m.id, error });
      }
    }
    counts[status]++;
    await deps.db.rpc('complete_outbox', { p_id: m.id, p_status: status, p_error: error }, { kind: 'service' });
  }
  return counts;
}

function clip(s: string, n: number) {
  return [...s].length > n ? [...s].slice(0, n - 1).join('') + '…' : s;
}
