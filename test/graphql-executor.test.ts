import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

/**
 * GRAPHQL_EXECUTOR (docs/performance.md, D14): with `jit` the queries over HTTP run compiled by
 * graphql-jit, and every answer — data, errors with their extensions, paths and locations, nulls
 * where a field failed — is the one graphql-js gives. Two servers with the same fixtures, one per
 * executor, answer the same operations; ids differ between their databases and are replaced by
 * their role before comparing.
 */

const PAGE = `query Page($first: Int!, $withEscalation: Boolean!) {
  tickets(first: $first, scope: ORGANIZATION) {
    totalCount
    pageInfo { hasNextPage }
    edges {
      node {
        __typename id number type status subject createdAt
        submitter { username displayName }
        participants { username role }
        assignee { name }
        escalation @include(if: $withEscalation) { reference status timeline { status reachedAt } }
        ... on EmailTicket { messages { authorKind subject bodyHtml createdAt } }
      }
    }
  }
}`;

const DETAIL = `query Detail($id: ID!) {
  ticket(id: $id) { id number status messages { subject bodyHtml } }
  again: node(id: $id) { __typename ... on Ticket { subject } }
}`;

interface Scenario {
  t: TestServer;
  ids: Record<string, string>;
  tokens: Record<string, string>;
}

async function scenario(target: (typeof DATABASE_TARGETS)[number], graphqlExecutor: 'jit' | 'graphql-js'): Promise<Scenario> {
  const t = await startTestServer(target, { graphqlExecutor });
  const fx = new Fixtures(t);
  await fx.brand('acme');
  await fx.brand('fed', { fedramp: true });
  await fx.account('ada', 'acme', { role: 'BRAND_ADMIN' });
  await fx.account('sam', 'acme');
  await fx.account('fran', 'fed');
  await fx.agent('agent-1');
  const ids: Record<string, string> = {};
  for (let n = 0; n < 4; n++) {
    const ticket = await fx.ticket({
      submitterId: n % 2 ? 'sam' : 'ada',
      participantIds: ['sam'],
      assigneeId: 'agent-1',
      subject: `Problem ${n}`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
      messages: [{ authorKind: 'CUSTOMER', bodyHtml: `<p>Message ${n}</p>` }],
      ...(n === 0 ? { status: 'ESCALATED', escalation: { reference: 'CP-1', problemDescription: 'x', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-01-01T00:00:00Z' }] } } : {}),
    });
    ids[`acme-${n}`] = ticket.id;
  }
  ids.fed = (await fx.ticket({ submitterId: 'fran', subject: 'FedRAMP problem', createdAt: '2026-01-02T00:00:00.000Z' })).id;
  const tokens = { ada: await t.token('ada'), sam: await t.token('sam'), fran: await t.token('fran') };
  return { t, ids, tokens };
}

/** The answer with this server's ids named by their role, the per-request id and the stack traces (development only; their frames differ by executor) dropped. */
function normalized(s: Scenario, response: GraphQLResponse): string {
  for (const error of response.errors ?? []) delete error.extensions?.stacktrace;
  let text = JSON.stringify(response);
  for (const [role, id] of Object.entries(s.ids)) text = text.split(id).join(`<${role}>`);
  return text.replace(/"requestId":"[^"]*"/g, '"requestId":"-"');
}

describe.each(DATABASE_TARGETS)('GRAPHQL_EXECUTOR: graphql-jit answers what graphql-js answers ($name)', (target) => {
  let jit: Scenario;
  let js: Scenario;

  beforeAll(async () => {
    [jit, js] = await Promise.all([scenario(target, 'jit'), scenario(target, 'graphql-js')]);
  });

  afterAll(async () => {
    await Promise.all([jit?.t.close(), js?.t.close()]);
  });

  /** Each operation is sent twice: graphql-jit compiles a document on its second use (the first runs on graphql-js), and the second answer is compared. */
  const both = async (run: (s: Scenario) => Promise<GraphQLResponse>) => {
    await run(jit);
    const answers = [await run(jit), await run(js)];
    return { jitAnswer: answers[0], jsAnswer: answers[1], same: () => expect(normalized(jit, answers[0])).toBe(normalized(js, answers[1])) };
  };

  it('queries are compiled on their second use on the jit server, once, and only there', async () => {
    const before = jit.t.server.executor.compiledOperations();
    const probe = () => jit.t.gql('query Probe { viewer { __typename } }', undefined, jit.tokens.ada);
    await probe();
    expect(jit.t.server.executor.kind).toBe('jit');
    expect(jit.t.server.executor.compiledOperations()).toBe(before);
    await probe();
    expect(jit.t.server.executor.compiledOperations()).toBe(before + 1);
    // the same document again is not compiled again
    await probe();
    expect(jit.t.server.executor.compiledOperations()).toBe(before + 1);
    expect(js.t.server.executor.kind).toBe('graphql-js');
    expect(js.t.server.executor.compiledOperations()).toBe(0);
  });

  it('a page with relations, fragments, @include and interfaces answers the same data', async () => {
    for (const withEscalation of [true, false]) {
      const { jitAnswer, same } = await both((s) => s.t.gql(PAGE, { first: 3, withEscalation }, s.tokens.ada));
      expect(jitAnswer.errors).toBeUndefined();
      expect(jitAnswer.data.tickets.edges).toHaveLength(3);
      same();
    }
  });

  it('one ticket through ticket(id) and node(id), compiled', async () => {
    const { jitAnswer, same } = await both((s) => s.t.gql(DETAIL, { id: s.ids['acme-1'] }, s.tokens.sam));
    expect(jitAnswer.data.ticket.messages[0].bodyHtml).toContain('Message 1');
    same();
  });

  it('FED-1: a FedRAMP customer gets FORBIDDEN/FEDRAMP_RESTRICTED with the same path, locations and null data', async () => {
    const { jitAnswer, same } = await both((s) => s.t.gql(DETAIL, { id: s.ids.fed }, s.tokens.fran));
    expect(jitAnswer.data).toEqual({ ticket: null, again: null });
    expect(jitAnswer.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([
      [['ticket'], 'FORBIDDEN', 'FEDRAMP_RESTRICTED'],
      [['again'], 'FORBIDDEN', 'FEDRAMP_RESTRICTED'],
    ]);
    same();
    const list = await both((s) => s.t.gql(PAGE, { first: 3, withEscalation: true }, s.tokens.fran));
    expect(list.jitAnswer.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    list.same();
  });

  it("another brand's ticket and a ticket a standard user is not on answer the same refusal or null", async () => {
    for (const [id, token] of [['acme-0', 'fran'], ['acme-0', 'sam'], ['fed', 'ada']] as const) {
      const { same } = await both((s) => s.t.gql(DETAIL, { id: s.ids[id] }, s.tokens[token]));
      same();
    }
  });

  it('mutations, introspection and bad variables keep graphql-js and Apollo behaviour on the jit server', async () => {
    const introspection = await both((s) => s.t.gql('{ __schema { queryType { name } } }'));
    expect(introspection.jitAnswer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    introspection.same();
    const badVariables = await both((s) => s.t.gql(PAGE, { first: 'three', withEscalation: true }, s.tokens.ada));
    expect(badVariables.jitAnswer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    badVariables.same();
  });
});

describe('GRAPHQL_EXECUTOR configuration', () => {
  const env = { NODE_ENV: 'test' };
  it('defaults to graphql-js, takes jit, refuses anything else', () => {
    expect(loadConfig(env).graphqlExecutor).toBe('graphql-js');
    expect(loadConfig({ ...env, GRAPHQL_EXECUTOR: 'jit' }).graphqlExecutor).toBe('jit');
    expect(() => loadConfig({ ...env, GRAPHQL_EXECUTOR: 'fast' })).toThrow(/GRAPHQL_EXECUTOR must be one of jit, graphql-js/);
  });
});
