import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits';
import { operationHash } from '../src/limits/trusted-operations';
import { EXPLORER_CSP, STATUS_CSP } from '../src/web/pages';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const STATUS = 'query Status { applicationStatus { component name status message } }';
const SET_STATUS = `mutation($input: SetApplicationStatusInput!) { setApplicationStatus(input: $input) { userErrors { code } } }`;
/** GET requests must carry a non-simple header for Apollo's CSRF prevention (the status page sends this one). */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

/** A raw GET, so the test sees the bytes and headers as sent (fetch would decompress). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const getUrl = (base: string, params: Record<string, unknown>) => `${base}?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString()}`;

describe('cheap reads: HTTP caching of the application status, compression (sqlite)', () => {
  let t: TestServer;
  let f: Fixtures;
  beforeAll(async () => {
    t = await startTestServer(DATABASE_TARGETS[0], { limits: DEFAULT_LIMITS });
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.account('a-std', 'brand-a');
  });
  afterAll(async () => t?.close());

  it('STAT-1: an anonymous GET of the status is cacheable (ETag, public max-age); unchanged → 304; a change → a new ETag', async () => {
    const url = getUrl(t.publicUrl, { query: STATUS });
    const first = await rawGet(url, PREFLIGHT);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=10');
    expect(first.headers.vary).toMatch(/accept-language/i);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    // no caller-specific extension in a shared answer
    expect(JSON.parse(first.body.toString()).extensions).toBeUndefined();

    const again = await rawGet(url, { ...PREFLIGHT, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    const res = ok(await t.internal(SET_STATUS, { input: { component: 'REPORTING', status: 'PARTIAL_OUTAGE', message: 'Exports slow' } })).setApplicationStatus;
    expect(res.userErrors).toEqual([]);
    const changed = await rawGet(url, { ...PREFLIGHT, 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.toString()).toContain('Exports slow');
  });

  it('STAT-1: the same over an automatic persisted query by GET', async () => {
    const hash = operationHash(STATUS);
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    const register = await rawGet(getUrl(t.publicUrl, { query: STATUS, extensions }), PREFLIGHT);
    expect(register.status).toBe(200);
    const byHash = await rawGet(getUrl(t.publicUrl, { extensions }), PREFLIGHT);
    expect(byHash.status).toBe(200);
    expect(byHash.headers['cache-control']).toBe('public, max-age=10');
    const notModified = await rawGet(getUrl(t.publicUrl, { extensions }), { ...PREFLIGHT, 'if-none-match': byHash.headers.etag as string });
    expect(notModified.status).toBe(304);
  });

  it('nothing viewer-specific is cacheable: a token, another field, a POST, an error are all no-store', async () => {
    const token = await f.tokenFor('a-std');
    const withToken = await rawGet(getUrl(t.publicUrl, { query: STATUS }), { ...PREFLIGHT, authorization: `Bearer ${token}` });
    expect(withToken.status).toBe(200);
    expect(withToken.headers['cache-control']).toBe('no-store');
    expect(withToken.headers.etag).toBeUndefined();
    const viewer = await rawGet(getUrl(t.publicUrl, { query: '{ viewer { username } }' }), { ...PREFLIGHT, authorization: `Bearer ${token}` });
    expect(viewer.headers['cache-control']).toBe('no-store');
    const mixed = await rawGet(getUrl(t.publicUrl, { query: '{ applicationStatus { name } viewer { username } }' }), PREFLIGHT);
    expect(mixed.headers['cache-control']).toBe('no-store');
    const post = await fetch(t.publicUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: STATUS }) });
    expect(post.headers.get('cache-control')).toBe('no-store');
    const invalid = await rawGet(getUrl(t.publicUrl, { query: '{ applicationStatus { nope } }' }), PREFLIGHT);
    expect(invalid.headers['cache-control']).toBe('no-store');
  });

  it('large answers are compressed when the client accepts it; small ones are not', async () => {
    const big = await rawGet(getUrl(t.publicUrl, { query: '{ __schema { types { name description fields { name description } } } }' }), { ...PREFLIGHT, 'accept-encoding': 'gzip' });
    expect(big.status).toBe(200);
    expect(big.headers['content-encoding']).toBe('gzip');
    const { gunzipSync } = await import('node:zlib');
    const json = JSON.parse(gunzipSync(big.body).toString());
    expect(json.data.__schema.types.length).toBeGreaterThan(50);
    expect(big.body.length).toBeLessThan(gunzipSync(big.body).length / 3);
    const small = await rawGet(getUrl(t.publicUrl, { query: '{ __typename }' }), { ...PREFLIGHT, 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    const identity = await rawGet(getUrl(t.publicUrl, { query: '{ __schema { types { name } } }' }), PREFLIGHT);
    expect(identity.headers['content-encoding']).toBeUndefined();
  });
});

describe('the explorer and the status page (sqlite)', () => {
  const page = (base: string, path: string) => rawGet(`${base.replace(/\/graphql$/, '')}${path}`, { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });

  it('development: GET /graphql from a browser is GraphiQL from our own bundle, under a CSP; JSON GETs still reach GraphQL', async () => {
    const t = await startTestServer(DATABASE_TARGETS[0]);
    try {
      const res = await page(t.publicUrl, '/graphql');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toBe(EXPLORER_CSP);
      const html = res.body.toString();
      expect(html).toContain('<script src="/web/explorer/explorer.js"></script>');
      // nothing from another origin
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      const json = await rawGet(getUrl(t.publicUrl, { query: '{ __typename }' }), PREFLIGHT);
      expect(JSON.parse(json.body.toString())).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await t.close();
    }
  });

  it('production: no HTML at /graphql unless HUB_EXPLORER enables it; /status is always served under its own CSP', async () => {
    const off = await startTestServer(DATABASE_TARGETS[0], { production: true });
    try {
      const res = await page(off.publicUrl, '/graphql');
      expect(res.headers['content-type'] ?? '').not.toMatch(/text\/html/);
      expect(res.body.toString()).not.toContain('<html');
      const status = await page(off.publicUrl, '/status');
      expect(status.status).toBe(200);
      expect(status.headers['content-security-policy']).toBe(STATUS_CSP);
      expect(status.body.toString()).toContain('<script src="/web/status/status.js"></script>');
    } finally {
      await off.close();
    }
    const on = await startTestServer(DATABASE_TARGETS[0], { production: true, http: { explorer: true } });
    try {
      const res = await page(on.publicUrl, '/graphql');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toBe(EXPLORER_CSP);
      // no demo tokens outside development
      expect(res.body.toString()).toContain('<script type="application/json" id="demo-tokens">[]</script>');
    } finally {
      await on.close();
    }
  });
});
