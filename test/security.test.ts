import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';

const target = DATABASE_TARGETS[0]; // HTTP-level behaviour: the database does not matter

describe('CSRF: Apollo csrfPrevention refuses requests a browser sends without a preflight', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(target, { production: true });
  });
  afterAll(async () => t?.close());

  it.each([
    ['text/plain', '{"query":"{ __typename }"}'],
    ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ __typename }\r\n--x--'],
  ])('a simple-request POST (%s) is refused with 400 and not executed', async (contentType, body) => {
    const res = await fetch(t.publicUrl, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('"__typename"');
  });

  it('a GET without a preflight-forcing header is refused; with one it is answered', async () => {
    const url = `${t.publicUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const bare = await fetch(url);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toMatch(/CSRF/i);
    const preflighted = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('mutations are never executed over GET', async () => {
    const url = `${t.publicUrl}?query=${encodeURIComponent('mutation { __typename }')}`;
    const res = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
  });
});

describe('security headers', () => {
  it('production: nosniff, HSTS, no framing, CSP default-src none, no x-powered-by, no referrer', async () => {
    const t = await startTestServer(target, { production: true });
    try {
      for (const path of ['/graphql', '/healthz', '/nope']) {
        const res = await fetch(`http://127.0.0.1:${t.server.port}${path}`, { method: path === '/graphql' ? 'POST' : 'GET', headers: { 'content-type': 'application/json' }, body: path === '/graphql' ? '{"query":"{ __typename }"}' : undefined });
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-powered-by')).toBeNull();
        expect(res.headers.get('x-request-id')).toBeTruthy();
        // answers are per caller: never stored by shared caches
        if (path === '/graphql') expect(res.headers.get('cache-control')).toBe('no-store');
      }
    } finally {
      await t.close();
    }
  });
});

describe('CORS (CORS_ORIGINS)', () => {
  const preflight = (url: string, origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('development default: any origin may call (bearer tokens, no cookies, so no credentials)', async () => {
    const t = await startTestServer(target);
    try {
      const res = await preflight(t.publicUrl, 'http://localhost:5173');
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('production default: no cross-origin access at all', async () => {
    const t = await startTestServer(target, { production: true });
    try {
      const res = await preflight(t.publicUrl, 'https://evil.example');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(t.publicUrl, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(post.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await t.close();
    }
  });

  it('production allow-list: listed origins only, x-request-id exposed', async () => {
    const t = await startTestServer(target, { production: true, http: { corsOrigins: ['https://hub.example.com'] } });
    try {
      const allowed = await preflight(t.publicUrl, 'https://hub.example.com');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://hub.example.com');
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const denied = await preflight(t.publicUrl, 'https://hub.example.com.evil.example');
      expect(denied.headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(t.publicUrl, { method: 'POST', headers: { origin: 'https://hub.example.com', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(post.headers.get('access-control-allow-origin')).toBe('https://hub.example.com');
      expect(post.headers.get('access-control-expose-headers')).toBe('x-request-id');
    } finally {
      await t.close();
    }
  });
});

/** Token edge cases through the real server, production mode with a JWKS, as deployed. */
describe('tokens from the outside (production, JWKS)', () => {
  let jwks: Server;
  let t: TestServer;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;
  const issuer = 'https://idp.example.test/';
  const audience = 'customer-success-hub';

  type Claims = { sub?: string | null; iss?: string; aud?: string; exp?: string | number; nbf?: string | number; scope?: string };
  const sign = (claims: Claims = {}, key: Parameters<SignJWT['sign']>[0] = rsa.privateKey, header: { alg: string; kid?: string } = { alg: 'RS256', kid: 'rsa-1' }) => {
    let jwt = new SignJWT(claims.scope ? { scope: claims.scope } : {})
      .setProtectedHeader(header)
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? audience)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m');
    if (claims.sub !== null) jwt = jwt.setSubject(claims.sub ?? 'sec-user');
    if (claims.nbf !== undefined) jwt = jwt.setNotBefore(claims.nbf);
    return jwt.sign(key);
  };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const call = async (authorization: string) => {
    const res = await fetch(t.publicUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ query: '{ viewer { username } }' }) });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] } };
  };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    stranger = await generateKeyPair('RS256');
    const keys = [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }];
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    t = await startTestServer(target, { production: true, auth: { kind: 'jwks', jwksUrl, issuer, audience } });
    // provision through the internal API with a JWKS-signed integration token
    const integration = `Bearer ${await sign({ sub: 'crm', scope: 'hub:integration' })}`;
    for (const [query, input] of [
      ['mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { userErrors { code } } }', { id: 'sec-brand', name: 'Sec' }],
      ['mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { code } } }', { id: 'sec-user', brandId: 'sec-brand', username: 'sec-user', email: 'sec@example.com', firstName: 'S', lastName: 'U' }],
    ] as const) {
      const res = await fetch(t.internalUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: integration }, body: JSON.stringify({ query, variables: { input } }) });
      expect(JSON.stringify(await res.json())).not.toMatch(/errors|code/);
    }
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  it('a valid token is accepted (control case)', async () => {
    const res = await call(`Bearer ${await sign()}`);
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.username).toBe('sec-user');
  });

  it.each<[string, () => Promise<string>]>([
    ['expired', async () => `Bearer ${await sign({ exp: Math.floor(Date.now() / 1000) - 120 })}`],
    ['not yet valid (nbf in the future)', async () => `Bearer ${await sign({ nbf: Math.floor(Date.now() / 1000) + 3600 })}`],
    ['wrong audience', async () => `Bearer ${await sign({ aud: 'another-api' })}`],
    ['wrong issuer', async () => `Bearer ${await sign({ iss: 'https://evil.example/' })}`],
    ['signed by a key not in the JWKS (same kid)', async () => `Bearer ${await sign({}, stranger.privateKey)}`],
    ['unknown kid', async () => `Bearer ${await sign({}, rsa.privateKey, { alg: 'RS256', kid: 'nope' })}`],
    ['HS256 (algorithm confusion)', async () => `Bearer ${await sign({}, new TextEncoder().encode('x'.repeat(64)), { alg: 'HS256', kid: 'rsa-1' })}`],
    ['alg: none', async () => `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'sec-user', iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 300 })}.`],
    ['a signature taken from another token', async () => {
      const [h, , s] = (await sign()).split('.');
      return `Bearer ${h}.${b64({ sub: 'someone-else', iss: issuer, aud: audience, exp: Math.floor(Date.now() / 1000) + 300 })}.${s}`;
    }],
    ['no subject', async () => `Bearer ${await sign({ sub: null })}`],
    ['an unknown subject', async () => `Bearer ${await sign({ sub: 'ghost' })}`],
    ['malformed: two segments', async () => 'Bearer abc.def'],
    ['malformed: header not JSON', async () => `Bearer ${Buffer.from('nope').toString('base64url')}.${b64({ sub: 'x' })}.sig`],
    ['malformed: not a Bearer scheme', async () => `Basic ${Buffer.from('sec-user:pw').toString('base64')}`],
    ['malformed: bearer with two tokens', async () => `Bearer ${await sign()} ${await sign()}`],
  ])('%s → 401 UNAUTHENTICATED, no data', async (_label, make) => {
    const res = await call(await make());
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
  });
});
