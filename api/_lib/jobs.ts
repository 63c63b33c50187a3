import type { Deps } from './router.js';
import { drainOutbox } from './outbox.js';
import { rawKey } from './storage.js';

/**
 * The scheduled work, defined once: the local server runs every job on a timer; Vercel Cron calls
 * /api/cron/<job> (or /api/cron/all); on Supabase, pg_cron can run the SQL-only ones in the database.
 * Each job is safe to run twice at once (the functions skip rows another run holds).
 */
type Job = (deps: Deps) => Promise<Record<string, number>>;

export const JOBS = {
  /** Send queued WeChat subscribe messages. */
  outbox: (deps) => drainOutbox(deps),
  /** Expire unclaimed points-mall redemptions and refund them. */
  'expire-redemptions': async (deps) => (await deps.db.rpc('expire_redemptions', {}, { kind: 'service' })) as { expired: number },
  /** 随手拍 past a time limit climb one level (网格 → 社区 → 街道), each once. */
  escalate: async (deps) => (await deps.db.rpc('escalate_overdue_reports', { p_limit: 200 }, { kind: 'service' })) as { escalated: number },
  /** Remove uploads nobody attached within a day, rows and stored objects. */
  files: async (deps) => {
    const r = (await deps.db.rpc('expire_orphan_files', { p_limit: 200 }, { kind: 'service' })) as { removed: number; storageKeys: string[] };
    for (const key of r.storageKeys) {
      await deps.storage.remove(key).catch(() => undefined);
      await deps.storage.remove(rawKey(key)).catch(() => undefined);
    }
    return { removed: r.removed };
  },
  /** Public record chain: results of polls that have closed, notices scheduled for a time that has come. */
  'public-records': async (deps) => (await deps.db.rpc('append_due_public_records', { p_limit: 200 }, { kind: 'service' })) as { appended: number },
  /** Retention (app.retention_periods): request counters, sent messages, old in-app messages, closed cases' details, refused verifications. */
  retention: async (deps) => {
    const r = (await deps.db.rpc('apply_retention', { p_limit: 1000 }, { kind: 'service' })) as Record<string, number> & { storageKeys: string[] };
    const { storageKeys, ...counts } = r;
    for (const key of storageKeys) {
      await deps.storage.remove(key).catch(() => undefined);
      await deps.storage.remove(rawKey(key)).catch(() => undefined);
    }
    return counts;
  },
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Runs every job; one failing does not stop the others. */
export async function runAllJobs(deps: Deps): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of JOB_NAMES) {
    try {
      for (const [k, v] of Object.entries(await JOBS[name](deps))) out[`${name}.${k}`] = v;
    } catch (err) {
      deps.log('error', 'scheduled job failed', { job: name, error: String(err) });
      out[`${name}.failed`] = 1;
    }
  }
  return out;
}
