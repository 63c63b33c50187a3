import { SignJWT, jwtVerify, importJWK, importPKCS8, exportJWK, errors, type JWK, type CryptoKey } from 'jose';
import { ApiError } from './errors.js';
import type { Env } from './env.js';

/**
 * Signs and verifies our JWTs with the key Supabase trusts: the HS256 JWT secret (local default and
 * legacy Supabase projects) or an asymmetric signing key with a `kid` (current Supabase signing keys,
 * whose public half Supabase publishes in its JWKS).
 */
export interface TokenService {
  /** A token for the profile under its current session version (claim `sv`, checked on every request). */
  sign(profileId: string, sessionVersion: number): Promise<string>;
  verify(token: string): Promise<{ sub: string; claims: Record<string, unknown> }>;
  /** Public keys for a JWKS endpoint; empty for HS256. */
  publicJwks(): Promise<JWK[]>;
}

const AUDIENCE = 'authenticated';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISSUER = 'cunju';

export function createTokenService(env: Pick<Env, 'JWT_SECRET' | 'JWT_PRIVATE_KEY' | 'JWT_KID' | 'JWT_ALG' | 'JWT_TTL_SECONDS'>): TokenService {
  let keys: Promise<{ alg: string; sign: CryptoKey | Uint8Array; verify: CryptoKey | Uint8Array; kid?: string; publicJwk?: JWK }>;
  if (env.JWT_PRIVATE_KEY) {
    const alg = env.JWT_ALG;
    keys = (async () => {
      const raw = env.JWT_PRIVATE_KEY!.trim();
      const priv = raw.startsWith('{')
        ? ((await importJWK(JSON.parse(raw) as JWK, alg, { extractable: true })) as CryptoKey)
        : await importPKCS8(raw, alg, { extractable: true });
      const jwk = await exportJWK(priv);
      // The public half: drop every private parameter.
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
      const publicJwk: JWK = { ...pub, kid: env.JWT_KID, alg, use: 'sig' };
      const verifyKey = (await importJWK(publicJwk, alg)) as CryptoKey;
      return { alg, sign: priv, verify: verifyKey, kid: env.JWT_KID, publicJwk };
    })();
  } else {
    const secret = new TextEncoder().encode(env.JWT_SECRET);
    keys = Promise.resolve({ alg: 'HS256', sign: secret, verify: secret });
  }

  return {
    async sign(profileId, sessionVersion) {
      const k = await keys;
      return new SignJWT({ role: 'authenticated', sv: sessionVersion })
        .setProtectedHeader({ alg: k.alg, typ: 'JWT', ...(k.kid ? { kid: k.kid } : {}) })
        .setSubject(profileId)
        .setAudience(AUDIENCE)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + env.JWT_TTL_SECONDS)
        .sign(k.sign);
    },
    async verify(token) {
      const k = await keys;
      try {
        // A token without an expiry would be valid forever: refuse it.
        const { payload } = await jwtVerify(token, k.verify, {
          algorithms: [k.alg],
          audience: AUDIENCE,
          issuer: ISSUER,
          requiredClaims: ['exp', 'iat', 'sub'],
        });
        if (typeof payload.sub !== 'string' || !UUID.test(payload.sub) || payload.role !== 'authenticated' || !Number.isInteger(payload.sv)) {
          throw new ApiError('auth.invalid_token');
        }
        return { sub: payload.sub, claims: payload as Record<string, unknown> };
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw new ApiError('auth.expired_token');
        if (err instanceof ApiError) throw err;
        throw new ApiError('auth.invalid_token');
      }
    },
    async publicJwks() {
      const k = await keys;
      return k.publicJwk ? [k.publicJwk] : [];
    },
  };
}
