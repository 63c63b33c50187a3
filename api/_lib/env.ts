import { z } from 'zod';

/**
 * Configuration, validated once at start-up. Every variable is listed in the README.
 * Unknown or malformed values stop the server with a clear message instead of failing later.
 */
const flag = z.enum(['on', 'off', 'true', 'false', '1', '0']).transform((v) => v === 'on' || v === 'true' || v === '1');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    DB_ADAPTER: z.enum(['pg', 'supabase']).default('pg'),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    SUPABASE_URL: z.string().url().optional(),
    SUPABASE_ANON_KEY: z.string().min(10).optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(10).optional(),
    /** HS256 secret (local default; legacy Supabase JWT secret). */
    JWT_SECRET: z.string().min(32).optional(),
    /** Asymmetric signing key (Supabase signing keys): a private JWK as JSON, or a PKCS#8 PEM. */
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_KID: z.string().optional(),
    JWT_ALG: z.enum(['ES256', 'RS256']).default('ES256'),
    JWT_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .default(7 * 24 * 3600),
    WECHAT_APPID: z.string().optional(),
    WECHAT_SECRET: z.string().optional(),
    WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
    DEV_LOGIN: flag.optional(),
    /** WeChat subscribe-message template for new notices (thing1 title, thing2 community, time3 time). */
    WECHAT_TEMPLATE_NOTICE: z.string().optional(),
    /** Subscribe-message template for 吹哨报到 calls (same fields as the notice template). */
    WECHAT_TEMPLATE_WHISTLE: z.string().optional(),
    /** Subscribe-message template for service-hall case progress (same fields). */
    WECHAT_TEMPLATE_CASE: z.string().optional(),
    WECHAT_TEMPLATE_REPORT: z.string().optional(),
    /** `wechat` (msgSecCheck) or `record` (local: passes everything). Defaults to wechat in production. */
    CONTENT_CHECK: z.enum(['wechat', 'record']).optional(),
    /** Shared secret of the scheduled-job route (Vercel Cron sends it as a Bearer token). */
    CRON_SECRET: z.string().min(16).optional(),
    AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    AUTH_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Writes (POST/PUT/DELETE) per person per window: far above what a person does by hand. */
    WRITE_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    WRITE_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
    /**
     * Proxies in front of a Node host whose X-Forwarded-For may be believed: comma-separated addresses or
     * CIDR ranges (e.g. `127.0.0.1,10.0.0.0/8`). Unset: the socket address is the client. On Vercel the
     * platform's own `x-vercel-forwarded-for` is used.
     */
    TRUSTED_PROXIES: z
      .string()
      .regex(/^[0-9a-fA-F:.,/\s]*$/, 'comma-separated IP addresses or CIDR ranges')
      .default(''),
    /** Set by Vercel on its functions. */
    VERCEL: z.string().optional(),
    /** Where uploaded files live: `local` disk (default) or an S3-compatible object store. */
    STORAGE: z.enum(['local', 's3']).default('local'),
    /** Folder for the local back end (default: .data/files). */
    FILES_DIR: z.string().min(1).default('.data/files'),
    /** How long a link to a file works. */
    FILES_URL_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(30)
      .max(7 * 24 * 3600)
      .default(600),
    /** Secret for local file links (default: derived from the JWT key). */
    FILES_SIGNING_SECRET: z.string().min(32).optional(),
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Path-style URLs (Supabase Storage, MinIO): on; virtual-hosted (COS, OSS, AWS): off. */
    S3_FORCE_PATH_STYLE: flag.default(true),
    /** Token of the mini-program's message push (WeChat's asynchronous media check answers there). */
    WECHAT_PUSH_TOKEN: z.string().min(3).max(32).optional(),
    /** Tests only: check every response against its declared schema. */
    VALIDATE_RESPONSES: flag.default(false),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .superRefine((e, ctx) => {
    if (e.DB_ADAPTER === 'pg' && !e.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'required when DB_ADAPTER=pg' });
    }
    if (e.DB_ADAPTER === 'supabase') {
      for (const k of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY'] as const) {
        if (!e[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when DB_ADAPTER=supabase' });
      }
    }
    if (!e.JWT_SECRET && !e.JWT_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET or JWT_PRIVATE_KEY' });
    }
    if (e.NODE_ENV === 'production' && e.DEV_LOGIN) {
      // Persona sign-in on a production database would let anyone act as any seeded person.
      ctx.addIssue({ code: 'custom', path: ['DEV_LOGIN'], message: 'demo persona sign-in cannot be switched on in production' });
    }
    if (e.STORAGE === 's3') {
      for (const k of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (!e[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required when STORAGE=s3' });
      }
    }
    if (e.VERCEL && e.STORAGE === 'local') {
      // A serverless function's disk is gone after the request.
      ctx.addIssue({ code: 'custom', path: ['STORAGE'], message: 'on Vercel files must go to an object store: set STORAGE=s3' });
    }
    if (e.JWT_PRIVATE_KEY && !e.JWT_KID) {
      ctx.addIssue({ code: 'custom', path: ['JWT_KID'], message: 'required with JWT_PRIVATE_KEY' });
    }
  });

export type Env = z.infer<typeof EnvSchema> & { production: boolean; devLogin: boolean; contentCheck: 'wechat' | 'record' };

/** The one answer to "is this production?" for every script and the server. */
export function isProduction(source: Record<string, string | undefined> = process.env): boolean {
  return source.NODE_ENV === 'production';
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // `DEV_LOGIN=` in a shell or a .env file means "not set", as it does for every tool that reads variables.
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // Dev login is on by default except in production, where it cannot be switched on at all.
  const devLogin = e.DEV_LOGIN ?? !production;
  const contentCheck = e.CONTENT_CHECK ?? (production ? 'wechat' : 'record');
  return { ...e, production, devLogin, contentCheck };
}
