import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config';

/** Scopes a token may carry; customers carry none. */
export const AGENT_SCOPE = 'hub:agent';
export const INTEGRATION_SCOPE = 'hub:integration';
/** On an integration token: cleared for FedRAMP data (its webhooks may cover FedRAMP brands, docs/webhooks.md). */
export const FEDRAMP_SCOPE = 'hub:fedramp';

/** What a verified token says: who (`sub`) and, for internal callers, which scopes. */
export interface VerifiedToken {
  subject: string;
  scopes: string[];
  expiresAt?: Date;
}

export class TokenError extends Error {}

export interface VerifierOptions {
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** Verified tokens remembered at most (0 turns the cache off). */
  cacheSize?: number;
}

/** How long a verified token is taken on trust before its signature is checked again. */
export const VERIFIED_TOKEN_TTL_MS = 60_000;

/** The longest a token may live (`exp` after `iat`, and after now) unless `AUTH_MAX_TOKEN_LIFETIME_SECONDS` says otherwise: 24 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * The claim rules beyond the signature: `exp` is required (a token without one would never expire),
 * `nbf` is honoured (jose refuses a token before it), and a token may not live longer than the cap —
 * neither from its `iat` nor from now — so a leaked long-lived token cannot be used for months.
 */
function checkLifetime(payload: { exp?: number; iat?: number }, nowSeconds: number, maxLifetimeSeconds: number): void {
  if (typeof payload.exp !== 'number') throw new TokenError('token has no "exp" (expiry) claim');
  const from = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
  if (payload.exp - from > maxLifetimeSeconds) {
    throw new TokenError(`token lifetime exceeds the ${maxLifetimeSeconds} s this API accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS)`);
  }
}

/**
 * Builds the verifier for the configured mode: HS256 with a shared secret, or RS256/ES256 from a JWKS.
 *
 * A token that verified is remembered (keyed by its exact text, up to `cacheSize` tokens) until it
 * expires or for `VERIFIED_TOKEN_TTL_MS`, whichever comes first: a client sends the same token with
 * every request, and checking its signature again each time was a measurable share of a small
 * request (docs/performance.md). Expiry is checked on every use; refusals are never remembered. The
 * price: a key removed from the JWKS keeps accepting the tokens it signed for up to a minute.
 */
export function createTokenVerifier(auth: AuthConfig, opts: VerifierOptions = {}): (token: string) => Promise<VerifiedToken> {
  const jwks: JWTVerifyGetKey | undefined = auth.kind === 'jwks' ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  const now = opts.now ?? Date.now;
  const cacheSize = opts.cacheSize ?? 10_000;
  const verified = cacheSize > 0 ? new LRUCache<string, { token: VerifiedToken; until: number }>({ max: cacheSize }) : undefined;

  const maxLifetimeSeconds = auth.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

  async function check(token: string): Promise<VerifiedToken> {
    try {
      const currentDate = new Date(now());
      const { payload } =
        auth.kind === 'jwks'
          ? await jwtVerify(token, jwks!, { issuer: auth.issuer, audience: auth.audience, algorithms: ['RS256', 'ES256'], currentDate, requiredClaims: ['exp'] })
          : await jwtVerify(token, auth.secret, { issuer: auth.issuer, audience: auth.audience, algorithms: ['HS256'], currentDate, requiredClaims: ['exp'] });
      checkLifetime(payload, Math.floor(currentDate.getTime() / 1000), maxLifetimeSeconds);
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenError('token has no subject');
      const scope = payload.scope ?? payload.scp;
      const scopes = Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [];
      return { subject: payload.sub, scopes, expiresAt: new Date(payload.exp! * 1000) };
    } catch (error) {
      throw new TokenError(error instanceof Error ? error.message : 'invalid token');
    }
  }

  return async (token) => {
    const at = now();
    const known = verified?.get(token);
    if (known && at < known.until) return known.token;
    const result = await check(token);
    verified?.set(token, { token: result, until: Math.min(at + VERIFIED_TOKEN_TTL_MS, result.expiresAt?.getTime() ?? Infinity) });
    return result;
  };
}

/** Signs an HS256 token (local use, demo tokens and tests only); it expires after `expiresIn` (default 1 hour). */
export async function signLocalToken(
  secret: Uint8Array,
  subject: string,
  opts: { scopes?: string[]; expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT(opts.scopes?.length ? { scope: opts.scopes.join(' ') } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h');
  if (opts.issuer) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(secret);
}

/** Reads `Bearer <token>`; undefined when absent, TokenError when malformed. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (header === undefined || header === null || header === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new TokenError('Authorization must be "Bearer <token>"');
  return match[1];
}
