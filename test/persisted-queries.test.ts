import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits';
import { loadTrustedOperations, operationHash } from '../src/limits/trusted-operations';
import { DATABASE_TARGETS, startTestServer, type TestServer } from './utils/harness';

/** POSTs an operation by hash, with or without its text (Apollo's automatic persisted queries). */
async function persisted(url: string, hash: string, query?: string, token?: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ ...(query ? { query } : {}), ...(variables ? { variables } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  return { status: res.status, body: await res.json() };
}

const STATUS = 'query Status { applicationStatus { name } }';
const TYPENAME = 'query Typename { __typename }';
const TICKET = 'query Ticket($id: ID!) { ticket(id: $id) { id } }';

describe('automatic persisted queries', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(DATABASE_TARGETS[0], { limits: DEFAULT_LIMITS });
  });
  afterAll(async () => t?.close());

  it('a hash the server does not know asks for the text; after one full request the hash alone is enough', async () => {
    const hash = operationHash(STATUS);
    const miss = await persisted(t.publicUrl, hash);
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await persisted(t.publicUrl, hash, STATUS);
    expect(register.body.errors).toBeUndefined();
    expect(register.body.data.applicationStatus).toBeInstanceOf(Array);
    const hit = await persisted(t.publicUrl, hash);
    expect(hit.status).toBe(200);
    expect(hit.body.data).toEqual(register.body.data);
    // the same limits apply to a persisted operation
    expect(hit.body.extensions.cost.requestedQueryCost).toBe(20);
  });

  it('a hash that does not match the text is refused', async () => {
    const wrong = await persisted(t.publicUrl, operationHash(TYPENAME), STATUS);
    expect(wrong.status).toBe(400);
    expect(wrong.body.data).toBeUndefined();
  });
});

describe('trusted operations only (TRUSTED_OPERATIONS_FILE)', () => {
  let t: TestServer;
  let dir: string;
  let integration: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-trusted-'));
    const manifest = join(dir, 'operations.json');
    writeFileSync(manifest, JSON.stringify({ [operationHash(STATUS)]: STATUS, [operationHash(TICKET)]: TICKET }));
    t = await startTestServer(DATABASE_TARGETS[0], { limits: { ...DEFAULT_LIMITS, trustedOperationsFile: manifest } });
    integration = await t.token('integration-trusted', ['hub:integration']);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a registered operation runs by its hash alone, without ever being sent in full', async () => {
    const res = await persisted(t.publicUrl, operationHash(STATUS));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.applicationStatus).toBeInstanceOf(Array);
  });

  it('a registered operation sent as text runs too', async () => {
    const res = await t.gql(STATUS);
    expect(res.errors).toBeUndefined();
  });

  it('anything else is refused with OPERATION_NOT_TRUSTED, on both schemas, introspection included', async () => {
    for (const res of [await t.gql(TYPENAME), await t.gql('{ __schema { queryType { name } } }'), await t.internal('{ ticket(id: "x") { id number } }', undefined, integration)]) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors?.[0].extensions?.code).toBe('OPERATION_NOT_TRUSTED');
    }
    const unknownHash = await persisted(t.publicUrl, operationHash(TYPENAME));
    expect(unknownHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // registering through APQ does not make an operation trusted
    const register = await persisted(t.publicUrl, operationHash(TYPENAME), TYPENAME);
    expect(register.body.errors[0].extensions.code).toBe('OPERATION_NOT_TRUSTED');
    expect((await persisted(t.publicUrl, operationHash(TYPENAME))).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('the internal schema runs registered operations of its own', async () => {
    const res = await persisted(t.internalUrl, operationHash(TICKET), undefined, integration, { id: 'VGlja2V0OjA=' });
    // it ran: the resolver's own rule answers (agents only), not the trusted-operations gate
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_AGENT' });
  });

  it('a manifest entry whose hash is not the sha256 of its text is rejected at start-up; Apollo manifests are read too', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ [operationHash(TYPENAME)]: STATUS }));
    expect(() => loadTrustedOperations(bad)).toThrow(/not the sha256/);
    const apollo = join(dir, 'apollo.json');
    writeFileSync(apollo, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: operationHash(STATUS), name: 'Status', type: 'query', body: STATUS }] }));
    expect([...loadTrustedOperations(apollo).keys()]).toEqual([operationHash(STATUS)]);
  });
});
