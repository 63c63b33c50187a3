import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignJWT, generateKeyPair, exportJWK, exportPKCS8, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { testApi, TEST_JWT_SECRET } from '../../../test/api.js';
import { FAKE_SESSION_KEY } from '../../../test/fakes/wechat.js';
import { persona } from '../../../test/personas.js';
import { createApp, depsFromEnv } from '../../_lib/app.js';
import { createTokenService } from '../../_lib/jwt.js';

let api: Awaited<ReturnType<typeof testApi>>;
beforeAll(async () => {
  api = await testApi();
});
afterAll(async () => api.close());

describe('POST /api/auth/wechat', () => {
  it('trades a good code for a token and a profile, and never returns the session_key', async () => {
    const r = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0001' } });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^ey/);
    expect(r.body.profile.displayName).toBe('微信用户');
    expect(r.text).not.toContain(FAKE_SESSION_KEY);
    expect(r.text).not.toContain('oTest_openid_0001');
    // The call reached WeChat with our appid and the code.
    const q = api.wechat.requests.at(-1)!.searchParams;
    expect(q.get('js_code')).toBe('good:oTest_openid_0001');
    // The token works for /api/me.
    const me = await api.call('GET', '/api/me', { token: r.body.token });
    expect(me.status).toBe(200);
    expect(me.body.profile.id).toBe(r.body.profile.id);
  });

  it('finds the same profile for the same openid', async () => {
    const a = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0002' } });
    const b = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0002:next-launch' } });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.profile.id).toBe(a.body.profile.id);
    const c = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0003' } });
    expect(c.body.profile.id).not.toBe(a.body.profile.id);
    const again = await api.db.sql(`select count(*)::int as n from app.profiles where wechat_openid = 'oTest_openid_0002'`);
    expect(again.rows[0].n).toBe(1);
  });

  it('refuses a used code with 401 and changes nothing', async () => {
    const before = await api.db.sql('select count(*)::int as n from app.profiles');
    await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0004' } });
    const r = await api.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0004' } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.wechat_code_invalid');
    expect(r.body.error.message).toMatch(/微信/);
    const after = await api.db.sql('select count(*)::int as n from app.profiles');
    expect(after.rows[0].n).toBe(before.rows[0].n + 1);
  });

  it('refuses an unknown code with 401', async () => {
    const r = await api.call('POST', '/api/auth/wechat', { body: { code: 'forged' } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.wechat_code_invalid');
  });

  it('reports a wrong appid as our misconfiguration (503), not the user’s fault', async () => {
    const other = await testApi({ WECHAT_APPID: 'wx_wrong_appid' });
    try {
      const r = await other.call('POST', '/api/auth/wechat', { body: { code: 'good:oTest_openid_0005' } });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('auth.wechat_misconfigured');
    } finally {
      await other.close();
    }
  });

  it('rejects a missing code with 400 and a Chinese field message', async () => {
    const r = await api.call('POST', '/api/auth/wechat', { body: {} });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('request.invalid');
    expect(r.body.error.fields.code).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('POST /api/auth/dev', () => {
  it('logs in a seeded persona when dev login is on', async () => {
    const r = await api.call('POST', '/api/auth/dev', { body: { persona: 'committee' } });
    expect(r.status).toBe(200);
    expect(r.body.profile.id).toBe(persona.committee);
    expect(r.body.profile.realName).toBe('王立平');
  });
  it('answers 404 for an unknown persona', async () => {
    const r = await api.call('POST', '/api/auth/dev', { body: { persona: 'nobody' } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('auth.unknown_persona');
  });
  it('does not exist in production, and cannot be switched on there', async () => {
    const prod = createApp(depsFromEnv({ NODE_ENV: 'production', DATABASE_URL: api.db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' }));
    const r = await prod.request('/api/auth/dev', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"persona":"resident"}' });
    expect(r.status).toBe(404);
    const personas = await prod.request('/api/auth/dev/personas');
    expect(personas.status).toBe(404);
    expect(() => depsFromEnv({ NODE_ENV: 'production', DEV_LOGIN: 'on', DATABASE_URL: api.db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' })).toThrow(
      /DEV_LOGIN/,
    );
  });
});

describe('tokens', () => {
  it('refuses a missing token', async () => {
    const r = await api.call('GET', '/api/me');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.required');
  });
  it('refuses a tampered token', async () => {
    const token = await api.login('resident');
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.sub = persona.committee;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    const r = await api.call('GET', '/api/me', { token: forged });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.invalid_token');
  });
  it('refuses a token signed with another secret', async () => {
    const other = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(persona.committee)
      .setAudience('authenticated')
      .setIssuer('cunju')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    const r = await api.call('GET', '/api/me', { token: other });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.invalid_token');
  });
  it('refuses an expired token', async () => {
    const expired = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(persona.resident)
      .setAudience('authenticated')
      .setIssuer('cunju')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const r = await api.call('GET', '/api/me', { token: expired });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('auth.expired_token');
  });
  it('remembers a verified token only until it expires', async () => {
    const tokens = createTokenService({ JWT_SECRET: TEST_JWT_SECRET, JWT_ALG: 'ES256', JWT_TTL_SECONDS: 60 });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const token = await tokens.sign(persona.resident, 1);
      expect((await tokens.verify(token)).sub).toBe(persona.resident);
      // The second answer comes from memory, and is the same.
      expect((await tokens.verify(token)).claims).toMatchObject({ sub: persona.resident, sv: 1 });
      vi.setSystemTime(Date.now() + 61_000);
      await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'auth.expired_token' });
      // A different string is a different token: one changed character is checked, and refused.
      const other = token.slice(0, -2) + (token.endsWith('AA') ? 'AB' : 'AA');
      vi.setSystemTime(Date.now() - 61_000);
      await expect(tokens.verify(other)).rejects.toMatchObject({ code: 'auth.invalid_token' });
    } finally {
      vi.useRealTimers();
    }
  });
  it('refuses an unsigned (alg none) token', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: persona.committee, role: 'authenticated', aud: 'authenticated', iss: 'cunju', exp: 9999999999 })}.`;
    const r = await api.call('GET', '/api/me', { token: none });
    expect(r.status).toBe(401);
  });

  it('signs with an asymmetric key and kid (Supabase signing keys) and publishes only the public half', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    for (const key of [JSON.stringify(await exportJWK(privateKey)), await exportPKCS8(privateKey)]) {
      const a = await testApi({ JWT_SECRET: undefined, JWT_PRIVATE_KEY: key, JWT_KID: 'cunju-key-1', JWT_ALG: 'ES256' });
      try {
        const token = await a.login('resident');
        expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: 'cunju-key-1' });
        expect((await a.call('GET', '/api/me', { token })).status).toBe(200);
        const jwks = await a.call('GET', '/api/jwks.json');
        expect(jwks.body.keys).toHaveLength(1);
        expect(jwks.body.keys[0].d).toBeUndefined();
        // Anyone holding the JWKS (Supabase) can verify our token.
        const pub = await importJWK(jwks.body.keys[0], 'ES256');
        const { payload } = await jwtVerify(token, pub);
        expect(payload.sub).toBe(persona.resident);
        expect(payload.role).toBe('authenticated');
      } finally {
        await a.close();
      }
    }
  });
});

describe('rate limits on auth routes', () => {
  it('answer 429 with Retry-After past the limit, and hold across app instances sharing the database', async () => {
    const env = { AUTH_RATE_LIMIT: '3', AUTH_RATE_WINDOW_SECONDS: '60' };
    const a = await testApi(env);
    try {
      const second = createApp(depsFromEnv({ NODE_ENV: 'test', DATABASE_URL: a.db.url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', ...env }));
      const from = (addr: string) => ({ incoming: { socket: { remoteAddress: addr } } });
      const body = JSON.stringify({ persona: 'resident' });
      const post = (app: typeof second, xff: string, addr = '203.0.113.7') =>
        app.request('/api/auth/dev', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': xff }, body }, from(addr));
      const codes: number[] = [];
      // Rotating a forwarded header from a client that is not a trusted proxy changes nothing.
      codes.push((await post(a.app, '1.1.1.1')).status);
      codes.push((await post(second, '2.2.2.2')).status);
      codes.push((await post(a.app, '3.3.3.3')).status);
      const fourth = await post(second, '4.4.4.4');
      codes.push(fourth.status);
      expect(codes).toEqual([200, 200, 200, 429]);
      expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await fourth.json()) as any).error.code).toBe('request.rate_limited');
      // Another address is not affected.
      expect((await post(a.app, '4.4.4.4', '198.51.100.9')).status).toBe(200);
    } finally {
      await a.close();
    }
  });

  it('believe X-Forwarded-For only from a trusted proxy, and only its nearest untrusted hop', async () => {
    const env = { AUTH_RATE_LIMIT: '2', AUTH_RATE_WINDOW_SECONDS: '60', TRUSTED_PROXIES: '10.0.0.0/8' };
    const a = await testApi(env);
    try {
      const viaProxy = (xff: string) =>
        a.app.request(
          '/api/auth/dev',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
            body: '{"persona":"resident"}',
          },
          { incoming: { socket: { remoteAddress: '10.0.0.2' } } },
        );
      expect((await viaProxy('203.0.113.7')).status).toBe(200);
      // A client that prepends a fake address to the chain is still known by the address the proxy saw.
      expect((await viaProxy('9.9.9.9, 203.0.113.7')).status).toBe(200);
      expect((await viaProxy('8.8.8.8, 203.0.113.7, 10.1.2.3')).status).toBe(429);
      // Different real clients behind the same proxy have their own limits.
      expect((await viaProxy('198.51.100.9')).status).toBe(200);
    } finally {
      await a.close();
    }
  });
});
