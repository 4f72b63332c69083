import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config';

/** Scopes a token may carry; customers carry none. */
export const AGENT_SCOPE = 'hub:agent';
export const INTEGRATION_SCOPE = 'hub:integration';

/** What a verified token says: who (`sub`) and, for internal callers, which scopes. */
export interface VerifiedToken {
  subject: string;
  scopes: string[];
  expiresAt?: Date;
}

export class TokenError extends Error {}

/** Builds the verifier for the configured mode: HS256 with a shared secret, or RS256/ES256 from a JWKS. */
export function createTokenVerifier(auth: AuthConfig): (token: string) => Promise<VerifiedToken> {
  const jwks: JWTVerifyGetKey | undefined = auth.kind === 'jwks' ? createRemoteJWKSet(new URL(auth.jwksUrl)) : undefined;
  return async (token) => {
    try {
      const { payload } =
        auth.kind === 'jwks'
          ? await jwtVerify(token, jwks!, { issuer: auth.issuer, audience: auth.audience, algorithms: ['RS256', 'ES256'] })
          : await jwtVerify(token, auth.secret, { issuer: auth.issuer, audience: auth.audience, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenError('token has no subject');
      const scope = payload.scope ?? payload.scp;
      const scopes = Array.isArray(scope) ? scope.map(String) : typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [];
      return { subject: payload.sub, scopes, expiresAt: payload.exp ? new Date(payload.exp * 1000) : undefined };
    } catch (error) {
      throw new TokenError(error instanceof Error ? error.message : 'invalid token');
    }
  };
}

/** Signs an HS256 token (local use, demo tokens and tests only). */
export async function signLocalToken(
  secret: Uint8Array,
  subject: string,
  opts: { scopes?: string[]; expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT(opts.scopes?.length ? { scope: opts.scopes.join(' ') } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '30d');
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
