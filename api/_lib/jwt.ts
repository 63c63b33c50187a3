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
/** Tokens remembered as verified (one per active device; about 1 KB each). */
const VERIFIED_CACHE_SIZE = 10_000;

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
    // Imported once: given raw bytes, jose would import the key again for every token.
    keys = crypto.subtle
      .importKey('raw', new TextEncoder().encode(env.JWT_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
      .then((key) => ({ alg: 'HS256', sign: key, verify: key }));
  }
  // A token checked once need not be checked again until it expires: the mini-program sends the same token
  // with every request. Only the signature check is remembered; the session version is still checked by the
  // database on each request, so a withdrawn role or 退出所有设备 takes effect at once.
  const verified = new Map<string, { sub: string; claims: Record<string, unknown>; exp: number }>();

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
      const hit = verified.get(token);
      if (hit) {
        if (hit.exp > Date.now() / 1000) return { sub: hit.sub, claims: hit.claims };
        verified.delete(token);
      }
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
        const claims = Object.freeze({ ...payload }) as Record<string, unknown>;
        // Bounded: past the limit the oldest entry goes (a Map iterates in insertion order).
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        verified.set(token, { sub: payload.sub, claims, exp: payload.exp! });
        return { sub: payload.sub, claims };
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
