import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getIntrospectionQuery, parse, validate, type ValidationRule } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { DEFAULT_LIMITS } from '../src/limits';
import { buildPublicSchema } from '../src/schema';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

/** `depth` nested inline fragments around one field: valid on any schema, `depth + 1` deep for GraphQL Armor. */
const nested = (depth: number, inner = '__typename') => `${'... on Query { '.repeat(depth)}${inner}${' }'.repeat(depth)}`;
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const errorOf = (res: GraphQLResponse, code: string) => res.errors?.find((e) => e.extensions?.code === code);

// the limits do not depend on the database: one run on SQLite is enough
describe('operation limits through the real server (documented defaults)', () => {
  let t: TestServer;
  let ws: WsClients;
  let customer: string;
  let agent: string;

  beforeAll(async () => {
    t = await startTestServer(DATABASE_TARGETS[0], { limits: DEFAULT_LIMITS });
    ws = new WsClients(t.publicUrl);
    const f = new Fixtures(t);
    await f.brand('brand-l');
    await f.account('l-user', 'brand-l');
    await f.agent('agent-l');
    await f.ticket({ submitterId: 'l-user', messages: [{ authorKind: 'CUSTOMER', bodyHtml: '<p>hello</p>', createdAt: '2026-10-01T08:00:00.000Z' }] });
    customer = await f.tokenFor('l-user');
    agent = await t.token('agent-l', ['hub:agent']);
  });

  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('the documented defaults are what loadConfig reads from an empty environment', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: 'x'.repeat(40), HUB_DATA_DIR: '/tmp' }).limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxTokens: 10_000, maxCost: 10_000 });
  });

  it('limit variables are validated at start-up', () => {
    const env = { AUTH_JWT_SECRET: 'x'.repeat(40), HUB_DATA_DIR: '/tmp' };
    expect(() => loadConfig({ ...env, GRAPHQL_MAX_DEPTH: 'deep' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, GRAPHQL_MAX_COST: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, GRAPHQL_MAX_COST: '2000', GRAPHQL_COST_BUDGET: '1000' })).toThrow(/never be paid/);
    expect(() => loadConfig({ ...env, GRAPHQL_COST_BUDGET: '1000', GRAPHQL_COST_RESTORE_RATE: '0', GRAPHQL_MAX_COST: '100' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, RATE_LIMIT_PER_IP: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, TRUSTED_OPERATIONS_FILE: '/nonexistent/ops.json' })).toThrow(/TRUSTED_OPERATIONS_FILE/);
    expect(loadConfig({ ...env, RATE_LIMIT_PER_ACCOUNT: '0', GRAPHQL_COST_BUDGET: '0', GRAPHQL_COST_RESTORE_RATE: '0' }).limits).toMatchObject({
      budget: { maximumAvailable: 0 },
      rateLimit: { perAccountPerMinute: 0 },
    });
  });

  it('depth: a 20-deep query is refused on both schemas with MAX_DEPTH_EXCEEDED (HTTP 400)', async () => {
    const query = `{ ${nested(20)} }`;
    for (const res of [await t.gql(query), await t.internal(query, undefined, agent)]) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(errorOf(res, 'MAX_DEPTH_EXCEEDED')?.extensions).toMatchObject({ limit: 12, found: 21 });
    }
    // 12 deep is allowed
    expect(ok(await t.gql(`{ ${nested(11)} }`))).toEqual({ __typename: 'Query' });
  });

  it('depth: the deepest real selection (tickets → edges → node → messages → attachments) is well inside the limit', async () => {
    const res = await t.gql(`{ tickets(first: 5) { edges { node { ... on EmailTicket { messages { attachments { fileName } } } } } } }`, undefined, customer);
    expect(ok(res).tickets.edges).toHaveLength(1);
  });

  it('depth: a fragment named __schema does not escape the depth count (GHSA-hmfr-rx46-4jx2, fixed in max-depth 2.4.2)', async () => {
    const named = `query { ...__schema } fragment __schema on Query { ${nested(20)} }`;
    expect(codes(await t.gql(named))).toContain('MAX_DEPTH_EXCEEDED');
    const operationNamed = `query __schema { ${nested(20)} }`;
    expect(codes(await t.gql(operationNamed))).toContain('MAX_DEPTH_EXCEEDED');
  });

  it('depth: a fragment spread again deeper is counted at its deeper use (GHSA-224p-v68g-5g8f)', async () => {
    // F is 8 deep: harmless at depth 1, 15 deep when spread again under 6 inline fragments
    const cached = `query { ...F ${nested(6, '...F')} } fragment F on Query { ${nested(7)} }`;
    expect(codes(await t.gql(cached))).toContain('MAX_DEPTH_EXCEEDED');
    expect(ok(await t.gql(`query { ...F } fragment F on Query { ${nested(7)} }`))).toEqual({ __typename: 'Query' });
  });

  it('introspection stays on: the standard IntrospectionQuery passes the limits on both schemas', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    // counted like any other query it would be far deeper than the limit; `__schema` itself is exempt
    const schema = await buildPublicSchema();
    const depthOf = (ignoreIntrospection: boolean) => {
      let found = 0;
      const rule = maxDepthRule({ n: 0, ignoreIntrospection, propagateOnRejection: false, onReject: [(_ctx, e) => (found = Number(/found (\d+)/.exec(e.message)?.[1]))] });
      validate(schema, parse(query), [rule as unknown as ValidationRule]);
      return found;
    };
    expect(depthOf(false)).toBeGreaterThan(DEFAULT_LIMITS.maxDepth);
    expect(depthOf(true)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxDepth);

    const anonymous = await t.gql(query);
    expect(anonymous.status).toBe(200);
    expect(ok(anonymous).__schema.types.length).toBeGreaterThan(50);
    const internal = await t.internal(query, undefined, agent);
    expect(ok(internal).__schema.queryType.name).toBe('Query');
    // a deep __type query is an ordinary query: bounded like the rest
    expect(ok(await t.gql(`{ __type(name: "Ticket") { fields { type { ofType { ofType { ofType { name } } } } } } }`)).__type.fields.length).toBeGreaterThan(5);
  });

  it('aliases: 1,000 aliases are refused with MAX_ALIASES_EXCEEDED on both schemas', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: applicationStatus { name }`).join(' ');
    const res = await t.gql(`{ ${aliases} }`);
    expect(res.status).toBe(400);
    expect(errorOf(res, 'MAX_ALIASES_EXCEEDED')?.extensions).toMatchObject({ limit: 30, found: 1000 });
    const internalAliases = Array.from({ length: 1000 }, (_, i) => `i${i}: id`).join(' ');
    expect(codes(await t.internal(`{ ticket(id: "x") { ${internalAliases} } }`, undefined, agent))).toContain('MAX_ALIASES_EXCEEDED');
    // 30 are fine
    const thirty = Array.from({ length: 30 }, (_, i) => `a${i}: applicationStatus { name }`).join(' ');
    expect((await t.gql(`{ ${thirty} }`)).errors).toBeUndefined();
  });

  it('directives: more than 50 are refused with MAX_DIRECTIVES_EXCEEDED', async () => {
    const res = await t.gql(`{ __typename ${'@include(if: true) '.repeat(51)} }`);
    expect(errorOf(res, 'MAX_DIRECTIVES_EXCEEDED')?.extensions).toMatchObject({ limit: 50, found: 51 });
  });

  it('tokens: a document over 10,000 tokens is refused before it is parsed (MAX_TOKENS_EXCEEDED)', async () => {
    const res = await t.gql(`{ ${'__typename '.repeat(10_001)} }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'MAX_TOKENS_EXCEEDED', limit: 10_000 });
  });

  it('cost: a query costing over a million points is refused before it runs (MAX_COST_EXCEEDED)', async () => {
    const alias = (i: number) => `t${i}: tickets(first: 100) { edges { node { ... on EmailTicket { messages { attachments { fileName } } } } } }`;
    const query = `{ ${Array.from({ length: 25 }, (_, i) => alias(i)).join(' ')} }`;
    const res = await t.gql(query, undefined, customer);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    const error = errorOf(res, 'MAX_COST_EXCEEDED');
    expect(error?.extensions?.limit).toBe(10_000);
    expect(error?.extensions?.found).toBeGreaterThanOrEqual(1_000_000);
    expect((res as any).extensions.cost).toMatchObject({ requestedQueryCost: error?.extensions?.found, actualQueryCost: 0 });
  });

  it('cost: connections multiply by first/last; every response reports extensions.cost', async () => {
    const before: any = await t.gql(`{ viewer { username } }`, undefined, customer);
    expect(before.extensions.cost.requestedQueryCost).toBe(1);
    const res: any = await t.gql(`{ tickets(first: 40) { totalCount pageInfo { hasNextPage } edges { cursor node { id participants { username } } } } }`, undefined, customer);
    expect(res.errors).toBeUndefined();
    // 1 (connection) + 40 × (1 node + 20 assumed participants); the server's clock stands still, so nothing is restored
    expect(res.extensions.cost).toEqual({
      requestedQueryCost: 1 + 40 * 21,
      actualQueryCost: 1 + 40 * 21,
      throttleStatus: { maximumAvailable: 50_000, currentlyAvailable: before.extensions.cost.throttleStatus.currentlyAvailable - 841, restoreRate: 500 },
    });
    const last: any = await t.gql(`{ tickets(last: 3) { edges { node { id } } } }`, undefined, customer);
    expect(last.extensions.cost.requestedQueryCost).toBe(1 + 3);
    // a list fetched by keys costs one item per key
    const byIds: any = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ['a', 'b', 'c'] }, customer);
    expect(byIds.extensions.cost.requestedQueryCost).toBe(3);
  });

  it('cost: the same document costs what its variables ask for, every time (costs are remembered per document and variables)', async () => {
    const query = `query Page($n: Int!) { tickets(first: $n) { edges { node { id participants { username } } } } }`;
    const costOf = async (n: number) => ((await t.gql(query, { n }, customer)) as any).extensions.cost.requestedQueryCost;
    for (const n of [2, 30, 2, 30]) expect(await costOf(n)).toBe(1 + n * 21);
    // a refusal is never remembered as a price: asking again is refused again
    const unpaged = `query Page($n: Int) { tickets(first: $n) { totalCount } }`;
    for (let i = 0; i < 2; i++) expect((await t.gql(unpaged, { n: null }, customer)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('connections require first or last, at most 100 (BAD_USER_INPUT, before anything runs)', async () => {
    for (const [args, field] of [['', 'first'], ['first: 101', 'first'], ['last: 500', 'last'], ['first: -1', 'first']] as const) {
      const res = await t.gql(`{ tickets${args ? `(${args})` : ''} { totalCount } }`, undefined, customer);
      expect(res.errors?.[0].extensions, args).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.errors?.[0].message).toMatch(/first|last/);
    }
    const viaVariable = await t.gql(`query($n: Int) { tickets(first: $n) { totalCount } }`, { n: null }, customer);
    expect(viaVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('field suggestions are hidden from anonymous callers and shown to signed-in ones', async () => {
    const anonymous = await t.gql(`{ applicationStatu { name } }`);
    expect(anonymous.errors?.[0].message).not.toMatch(/Did you mean/);
    expect(anonymous.errors?.[0].message).toMatch(/Suggestion hidden/);
    const signedIn = await t.gql(`{ applicationStatu { name } }`, undefined, customer);
    expect(signedIn.errors?.[0].message).toMatch(/Did you mean "applicationStatus"\?/);
    const staff = await t.internal(`{ tiket(id: "x") { id } }`, undefined, agent);
    expect(staff.errors?.[0].message).toMatch(/Did you mean "ticket"\?/);
  });

  it('subscriptions on the WebSocket get the same depth and alias limits', async () => {
    const client = ws.open();
    const deep = new Live(client, `subscription { applicationStatusChanged { ${nested(20, 'name').replaceAll('Query', 'ApplicationComponentStatus')} } }`);
    await deep.ended();
    expect((deep.errors[0] as { extensions?: { code?: string } }[])[0].extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    const aliases = Array.from({ length: 40 }, (_, i) => `n${i}: name`).join(' ');
    const many = new Live(client, `subscription { applicationStatusChanged { ${aliases} } }`);
    await many.ended();
    expect((many.errors[0] as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code)).toContain('MAX_ALIASES_EXCEEDED');
  });
});
