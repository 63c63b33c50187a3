import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/_lib/app.js';
import type { Deps } from '../api/_lib/router.js';
import { errorBody } from '../api/_lib/errors.js';
import { drainOutbox } from '../api/_lib/outbox.js';
import { repoRoot } from './lib/migrate.js';

/**
 * The local server (and the one for any Node host): the same Hono app as the Vercel function under /api,
 * plus the H5 build of the mini-program at /.
 */
export async function startServer(deps: Deps, port: number, host = '127.0.0.1', opts: { jobs?: boolean } = {}) {
  const api = createApp(deps);
  const root = new Hono();
  root.route('/', api);
  root.all('/api/*', (c) => c.json(errorBody('request.not_found'), 404));
  const h5 = path.relative(process.cwd(), path.join(repoRoot, 'miniapp/dist-h5'));
  root.use('/*', serveStatic({ root: h5 }));
  root.get('*', serveStatic({ path: path.join(h5, 'index.html') }));

  // Scheduled jobs (send queued messages, expire unclaimed redemptions): on Supabase/Vercel these are
  // pg_cron and Vercel Cron; on a Node host, a timer.
  let timer: NodeJS.Timeout | undefined;
  if (opts.jobs) {
    let running = false;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      Promise.all([drainOutbox(deps), deps.db.rpc('expire_redemptions', {}, { kind: 'service' }) as Promise<{ expired: number }>])
        .then(([r, e]) => (r.sent + r.skipped + r.retry + e.expired > 0) && deps.log('info', 'scheduled jobs', { ...r, ...e }))
        .catch((err) => deps.log('error', 'outbox failed', { error: String(err) }))
        .finally(() => (running = false));
    }, 15_000);
    timer.unref();
  }

  return new Promise<{ url: string; port: number; close: () => Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: root.fetch, port, hostname: host }, (info: AddressInfo) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((res) => {
          clearInterval(timer);
          server.close(() => res());
        }),
      });
    });
    server.on('error', reject);
  });
}
