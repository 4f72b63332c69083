import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  printSchema,
  type GraphQLSchema,
} from 'graphql';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInternalSchema, buildPublicSchema } from '../src/schema';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, startTestServer, TEST_SECRET, type GraphQLResponse, type TestServer } from './utils/harness';

const ROOT = join(__dirname, '..');

describe('schema files', () => {
  it.each([
    ['schema.graphql', buildPublicSchema],
    ['schema.internal.graphql', buildInternalSchema],
  ] as const)('%s matches the schema built from the code', async (file, build) => {
    const committed = readFileSync(join(ROOT, file), 'utf8');
    const printed = printSchema(await build()) + '\n';
    expect(committed, `${file} is out of date: run npm run schema`).toBe(printed);
  });
});

/**
 * Every named type, field, argument and enum value of a schema that lacks a description, the root
 * operation types (Query, Mutation, Subscription) included. Skips introspection types and built-in scalars.
 */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text || text.trim() === '';
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    if (blank(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (blank(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (blank(field.description)) missing.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (blank(value.description)) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

describe('schema documentation', () => {
  it.each([
    ['public', buildPublicSchema],
    ['internal', buildInternalSchema],
  ] as const)('every type (Query, Mutation, Subscription too), field, argument and enum value of the %s schema has a description', async (_name, build) => {
    const schema = await build();
    expect(Object.keys(schema.getTypeMap()).length).toBeGreaterThan(10);
    expect(schema.getSubscriptionType()).toBeTruthy();
    const missing = undocumented(schema);
    expect(missing, `undocumented: ${missing.join(', ')}`).toEqual([]);
  });
});

const INTERNAL_TYPES = ['ProvisionedBrand', 'ProvisionedAccount', 'UpsertBrandPayload', 'RecordTicketPayload', 'RecordTicketInput', 'UpsertAccountInput'];
const INTERNAL_MUTATIONS = ['upsertBrand', 'upsertAccount', 'recordTicket', 'setAccountTeam', 'upsertContract', 'setLinkedAccounts'];
const INTROSPECTION = `{ __schema { types { name } mutationType { fields { name } } } }`;
const VIEWER = `{ viewer { id } }`;

function firstError(response: GraphQLResponse) {
  expect(response.errors, `expected an error, got ${JSON.stringify(response)}`).toBeDefined();
  return response.errors![0];
}

describe.each(DATABASE_TARGETS)('through the real server ($name)', (target) => {
  let t: TestServer;
  let customerToken: string;
  let agentToken: string;
  let integrationToken: string;

  beforeAll(async () => {
    t = await startTestServer(target);
    const fx = new Fixtures(t);
    await fx.brand('acme');
    await fx.account('alice', 'acme');
    await fx.agent('agent-1');
    customerToken = await fx.tokenFor('alice');
    agentToken = await t.token('agent-1', ['hub:agent']);
    integrationToken = await t.token('crm-sync', ['hub:integration']);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the internal schema does have the internal names (so the public check is meaningful)', async () => {
    const res = await t.internal(INTROSPECTION, undefined, agentToken);
    const data = res.data!;
    const types = data.__schema.types.map((x: { name: string }) => x.name);
    const mutations = data.__schema.mutationType.fields.map((x: { name: string }) => x.name);
    expect(types).toEqual(expect.arrayContaining(INTERNAL_TYPES));
    expect(mutations).toEqual(expect.arrayContaining(INTERNAL_MUTATIONS));
  });

  it.each([
    ['without a token', false],
    ['with a customer token', true],
  ])('public introspection %s shows no internal type or mutation', async (_title, withToken) => {
    const res = await t.gql(INTROSPECTION, undefined, withToken ? customerToken : undefined);
    expect(res.errors).toBeUndefined();
    const types: string[] = res.data.__schema.types.map((x: { name: string }) => x.name);
    const mutations: string[] = res.data.__schema.mutationType?.fields.map((x: { name: string }) => x.name) ?? [];
    expect(types.length).toBeGreaterThan(10);
    for (const name of INTERNAL_TYPES) expect(types, `public schema exposes ${name}`).not.toContain(name);
    for (const name of INTERNAL_MUTATIONS) expect(mutations, `public schema exposes mutation ${name}`).not.toContain(name);
  });

  it('a customer token on /internal/graphql is FORBIDDEN (403, NOT_STAFF)', async () => {
    const res = await t.internal(`{ __typename }`, undefined, customerToken);
    expect(res.status).toBe(403);
    const error = firstError(res);
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.extensions?.reason).toBe('NOT_STAFF');
    expect(res.data ?? null).toBeNull();
  });

  it('no token on /internal/graphql is UNAUTHENTICATED (401)', async () => {
    const res = await fetch(t.internalUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }` }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as GraphQLResponse;
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });

  it('an agent calling upsertBrand is FORBIDDEN (NOT_AN_INTEGRATION)', async () => {
    const res = await t.internal(
      `mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { brand { id } } }`,
      { input: { id: 'sneaky', name: 'Sneaky' } },
      agentToken,
    );
    const error = firstError(res);
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.extensions?.reason).toBe('NOT_AN_INTEGRATION');
    expect(res.data?.upsertBrand ?? null).toBeNull();
  });

  it('an integration calling recordTicket is FORBIDDEN (NOT_AN_AGENT)', async () => {
    const res = await t.internal(
      `mutation($input: RecordTicketInput!) { recordTicket(input: $input) { ticket { id } } }`,
      { input: { kind: 'EMAIL', submitterId: 'alice', productArea: 'SURVEY_PLATFORM', subject: 'x', description: 'x' } },
      integrationToken,
    );
    const error = firstError(res);
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(error.extensions?.reason).toBe('NOT_AN_AGENT');
    expect(res.data?.recordTicket ?? null).toBeNull();
  });

  describe('CON-1: tokens on the public viewer query', () => {
    it('a valid customer token is accepted (control case)', async () => {
      const res = await t.gql(VIEWER, undefined, customerToken);
      expect(res.errors).toBeUndefined();
      expect(res.data.viewer.id).toBeTruthy();
    });

    const cases: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['a garbage token', async () => 'not-a-jwt'],
      [
        'an expired token',
        () =>
          new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('alice')
            .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
            .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
            .sign(TEST_SECRET),
      ],
      [
        'a token signed with a different secret',
        () =>
          new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('alice')
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode('another-secret-that-is-long-enough-for-hs256-xyz')),
      ],
      ['an alg:none unsecured token', async () => new UnsecuredJWT({}).setSubject('alice').setIssuedAt().setExpirationTime('1h').encode()],
      ['a valid token whose subject is unknown', () => t.token('nobody-here')],
    ];

    it.each(cases)('%s is UNAUTHENTICATED', async (_title, makeToken) => {
      const res = await t.gql(VIEWER, undefined, await makeToken());
      const error = firstError(res);
      expect(error.extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data?.viewer ?? null).toBeNull();
    });
  });
});
