import { OpenAPIHono } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import type { Deps, AppEnv } from './router.js';
import { ApiError, errorBody } from './errors.js';
import { loadEnv, type Env } from './env.js';
import { createPgDb } from './db-pg.js';
import { createSupabaseDb } from './db-supabase.js';
import { createTokenService } from './jwt.js';
import { createWechatClient, createWechatServerApi } from './wechat.js';
import { recordingContentCheck, wechatContentCheck } from './content-check.js';
import { createLogger } from './log.js';
import type { Db } from './db.js';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import { trustedProxies } from './client-address.js';
import { createLocalStorage, createS3Storage, type Storage } from './storage.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { coreRoutes } from '../_modules/core/routes.js';
import { authRoutes } from '../_modules/auth/routes.js';
import { meRoutes } from '../_modules/me/routes.js';
import { noticeRoutes } from '../_modules/notices/routes.js';
import { volunteerRoutes } from '../_modules/volunteer/routes.js';
import { pointsRoutes } from '../_modules/points/routes.js';
import { mallRoutes } from '../_modules/mall/routes.js';
import { gridRoutes } from '../_modules/grid/routes.js';
import { adminRoutes, importBodyLimit, IMPORT_PATH } from '../_modules/admin/routes.js';
import { hallRoutes } from '../_modules/hall/routes.js';
import { affairsRoutes } from '../_modules/affairs/routes.js';
import { fileRoutes, rawFileRoute, uploadBodyLimit } from '../_modules/files/routes.js';
import { wechatRoutes } from '../_modules/wechat/routes.js';
import { trustRoutes } from '../_modules/trust/routes.js';

/** The one Hono app: served by the Vercel function, the local Node server and the tests. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    for (const [k, v] of Object.entries(deps)) c.set(k as keyof Deps, v as never);
    c.set('caller', null);
    c.set('limits', []);
    const started = performance.now();
    await next();
    // On the response's own headers, as secureHeaders does: `c.header` after the handler would rebuild the
    // response through a web stream.
    c.res.headers.set('x-request-id', requestId);
    deps.log('info', 'request', {
      requestId,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  // Answers are about people: never cached by a browser or proxy unless a route says otherwise.
  app.use('/api/*', secureHeaders({ crossOriginResourcePolicy: 'same-site', referrerPolicy: 'no-referrer' }));
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('Cache-Control', 'no-store');
  });
  // JSON bodies are small; files have their own routes and limits.
  app.use('/api/*', async (c, next) => {
    // A GET or HEAD has no body (asking for one would build the whole web Request on Node for nothing).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // The local upload route takes the file itself and has its own limit.
    if (/^\/api\/files\/[^/]+\/content$/.test(c.req.path)) return next();
    // So do spreadsheet imports.
    if (IMPORT_PATH.test(c.req.path)) return next();
    return bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: (c) => c.json(errorBody('request.too_large'), 413) })(c, next);
  });

  app.route('/api', coreRoutes());
  app.route('/api/auth', authRoutes(deps.env));
  app.route('/api', meRoutes());
  app.route('/api/notices', noticeRoutes());
  app.route('/api/volunteer', volunteerRoutes());
  app.route('/api/points', pointsRoutes());
  app.route('/api/mall', mallRoutes());
  app.route('/api/grid', gridRoutes());
  app.use('/api/admin/communities/:id/imports', importBodyLimit);
  app.route('/api/admin', adminRoutes());
  app.route('/api/hall', hallRoutes());
  app.route('/api/affairs', affairsRoutes());
  app.use('/api/files/:id/content', uploadBodyLimit);
  rawFileRoute(app);
  app.route('/api/files', fileRoutes());
  app.route('/api/wechat', wechatRoutes());
  app.route('/api', trustRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: '村居通 API', version: '0.1.0', description: '村居通小程序的服务端接口。所有错误都返回 { error: { code, message, fields? } }。' },
  });

  app.notFound((c) => c.json(errorBody('request.not_found'), 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      if (err.status >= 500) deps.log('warn', 'unavailable', { requestId: c.get('requestId'), code: err.code });
      return c.json(errorBody(err.code, err.fields), err.status);
    }
    // Malformed JSON bodies and content types the validators refused.
    if (err instanceof HTTPException || err instanceof SyntaxError) {
      const status = err instanceof HTTPException ? err.status : 400;
      if (status === 415) return c.json(errorBody('request.unsupported_media_type'), 415);
      if (status === 413) return c.json(errorBody('request.too_large'), 413);
      if (status < 500) return c.json(errorBody('request.invalid', { _: '请求内容不是有效的 JSON' }), 400);
    }
    deps.log('error', 'unhandled', { requestId: c.get('requestId'), error: String((err as Error).stack ?? err) });
    return c.json(errorBody('internal'), 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

function storageFromEnv(env: Env): Storage {
  if (env.STORAGE === 's3') {
    return createS3Storage({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET!,
      accessKeyId: env.S3_ACCESS_KEY_ID!,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    });
  }
  const secret =
    env.FILES_SIGNING_SECRET ??
    createHash('sha256')
      .update(`cunju files\n${env.JWT_SECRET ?? env.JWT_PRIVATE_KEY}`)
      .digest('hex');
  return createLocalStorage(path.resolve(env.FILES_DIR), secret);
}

/** Largest JSON request body (uploads go to their own routes). */
export const JSON_BODY_LIMIT = 64 * 1024;

/** Builds the dependencies from the environment (Vercel function and local server). */
export function depsFromEnv(source: Record<string, string | undefined> = process.env, overrides: Partial<Deps> = {}): Deps {
  const env: Env = loadEnv(source);
  const db: Db =
    env.DB_ADAPTER === 'supabase'
      ? createSupabaseDb(env.SUPABASE_URL!, env.SUPABASE_ANON_KEY!, env.SUPABASE_SERVICE_ROLE_KEY!)
      : createPgDb(env.DATABASE_URL!, env.DATABASE_POOL_SIZE);
  const wechatOpts = { appId: env.WECHAT_APPID, secret: env.WECHAT_SECRET, apiBase: env.WECHAT_API_BASE };
  const wechatServer = createWechatServerApi(wechatOpts);
  return {
    env,
    db,
    tokens: createTokenService(env),
    wechat: createWechatClient(wechatOpts),
    wechatServer,
    contentCheck: env.contentCheck === 'wechat' ? wechatContentCheck(wechatServer) : recordingContentCheck(),
    outbox: {
      templates: {
        notice: env.WECHAT_TEMPLATE_NOTICE,
        whistle: env.WECHAT_TEMPLATE_WHISTLE,
        case: env.WECHAT_TEMPLATE_CASE,
        report: env.WECHAT_TEMPLATE_REPORT,
      },
    },
    log: createLogger(env.LOG_LEVEL),
    proxies: trustedProxies(env.TRUSTED_PROXIES),
    storage: storageFromEnv(env),
    ...overrides,
  };
}
