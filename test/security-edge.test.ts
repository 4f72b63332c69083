import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';
import { captureLogs } from './utils/log-capture';

/**
 * Issue 13, point 6: what a scanner flags. Introspection bounded per operation, an APQ hash mismatch
 * coded as the client's error, JSON 404s, subscriptions over HTTP refused with a code that says to
 * use the WebSocket, no HTML in production, and the WebSocket handshake checked against CORS_ORIGINS.
 */

const post = async (url: string, body: unknown, token?: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

/** Opens a raw WebSocket handshake; resolves with "open" or the HTTP status of the refusal. */
function handshake(url: string, origin?: string): Promise<{ outcome: 'open' } | { outcome: 'refused'; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', origin ? { origin } : {});
    socket.once('open', () => {
      socket.close();
      resolve({ outcome: 'open' });
    });
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ outcome: 'refused', status: res.statusCode ?? 0, body }));
    });
    socket.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

describe.each(DATABASE_TARGETS)('small things a scanner flags ($name)', (target) => {
  let t: TestServer;
  const logs = captureLogs();
  let base: string;

  beforeAll(async () => {
    t = await startTestServer(target, {}, { logger: logs.logger });
    base = `http://127.0.0.1:${t.server.port}`;
  });
  afterAll(async () => t?.close());

  it('introspection is bounded per operation: 30 aliased __schema are refused (MAX_INTROSPECTION_EXCEEDED), one is answered', async () => {
    const thirty = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
    const refused = await post(t.publicUrl, { query: thirty });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).errors[0].extensions).toMatchObject({ code: 'MAX_INTROSPECTION_EXCEEDED', limit: 1 });
    expect(refused.text.length).toBeLessThan(2_000);
    const one = await post(t.publicUrl, { query: '{ __schema { types { name } } }' });
    expect(one.status).toBe(200);
    expect(JSON.parse(one.text).data.__schema.types.length).toBeGreaterThan(10);
  });

  it('fragments do not get around the bound; __type is bounded too (20)', async () => {
    const viaFragments = await post(t.publicUrl, { query: '{ ...A ...B } fragment A on Query { a: __schema { queryType { name } } } fragment B on Query { b: __schema { queryType { name } } }' });
    expect(JSON.parse(viaFragments.text).errors[0].extensions.code).toBe('MAX_INTROSPECTION_EXCEEDED');
    const types = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __type(name: "Query") { name }`).join(' ')} }`;
    expect((await post(t.publicUrl, { query: types(20) })).status).toBe(200);
    const over = await post(t.publicUrl, { query: types(21) });
    expect(JSON.parse(over.text).errors[0].extensions).toMatchObject({ code: 'MAX_INTROSPECTION_EXCEEDED', limit: 20 });
  });

  it('an APQ hash that does not match its query is PERSISTED_QUERY_HASH_MISMATCH (400), not an internal error', async () => {
    const before = logs.lines.filter((l) => l.msg === 'unexpected error').length;
    const res = await post(t.publicUrl, { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    expect(logs.lines.filter((l) => l.msg === 'unexpected error').length).toBe(before);
    // control: the right hash is accepted
    const sha256Hash = createHash('sha256').update('{ __typename }').digest('hex');
    expect((await post(t.publicUrl, { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash } } })).status).toBe(200);
  });

  it('unknown paths answer a JSON 404, not an HTML page', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/graphql-typo'], ['GET', '/internal'], ['DELETE', '/healthz/x']]) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await res.text();
      expect(body).not.toMatch(/<html|<!DOCTYPE/i);
      expect(JSON.parse(body).errors[0].extensions.code).toBe('NOT_FOUND');
    }
  });

  it('a subscription sent over HTTP POST is 400 SUBSCRIPTION_REQUIRES_WEBSOCKET, on both endpoints', async () => {
    const open = await post(t.publicUrl, { query: 'subscription { applicationStatusChanged { component } }' });
    expect(open.status).toBe(400);
    expect(JSON.parse(open.text).errors[0]).toMatchObject({ extensions: { code: 'SUBSCRIPTION_REQUIRES_WEBSOCKET' }, message: expect.stringMatching(/WebSocket/) });
    const internal = await t.internal('subscription { ticketsUpdated { eventId } }');
    expect(internal.status).toBe(400);
    expect(internal.errors?.[0].extensions?.code).toBe('SUBSCRIPTION_REQUIRES_WEBSOCKET');
  });

  it('a WebSocket to a path that serves none is a JSON 404', async () => {
    const res = await handshake(`ws://127.0.0.1:${t.server.port}/nope`);
    expect(res).toMatchObject({ outcome: 'refused', status: 404 });
    expect(JSON.parse((res as { body: string }).body).errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('without CORS_ORIGINS (development) a WebSocket from any origin opens', async () => {
    expect(await handshake(`ws://127.0.0.1:${t.server.port}/graphql`, 'http://localhost:5173')).toEqual({ outcome: 'open' });
  });

  describe('production', () => {
    let prod: TestServer;
    beforeAll(async () => {
      prod = await startTestServer(target, { production: true, http: { corsOrigins: ['https://hub.example.com'] } });
    });
    afterAll(async () => prod?.close());

    it('GET /graphql from a browser serves no HTML (no landing page)', async () => {
      const res = await fetch(prod.publicUrl, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.headers.get('content-type') ?? '').not.toMatch(/html/);
      expect(await res.text()).not.toMatch(/<html|<!DOCTYPE|<script/i);
      expect(res.status).toBeGreaterThanOrEqual(400);
    });

    it('the WebSocket handshake checks Origin against CORS_ORIGINS: 403 for another origin, open for a listed one or none (non-browser clients)', async () => {
      for (const path of ['/graphql', '/internal/graphql']) {
        const url = `ws://127.0.0.1:${prod.server.port}${path}`;
        const evil = await handshake(url, 'https://evil.example');
        expect(evil).toMatchObject({ outcome: 'refused', status: 403 });
        expect(JSON.parse((evil as { body: string }).body).errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
        expect(await handshake(url, 'https://hub.example.com')).toEqual({ outcome: 'open' });
        expect(await handshake(url)).toEqual({ outcome: 'open' });
      }
    });
  });
});
