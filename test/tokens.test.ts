import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTokens } from '../src/auth/demo-tokens';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../src/auth/token';
import { seedDemoData } from '../src/db/demo-seed';
import { DATABASE_TARGETS, ok, startTestServer, TEST_SECRET, type TestServer } from './utils/harness';
import { Fixtures } from './utils/fixtures';
import { Live, WsClients } from './utils/ws';

/**
 * Issue 13, point 5: a token must carry `exp`, may not live longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS
 * (24 h by default; counted from `iat`, and from now), and is refused before its `nbf`. Over HTTP
 * (401 UNAUTHENTICATED) and WebSocket (4403). The demo tokens printed at start-up stay within the cap.
 */

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An HS256 token with exactly these claims (no defaults added). */
function sign(claims: { sub?: string; iat?: number; exp?: number; nbf?: number; scope?: string }): Promise<string> {
  const { scope, ...registered } = claims;
  return new SignJWT({ ...registered, ...(scope ? { scope } : {}) }).setProtectedHeader({ alg: 'HS256' }).sign(TEST_SECRET);
}

describe.each(DATABASE_TARGETS)('token lifetimes ($name)', (target) => {
  let t: TestServer;
  let ws: WsClients;
  const viewer = (token: string) => t.gql('{ viewer { username } }', undefined, token);

  beforeAll(async () => {
    t = await startTestServer(target);
    ws = new WsClients(t.publicUrl);
    const f = new Fixtures(t);
    await f.brand('brand-a');
    await f.account('a-std', 'brand-a');
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('control: a token of one hour is accepted', async () => {
    const res = await viewer(await sign({ sub: 'a-std', iat: nowSeconds(), exp: nowSeconds() + 3600 }));
    expect(res.status).toBe(200);
    expect(res.data.viewer.username).toBe('a-std');
  });

  it.each<[string, () => Promise<string>]>([
    ['no exp at all', () => sign({ sub: 'a-std', iat: nowSeconds() })],
    ['an exp beyond the 24-hour cap', () => sign({ sub: 'a-std', iat: nowSeconds(), exp: nowSeconds() + DEFAULT_MAX_TOKEN_LIFETIME_SECONDS + 3600 })],
    ['an exp beyond the cap and no iat', () => sign({ sub: 'a-std', exp: nowSeconds() + 30 * 24 * 3600 })],
    ['an old iat: lifetime over the cap though exp is near', () => sign({ sub: 'a-std', iat: nowSeconds() - 3 * 24 * 3600, exp: nowSeconds() + 600 })],
    ['an nbf in the future', () => sign({ sub: 'a-std', iat: nowSeconds(), nbf: nowSeconds() + 600, exp: nowSeconds() + 3600 })],
  ])('%s → 401 UNAUTHENTICATED over HTTP, 4403 over the WebSocket', async (_label, make) => {
    const token = await make();
    const res = await viewer(token);
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
    let closed: number | undefined;
    const live = new Live(ws.open(token, { onClose: (code) => (closed = code) }), 'subscription { applicationStatusChanged { component } }');
    await live.ended();
    expect(closed).toBe(4403);
  });

  it('an nbf that has passed is accepted', async () => {
    const res = await viewer(await sign({ sub: 'a-std', iat: nowSeconds() - 60, nbf: nowSeconds() - 30, exp: nowSeconds() + 3600 }));
    expect(res.data?.viewer.username).toBe('a-std');
  });

  it('AUTH_MAX_TOKEN_LIFETIME_SECONDS moves the cap', async () => {
    const strict = await startTestServer(target, { auth: { kind: 'secret', secret: TEST_SECRET, generated: false, maxTokenLifetimeSeconds: 3600 } });
    try {
      await new Fixtures(strict).brand('brand-a');
      await new Fixtures(strict).account('a-std', 'brand-a');
      const twoHours = await strict.gql('{ viewer { username } }', undefined, await sign({ sub: 'a-std', iat: nowSeconds(), exp: nowSeconds() + 7200 }));
      expect(twoHours.status).toBe(401);
      const halfAnHour = await strict.gql('{ viewer { username } }', undefined, await sign({ sub: 'a-std', iat: nowSeconds(), exp: nowSeconds() + 1800 }));
      expect(ok(halfAnHour).viewer.username).toBe('a-std');
    } finally {
      await strict.close();
    }
  });

  it('the demo tokens printed at start-up carry an exp within the cap and are accepted on their endpoints', async () => {
    // the embedded default: demo data seeded into an empty database
    const demo = await startTestServer(target);
    try {
      expect(await seedDemoData(demo.orm.em.fork())).toBeTruthy();
      const tokens = await demoTokens({ kind: 'secret', secret: TEST_SECRET, generated: false });
      expect(tokens.map((d) => d.endpoint)).toEqual(expect.arrayContaining(['/graphql', '/internal/graphql']));
      for (const { label, endpoint, token } of tokens) {
        const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
        expect(claims.exp - claims.iat, label).toBe(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS);
        const res = endpoint === '/graphql' ? await demo.gql('{ viewer { username } }', undefined, token) : await demo.internal('{ __typename }', undefined, token);
        expect(res.errors, `${label}: ${JSON.stringify(res.errors)}`).toBeUndefined();
      }
    } finally {
      await demo.close();
    }
  });
});
