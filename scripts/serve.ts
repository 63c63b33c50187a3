import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/_lib/app.js';
import type { Deps } from '../api/_lib/router.js';
import { errorBody } from '../api/_lib/errors.js';
import { runAllJobs } from '../api/_lib/jobs.js';
import { repoRoot } from './lib/migrate.js';

/**
 * The local server (and the one for any Node host): the same Hono app as the Vercel function under /api,
 * plus the H5 build of the mini-program at /.
 */
export async function startServer(deps: Deps, port: number, host = '127.0.0.1', opts: { jobs?: boolean } = {}) {
  const api = createApp(deps);
  const root = new Hono();
  root.use('*', compress());
  root.route('/', api);
  root.all('/api/*', (c) => c.json(errorBody('request.not_found'), 404));
  const h5 = path.relative(process.cwd(), path.join(repoRoot, 'miniapp/dist-h5'));
  root.use(
    '/*',
    secureHeaders({
      contentSecurityPolicy: h5Policy(path.join(h5, 'index.html'), deps.env.STORAGE === 's3' ? deps.env.S3_ENDPOINT : undefined),
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Hashed file names never change content: cache them for a year; the page itself is always revalidated.
  root.use('/*', async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    c.header('Cache-Control', /^\/(js|css|static)\//.test(c.req.path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  });
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
      runAllJobs(deps)
        .then((r) => Object.values(r).some((n) => n > 0) && deps.log('info', 'scheduled jobs', r))
        .finally(() => (running = false));
    }, 15_000);
    timer.unref();
  }

  return new Promise<{ url: string; port: number; close: () => Promise<void> }>((resolve, reject) => {
    const server = serve({ fetch: root.fetch, port, hostname: host }, (info: AddressInfo) => {
      resolve({
        url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((res) => {
            clearInterval(timer);
            server.close(() => res());
          }),
      });
    });
    server.on('error', reject);
  });
}

/**
 * Content-Security-Policy of the H5 app: scripts only from this origin plus the page's own inline script
 * (Taro's rem sizing), allowed by its hash; nothing may frame the page.
 */
function h5Policy(indexHtml: string, objectStore?: string) {
  const html = existsSync(indexHtml) ? readFileSync(indexHtml, 'utf8') : '';
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...inline],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', 'https:', ...(objectStore ? [new URL(objectStore).origin] : [])],
    // blob: — a chosen photo is read back before it is uploaded; the object store receives uploads directly.
    connectSrc: ["'self'", 'blob:', ...(objectStore ? [new URL(objectStore).origin] : [])],
    fontSrc: ["'self'", 'data:'],
    mediaSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  };
}
