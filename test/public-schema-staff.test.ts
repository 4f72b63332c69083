import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message, Ticket } from '../src/entities';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { Fixtures } from './utils/fixtures';
import { Live, WsClients } from './utils/ws';

/**
 * Issue 13, point 1: the public schema is for customers. Every root field of the public schema is
 * found by introspection and sent with a support agent's and an integration's token; each answers
 * FORBIDDEN / NOT_A_CUSTOMER — a field added later is enumerated too, so it cannot slip past. The
 * fields any caller may use are listed here, on purpose, by hand.
 */
const ANY_CALLER: Record<string, readonly string[]> = {
  Query: ['applicationStatus', 'loginHelp'],
  Mutation: ['updateEmailPreferencesByLink'],
  Subscription: ['applicationStatusChanged'],
};

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface IntrospectedField {
  name: string;
  args: { name: string; type: TypeRef; defaultValue: string | null }[];
  type: TypeRef;
}
interface IntrospectedType {
  kind: string;
  name: string;
  fields: IntrospectedField[] | null;
  inputFields: { name: string; type: TypeRef; defaultValue: string | null }[] | null;
  enumValues: { name: string }[] | null;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
const INTROSPECTION = `{ __schema {
  queryType { name } mutationType { name } subscriptionType { name }
  types { kind name enumValues { name }
    fields { name type { ${TYPE_REF} } args { name defaultValue type { ${TYPE_REF} } } }
    inputFields { name defaultValue type { ${TYPE_REF} } } } } }`;

const printRef = (ref: TypeRef): string => (ref.kind === 'NON_NULL' ? `${printRef(ref.ofType!)}!` : ref.kind === 'LIST' ? `[${printRef(ref.ofType!)}]` : ref.name!);
const namedOf = (ref: TypeRef): string => (ref.ofType ? namedOf(ref.ofType) : ref.name!);

/** One operation per root field: its required arguments as variables with plausible values, `__typename` selected. */
function operationsOf(types: Map<string, IntrospectedType>, rootName: string, keyword: string, ticketId: string) {
  const valueOf = (ref: TypeRef): unknown => {
    if (ref.kind === 'NON_NULL') return valueOf(ref.ofType!);
    if (ref.kind === 'LIST') return [valueOf(ref.ofType!)];
    const type = types.get(ref.name!)!;
    if (type.kind === 'ENUM') return type.enumValues![0].name;
    if (type.kind === 'INPUT_OBJECT') {
      const value: Record<string, unknown> = {};
      for (const field of type.inputFields!) if (field.type.kind === 'NON_NULL' && field.defaultValue === null) value[field.name] = valueOf(field.type);
      return value;
    }
    return ({ ID: ticketId, String: 'x', Int: 1, Float: 1, Boolean: false, DateTime: '2026-11-03T10:00:00.000Z' } as Record<string, unknown>)[type.name] ?? 'x';
  };
  return types.get(rootName)!.fields!.map((field) => {
    const required = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null);
    const connection = field.args.some((a) => a.name === 'first');
    const declared = required.map((a) => `$${a.name}: ${printRef(a.type)}`).join(', ');
    const passed = [...required.map((a) => `${a.name}: $${a.name}`), ...(connection ? ['first: 1'] : [])].join(', ');
    const returned = types.get(namedOf(field.type))!;
    const selection = ['OBJECT', 'INTERFACE', 'UNION'].includes(returned.kind) ? ' { __typename }' : '';
    return {
      field: field.name,
      query: `${keyword}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
      variables: Object.fromEntries(required.map((a) => [a.name, valueOf(a.type)])),
    };
  });
}

describe.each(DATABASE_TARGETS)('the public schema is for customers ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  let internalWs: WsClients;
  const tok: Record<string, string> = {};
  const tickets: Record<string, string> = {};
  const ops: Record<'Query' | 'Mutation' | 'Subscription', ReturnType<typeof operationsOf>> = { Query: [], Mutation: [], Subscription: [] };

  const counts = async () => {
    const em = t.orm.em.fork();
    return { tickets: await em.count(Ticket, {}), messages: await em.count(Message, {}) };
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    ws = new WsClients(t.publicUrl);
    internalWs = new WsClients(t.internalUrl);
    await f.brand('brand-a');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std', 'brand-a');
    await f.account('f-user', 'brand-f');
    await f.agent('agent-1');
    tok.customer = await f.tokenFor('a-std');
    tok.agent = await t.token('agent-1', ['hub:agent']);
    tok.integration = await t.token('integration-crm', ['hub:integration']);
    const thread = [{ authorKind: 'CUSTOMER', bodyHtml: '<p>Help</p>', recipients: ['support@vendor.example'], createdAt: '2026-10-01T08:00:00.000Z' }];
    tickets.a = (await f.ticket({ submitterId: 'a-std', subject: 'brand A ticket', createdAt: '2026-10-01T08:00:00.000Z', messages: thread })).id;
    tickets.f = (await f.ticket({ submitterId: 'f-user', subject: 'FedRAMP ticket', createdAt: '2026-10-01T08:00:00.000Z', messages: thread })).id;

    const schema = ok(await t.gql(INTROSPECTION, undefined, tok.customer)).__schema;
    const types = new Map<string, IntrospectedType>(schema.types.map((type: IntrospectedType) => [type.name, type]));
    ops.Query = operationsOf(types, schema.queryType.name, 'query', tickets.f);
    ops.Mutation = operationsOf(types, schema.mutationType.name, 'mutation', tickets.f);
    ops.Subscription = operationsOf(types, schema.subscriptionType.name, 'subscription', tickets.f);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await internalWs?.closeAll();
    await t?.close();
  });

  it('introspection found every kind of root field (the ones the issue names among them)', () => {
    const names = Object.values(ops).flat().map((op) => op.field);
    expect(names).toEqual(expect.arrayContaining(['tickets', 'ticket', 'node', 'nodes', 'viewer', 'createEmailTicket', 'replyToTicket', 'ticketUpdated', 'ticketsUpdated', 'callbackQueuePosition']));
    for (const [root, open] of Object.entries(ANY_CALLER)) for (const name of open) expect(ops[root as keyof typeof ops].map((op) => op.field)).toContain(name);
  });

  for (const who of ['agent', 'integration'] as const) {
    it(`every query and mutation over HTTP refuses a ${who} token with FORBIDDEN / NOT_A_CUSTOMER; nothing changes`, async () => {
      const before = await counts();
      const checked: string[] = [];
      for (const root of ['Query', 'Mutation'] as const) {
        for (const op of ops[root]) {
          const res = await t.gql(op.query, op.variables, tok[who]);
          const refusal = res.errors?.find((e) => e.extensions?.reason === 'NOT_A_CUSTOMER');
          if (ANY_CALLER[root].includes(op.field)) {
            expect(refusal, `${op.field} is open to any caller`).toBeUndefined();
            continue;
          }
          expect(res.status, op.query).toBeLessThan(500);
          expect(refusal, `${op.query} → ${JSON.stringify(res.errors ?? res.data)}`).toMatchObject({ path: [op.field], extensions: { code: 'FORBIDDEN', reason: 'NOT_A_CUSTOMER' } });
          expect(res.data?.[op.field] ?? null).toBeNull();
          checked.push(op.field);
        }
      }
      expect(checked.length).toBeGreaterThan(15);
      expect(await counts()).toEqual(before);
    });

    it(`every subscription over the public WebSocket refuses a ${who} token with NOT_A_CUSTOMER`, async () => {
      const client = ws.open(tok[who]);
      let checked = 0;
      for (const op of ops.Subscription) {
        if (ANY_CALLER.Subscription.includes(op.field)) continue;
        const live = new Live(client, op.query, op.variables);
        await live.ended();
        expect(live.results, op.query).toHaveLength(1);
        expect(live.results[0].errors, op.query).toMatchObject([{ path: [op.field], extensions: { code: 'FORBIDDEN', reason: 'NOT_A_CUSTOMER' } }]);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(3);
    });
  }

  it('control: a customer token is answered by the same generated operations (the refusal is about the caller, not the operation)', async () => {
    const tickets = ops.Query.find((op) => op.field === 'tickets')!;
    const res = await t.gql(tickets.query, tickets.variables, tok.customer);
    expect(res.errors).toBeUndefined();
    expect(res.data.tickets).toEqual({ __typename: 'TicketConnection' });
  });

  describe('agents get live ticket updates on ws://…/internal/graphql, and none on the public socket', () => {
    const FEED = 'subscription { ticketsUpdated { eventId change ticket { id subject } } }';
    const ONE = 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id } } }';
    const setStatus = (ticketId: string, status: string) =>
      t.internal(`mutation($input: SetTicketStatusInput!) { setTicketStatus(input: $input) { userErrors { field code message } } }`, { input: { ticketId, status } }, tok.agent);

    const waitForSubscriptions = async (count: number) => {
      const deadline = Date.now() + 5_000;
      while (t.server.subscriptions.stats().subscriptions !== count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} active subscriptions, have ${t.server.subscriptions.stats().subscriptions}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    it('the internal feed and ticketUpdated deliver every brand’s changes (FedRAMP included) to an agent; the public socket delivers the sentinel only', async () => {
      const base = t.server.subscriptions.stats().subscriptions;
      const internal = internalWs.open(tok.agent);
      const feed = new Live(internal, FEED);
      const one = new Live(internal, ONE, { id: tickets.f });
      const publicSocket = ws.open(tok.agent);
      const publicFeed = new Live(publicSocket, 'subscription { ticketsUpdated { eventId } }');
      const publicOne = new Live(publicSocket, 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId } }', { id: tickets.a });
      const sentinel = new Live(publicSocket, 'subscription { applicationStatusChanged { component status } }');
      await publicFeed.ended();
      await publicOne.ended();
      await waitForSubscriptions(base + 3);

      expect(ok(await setStatus(tickets.a, 'CLOSED')).setTicketStatus.userErrors).toEqual([]);
      expect(ok(await setStatus(tickets.f, 'CLOSED')).setTicketStatus.userErrors).toEqual([]);
      ok(await t.internal(`mutation { setApplicationStatus(input: { component: "REPORTING", status: PARTIAL_OUTAGE }) { userErrors { code } } }`));

      await sentinel.waitFor(1);
      expect(sentinel.results[0].data).toEqual({ applicationStatusChanged: { component: 'REPORTING', status: 'PARTIAL_OUTAGE' } });
      const delivered = await feed.waitFor(2);
      expect(delivered.map((r) => r.data?.ticketsUpdated.ticket.id)).toEqual([tickets.a, tickets.f]);
      expect(delivered.every((r) => r.data?.ticketsUpdated.change === 'STATUS')).toBe(true);
      expect((await one.waitFor(1))[0].data?.ticketUpdated).toMatchObject({ change: 'STATUS', ticket: { id: tickets.f } });
      // the public socket: the two refusals, no ticket event, then the sentinel
      for (const refused of [publicFeed, publicOne]) {
        expect(refused.results).toHaveLength(1);
        expect(refused.results[0].errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_A_CUSTOMER' });
      }
      expect(sentinel.results).toHaveLength(1);
      feed.dispose();
      one.dispose();
      sentinel.dispose();
    });

    it('the internal socket admits staff only: a customer or anonymous caller is closed with 4403, an integration is refused NOT_AN_AGENT', async () => {
      for (const token of [tok.customer, undefined]) {
        let closed: number | undefined;
        const client = internalWs.open(token, { onClose: (code) => (closed = code) });
        const live = new Live(client, FEED);
        await live.ended();
        expect(closed).toBe(4403);
      }
      const integration = new Live(internalWs.open(tok.integration), FEED);
      await integration.ended();
      expect(integration.results[0].errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_AGENT' });
    });

    it('internal ticketUpdated for a ticket that does not exist is NOT_FOUND', async () => {
      const live = new Live(internalWs.open(tok.agent), ONE, { id: Buffer.from('Ticket:999999').toString('base64url') });
      await live.ended();
      expect(live.results[0].errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
