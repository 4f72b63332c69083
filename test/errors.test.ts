import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, type Orm } from '../src/db/orm';
import { startServer, type RunningServer } from '../src/server';
import { signLocalToken } from '../src/auth/token';
import { DATABASE_TARGETS, TEST_SECRET, testConfig } from './utils/harness';
import { captureLogs } from './utils/log-capture';

const target = DATABASE_TARGETS[0]; // SQLite: the masking does not depend on the database

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe.each([
  { mode: 'production', production: true },
  { mode: 'development', production: false },
])('errors ($mode)', ({ production }) => {
  let orm: Orm;
  let server: RunningServer;
  let drop: () => Promise<void>;
  const logs = captureLogs();
  let url: string;

  beforeAll(async () => {
    const created = await target.create();
    drop = created.drop;
    orm = await createOrm(created.database);
    server = await startServer(testConfig(created.database, { production }), { orm, logger: logs.logger, preferenceJobIntervalMs: 0 });
    url = `http://127.0.0.1:${server.port}/graphql`;
  });
  afterAll(async () => {
    await server?.close();
    await orm?.close(true);
    await drop?.();
  });

  it('every response carries a request id; a sane incoming one is kept, anything else replaced', async () => {
    const fresh = await post(url, { query: '{ __typename }' });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await post(url, { query: '{ __typename }' }, { 'x-request-id': 'edge-proxy:4711.abc' });
    expect(kept.headers.get('x-request-id')).toBe('edge-proxy:4711.abc');
    const hostile = await post(url, { query: '{ __typename }' }, { 'x-request-id': '"}{injected <script> ' + 'x'.repeat(300) });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.headers.get('x-request-id')).toBeTruthy();
  });

  it('an unexpected failure (a table gone under the server) is INTERNAL_SERVER_ERROR with the request id, and logged with it', async () => {
    await orm.em.getConnection().execute('alter table application_component rename to application_component_gone');
    try {
      const res = await post(url, { query: '{ applicationStatus { name } }' });
      const body = JSON.parse(res.text);
      const requestId = res.headers.get('x-request-id');
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors[0].extensions.requestId).toBe(requestId);
      if (production) {
        // no SQL, table names, driver names or stack traces leave the server
        expect(body.errors[0].message).toBe('Internal server error. Quote the requestId when you report it.');
        expect(res.text).not.toMatch(/application_component|select|sqlite|stacktrace|at .*\.(js|ts):\d+/i);
        expect(Object.keys(body.errors[0].extensions).sort()).toEqual(['code', 'requestId']);
      } else {
        expect(body.errors[0].message).toMatch(/application_component/);
      }
      const logged = logs.lines.find((line) => line.msg === 'unexpected error' && line.requestId === requestId);
      expect(logged?.err?.message).toMatch(/application_component/);
      expect(logged?.err?.stack).toBeTruthy();
      const requestLine = logs.lines.find((line) => line.msg === 'request' && line.requestId === requestId);
      expect(requestLine).toMatchObject({ method: 'POST', path: '/graphql', schema: 'public', operationName: null, outcome: 'error', errorCodes: ['INTERNAL_SERVER_ERROR'], status: 200 });
      expect(typeof requestLine?.durationMs).toBe('number');
    } finally {
      await orm.em.getConnection().execute('alter table application_component_gone rename to application_component');
    }
  });

  it('errors raised on purpose keep their code and message (UNAUTHENTICATED, BAD_USER_INPUT, parse and validation failures)', async () => {
    const badToken = await post(url, { query: '{ viewer { username } }' }, { authorization: 'Bearer not-a-jwt' });
    expect(badToken.status).toBe(401);
    const unauth = JSON.parse(badToken.text).errors[0];
    expect(unauth.extensions.code).toBe('UNAUTHENTICATED');
    expect(unauth.message).toMatch(/Invalid token/);

    const anonymous = JSON.parse((await post(url, { query: '{ viewer { username } }' })).text).errors[0];
    expect(anonymous.extensions.code).toBe('UNAUTHENTICATED');


    const parse = JSON.parse((await post(url, { query: '{ viewer {' })).text).errors[0];
    expect(parse.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const validation = JSON.parse((await post(url, { query: '{ noSuchField }' })).text).errors[0];
    expect(validation.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(validation.extensions.requestId).toBeUndefined();
  });

  it('one log line per request: request id, operation name, caller, duration, outcome', async () => {
    const token = await signLocalToken(TEST_SECRET, 'integration-test', { scopes: ['hub:integration'], expiresIn: '1h' });
    const res = await post(`http://127.0.0.1:${server.port}/internal/graphql`, { query: 'query Ping { __typename }' }, { authorization: `Bearer ${token}` });
    const requestId = res.headers.get('x-request-id');
    const lines = logs.lines.filter((line) => line.requestId === requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request', level: 30, method: 'POST', path: '/internal/graphql', status: 200, schema: 'internal', operationName: 'Ping', outcome: 'success', viewer: 'integration', accountId: 'integration-test' });
    expect(lines[0].durationMs).toBeGreaterThan(0);
    expect(JSON.stringify(lines[0])).not.toContain(token);
  });

  it('a malformed JSON body is a JSON 400 BAD_REQUEST with the request id, not an HTML page with a stack trace', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(JSON.parse(text).errors[0].extensions).toEqual({ code: 'BAD_REQUEST', requestId: res.headers.get('x-request-id') });
    expect(text).not.toMatch(/SyntaxError|node_modules|at .*:\d+/);
  });

  it('input failing class-validator in a mutation is a userError per field (path, code), without echoing the value', async () => {
    const token = await signLocalToken(TEST_SECRET, 'integration-test', { scopes: ['hub:integration'], expiresIn: '1h' });
    const res = await post(
      `http://127.0.0.1:${server.port}/internal/graphql`,
      { query: 'mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { brand { id } userErrors { field code message } } }', variables: { input: { id: 'has spaces!', name: '' } } },
      { authorization: `Bearer ${token}` },
    );
    const body = JSON.parse(res.text);
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.upsertBrand.brand).toBeNull();
    expect(body.data.upsertBrand.userErrors).toEqual([
      { field: ['input', 'id'], code: 'INVALID', message: expect.any(String) },
      { field: ['input', 'name'], code: 'REQUIRED', message: expect.any(String) },
    ]);
    expect(res.text).not.toContain('has spaces!');
  });
});
