import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, TokenError } from '../src/auth/token';

/** Production verification: RS256/ES256 tokens checked against a JWKS, issuer and audience. */
describe('JWKS token verification (production mode)', () => {
  let server: Server;
  let jwksUrl: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
  const issuer = 'https://idp.example.test/';
  const audience = 'customer-success-hub';

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  type SigningKey = Parameters<SignJWT['sign']>[0];
  const sign = (key: SigningKey, alg: string, kid: string, claims: { iss?: string; aud?: string; exp?: string | number } = {}) =>
    new SignJWT({ scope: 'hub:agent' })
      .setProtectedHeader({ alg, kid })
      .setSubject('agent-7')
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m')
      .sign(key);

  it('accepts RS256 and ES256 tokens from the JWKS and reads subject and scopes', async () => {
    const verify = createTokenVerifier({ kind: 'jwks', jwksUrl, issuer, audience });
    for (const token of [await sign(rsa.privateKey, 'RS256', 'rsa-1'), await sign(ec.privateKey, 'ES256', 'ec-1')]) {
      const verified = await verify(token);
      expect(verified.subject).toBe('agent-7');
      expect(verified.scopes).toEqual(['hub:agent']);
    }
  });

  it.each([
    ['wrong issuer', () => sign(rsa.privateKey, 'RS256', 'rsa-1', { iss: 'https://evil.example/' })],
    ['wrong audience', () => sign(rsa.privateKey, 'RS256', 'rsa-1', { aud: 'another-api' })],
    ['expired', () => sign(rsa.privateKey, 'RS256', 'rsa-1', { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a key not in the JWKS', () => sign(stranger.privateKey, 'RS256', 'rsa-1')],
    ['HS256 with the public key as secret (algorithm confusion)', () => sign(new TextEncoder().encode('x'.repeat(64)), 'HS256', 'rsa-1')],
  ])('refuses a token with %s', async (_label, make) => {
    const verify = createTokenVerifier({ kind: 'jwks', jwksUrl, issuer, audience });
    await expect(verify(await make())).rejects.toBeInstanceOf(TokenError);
  });
});

