import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures } from './utils/fixtures';
import { signLocalToken } from '../src/auth/token';
import { DATABASE_TARGETS, ok, startTestServer, TEST_SECRET, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

const TICKET_UPDATED = `subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id status messages { bodyHtml } } } }`;
const TICKETS_UPDATED = `subscription($scope: TicketScope) { ticketsUpdated(scope: $scope) { eventId change ticket { id status } } }`;
const STATUS_CHANGED = `subscription { applicationStatusChanged { component status message } }`;
const REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code message } } }`;
const SET_STATUS = `mutation($input: SetApplicationStatusInput!) { setApplicationStatus(input: $input) { userErrors { code } } }`;

type Mode = { name: string; singleConnection: boolean };
const MODES: Mode[] = [
  { name: 'distinct connections', singleConnection: false },
  { name: 'single connection', singleConnection: true },
];

/** The first error of a subscription that was refused, as a client sees it (code and reason). */
function refusalOf(live: Live): unknown {
  const error = live.results[0]?.errors?.[0] ?? (live.errors[0] as { message?: string } | undefined);
  const extensions = (error as { extensions?: { code?: string; reason?: string } } | undefined)?.extensions;
  return { code: extensions?.code, reason: extensions?.reason };
}

describe.each(DATABASE_TARGETS)('subscriptions over Server-Sent Events, graphql-sse ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  let agent: string;
  const sseClients: SseClient[] = [];
  const tok: Record<string, string> = {};

  const sse = (mode: Mode, token?: string) => {
    const client = createSseClient({
      url: `${t.publicUrl}/stream`,
      singleConnection: mode.singleConnection,
      retryAttempts: 0,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    sseClients.push(client);
    return client;
  };
  const stats = () => t.server.subscriptions.stats();
  /** Waits on the server's own counters until `ws` WebSocket and `sse` SSE subscriptions are active. */
  const activeAtLeast = async (wsCount: number, sseCount: number) => {
    const deadline = Date.now() + 5_000;
    while (stats().subscriptions < wsCount || stats().sseSubscriptions < sseCount) {
      if (Date.now() > deadline) throw new Error(`subscriptions not active: ${JSON.stringify(stats())}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const reply = async (ticketId: string, bodyHtml: string) => {
    const res = ok(await t.internal(REPLY, { input: { ticketId, bodyHtml } }, agent)).postAgentReply;
    expect(res.userErrors).toEqual([]);
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    ws = new WsClients(t.publicUrl);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.account('f-user', 'brand-f');
    await f.agent('agent-x');
    agent = await t.token('agent-x', ['hub:agent']);
    for (const id of ['a-std', 'a-admin', 'b-admin', 'f-user']) tok[id] = await f.tokenFor(id);
  });
  afterAll(async () => {
    sseClients.splice(0).forEach((c) => c.dispose());
    await ws?.closeAll();
    await t?.close();
  });

  describe.each(MODES)('$name', (mode) => {
    it('RT-1, RT-3: an SSE client receives the same events as a WebSocket client, and nothing of another brand', async () => {
      const ticket = await f.ticket({ submitterId: 'a-std' });
      const other = await f.ticket({ submitterId: 'b-admin' });
      const before = stats();
      const overWs = new Live(ws.open(tok['a-admin']), TICKETS_UPDATED, { scope: 'ORGANIZATION' });
      const overSse = new Live(sse(mode, tok['a-admin']) as never, TICKETS_UPDATED, { scope: 'ORGANIZATION' });
      const oneWs = new Live(ws.open(tok['a-std']), TICKET_UPDATED, { id: ticket.id });
      const oneSse = new Live(sse(mode, tok['a-std']) as never, TICKET_UPDATED, { id: ticket.id });
      await activeAtLeast(before.subscriptions + 2, before.sseSubscriptions + 2);
      // brand b's event first: it must reach neither; brand a's event is the sentinel after it
      await reply(other.id, 'brand b only');
      await reply(ticket.id, '<p>for brand a</p>');
      await Promise.all([overWs.waitFor(1), overSse.waitFor(1), oneWs.waitFor(1), oneSse.waitFor(1)]);
      expect(overSse.results).toEqual(overWs.results);
      expect(oneSse.results).toEqual(oneWs.results);
      expect((overSse.results[0].data as any).ticketsUpdated.ticket.id).toBe(ticket.id);
      expect((oneSse.results[0].data as any).ticketUpdated.ticket.messages.map((m: any) => m.bodyHtml)).toContain('<p>for brand a</p>');
      [overWs, overSse, oneWs, oneSse].forEach((l) => l.dispose());
    });

    it('RT-3, FED-1, HIST-3: refused the same as over the WebSocket — staff (integration), anonymous, FedRAMP, another brand, a standard user on ORGANIZATION', async () => {
      const ticket = await f.ticket({ submitterId: 'a-std' });
      const fedTicket = await f.ticket({ submitterId: 'f-user' });
      const integration = await t.token('crm-sync', ['hub:integration']);
      const cases: [string, string | undefined, string, Record<string, unknown>][] = [
        ['integration', integration, TICKET_UPDATED, { id: ticket.id }],
        ['anonymous', undefined, TICKET_UPDATED, { id: ticket.id }],
        ['FedRAMP', tok['f-user'], TICKET_UPDATED, { id: fedTicket.id }],
        ['FedRAMP list', tok['f-user'], TICKETS_UPDATED, {}],
        ['another brand', tok['b-admin'], TICKET_UPDATED, { id: ticket.id }],
        ['standard on ORGANIZATION', tok['a-std'], TICKETS_UPDATED, { scope: 'ORGANIZATION' }],
      ];
      for (const [name, token, query, variables] of cases) {
        const overWs = new Live(ws.open(token), query, variables);
        const overSse = new Live(sse(mode, token) as never, query, variables);
        await Promise.all([overWs.ended(), overSse.ended()]);
        const refused = refusalOf(overWs);
        expect(refused, name).toMatchObject({ code: expect.stringMatching(/FORBIDDEN|UNAUTHENTICATED/) });
        expect(refusalOf(overSse), name).toEqual(refused);
        expect(overSse.results.filter((r) => r.data), name).toEqual([]);
      }
    });

    it('STAT-2: the application status reaches anonymous SSE subscribers', async () => {
      const before = stats();
      const live = new Live(sse(mode) as never, STATUS_CHANGED);
      await activeAtLeast(0, before.sseSubscriptions + 1);
      const res = ok(await t.internal(SET_STATUS, { input: { component: 'REPORTING', status: 'DEGRADED_PERFORMANCE', message: `slow (${mode.name})` } })).setApplicationStatus;
      expect(res.userErrors).toEqual([]);
      const [first] = await live.waitFor(1);
      expect((first.data as any).applicationStatusChanged).toEqual({ component: 'REPORTING', status: 'DEGRADED_PERFORMANCE', message: `slow (${mode.name})` });
      live.dispose();
    });
  });

  it('a bad token is refused with 401 UNAUTHENTICATED (the WebSocket closes with 4403)', async () => {
    const res = await fetch(`${t.publicUrl}/stream`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' },
      body: JSON.stringify({ query: STATUS_CHANGED }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("the token's expiry ends the event stream (as it closes a socket with 4403)", async () => {
    const shortLived = await signLocalToken(TEST_SECRET, 'a-std', { expiresIn: '2s' });
    const before = stats();
    const live = new Live(sse(MODES[0], shortLived) as never, STATUS_CHANGED);
    await activeAtLeast(0, before.sseSubscriptions + 1);
    await live.ended(10_000);
    expect(live.results).toEqual([]);
    expect(stats().sseSubscriptions).toBe(before.sseSubscriptions);
  });

  it('a stream reserved by one caller cannot take operations of another', async () => {
    const reserve = await fetch(`${t.publicUrl}/stream`, { method: 'PUT', headers: { authorization: `Bearer ${tok['a-admin']}` } });
    expect(reserve.status).toBe(201);
    const token = await reserve.text();
    const send = (who: string) =>
      fetch(`${t.publicUrl}/stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tok[who]}`, 'x-graphql-event-stream-token': token },
        body: JSON.stringify({ query: STATUS_CHANGED, extensions: { operationId: `op-${who}` } }),
      });
    expect((await send('b-admin')).status).toBe(404);
    expect((await send('a-admin')).status).toBe(202);
  });

  it('queries and mutations are refused over SSE too (OPERATION_NOT_SUPPORTED), and the limits apply', async () => {
    const query = new Live(sse(MODES[0], tok['a-std']) as never, `query { applicationStatus { component } }`);
    await query.ended();
    expect(refusalOf(query)).toMatchObject({ code: 'OPERATION_NOT_SUPPORTED' });
    // 31 aliases: over the alias limit of both transports (docs/limits.md)
    const aliased = `subscription { applicationStatusChanged { ${Array.from({ length: 31 }, (_, i) => `a${i}: component`).join(' ')} } }`;
    const overWs = new Live(ws.open(tok['a-std']), aliased);
    const overSse = new Live(sse(MODES[0], tok['a-std']) as never, aliased);
    await Promise.all([overWs.ended(), overSse.ended()]);
    const wsErrors = (overWs.errors[0] as any[]) ?? overWs.results[0]?.errors;
    expect(wsErrors?.[0]?.extensions?.code).toBe('MAX_ALIASES_EXCEEDED');
    expect(refusalOf(overSse)).toMatchObject({ code: 'MAX_ALIASES_EXCEEDED' });
    expect(overSse.results.filter((r) => r.data)).toEqual([]);
  });
});
