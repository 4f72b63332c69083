import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { startSubscriptionServer } from '../src/realtime/ws-server';
import { buildPublicSchema } from '../src/schema';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { closeCode, deliveriesDone, Live, subscriptionStarts, WsClients } from './utils/ws';

const TICKET_UPDATED = `subscription($id: ID!) { ticketUpdated(id: $id) { eventId change ticket { id status messages { bodyHtml } escalation { status } } } }`;
const TICKETS_UPDATED = `subscription($scope: TicketScope) { ticketsUpdated(scope: $scope) { eventId change ticket { id status } } }`;
const STATUS_CHANGED = `subscription { applicationStatusChanged { component status message } }`;
const m = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { userErrors { code message } } }`;

describe.each(DATABASE_TARGETS)('real time over graphql-ws ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  let agent: string;
  const tok: Record<string, string> = {};

  const work = async (name: string, inputType: string, input: Record<string, unknown>) => {
    const res = ok(await t.internal(m(name, inputType), { input }, agent))[name];
    expect(res.userErrors).toEqual([]);
  };
  /** Counts the subscriptions the server starts from now on (`await started(n)`: n more listen). */
  const starts = () => subscriptionStarts(t.server.subscriptions);
  const setStatus = async (status: string, message: string) => {
    const res = ok(
      await t.internal(`mutation($input: SetApplicationStatusInput!) { setApplicationStatus(input: $input) { userErrors { code } } }`, {
        input: { component: 'REPORTING', status, message },
      }),
    ).setApplicationStatus;
    expect(res.userErrors).toEqual([]);
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    ws = new WsClients(t.publicUrl);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std1', 'brand-a');
    await f.account('a-std2', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.account('f-user', 'brand-f');
    await f.agent('agent-x');
    agent = await t.token('agent-x', ['hub:agent']);
    for (const id of ['a-std1', 'a-std2', 'a-admin', 'b-admin', 'f-user']) tok[id] = await f.tokenFor(id);
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('RT-1: status, message and escalation changes of a ticket arrive as they happen, each with a unique event id', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1', productArea: 'CX_DASHBOARDS' });
    const started = starts();
    const live = new Live(ws.open(tok['a-std1']), TICKET_UPDATED, { id: ticket.id });
    await started(1); // subscribed before the changes
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: ticket.id, bodyHtml: '<p>On it</p>' });
    await work('escalateTicket', 'EscalateTicketInput', { ticketId: ticket.id, reference: 'CP-7001', problemDescription: 'Widget crashes' });
    await work('advanceEscalation', 'AdvanceEscalationInput', { ticketId: ticket.id, status: 'IN_REVIEW' });
    await work('setTicketStatus', 'SetTicketStatusInput', { ticketId: ticket.id, status: 'CLOSED' });
    const results = await live.waitFor(4);
    live.dispose();
    const events = results.map((r) => (r.data as any).ticketUpdated);
    expect(results.every((r) => !r.errors)).toBe(true);
    expect(events.map((e) => e.change)).toEqual(['MESSAGE', 'ESCALATION', 'ESCALATION', 'STATUS']);
    expect(events[0].ticket.messages.map((msg: any) => msg.bodyHtml)).toContain('<p>On it</p>');
    expect(events[2].ticket.escalation.status).toBe('IN_REVIEW');
    expect(events[3].ticket.status).toBe('CLOSED');
    expect(new Set(events.map((e) => e.eventId)).size).toBe(4);
  });

  it('RT-3: subscribing to a ticket the viewer cannot read is refused up front', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    const live = new Live(ws.open(tok['b-admin']), TICKET_UPDATED, { id: ticket.id });
    await live.ended();
    expect(live.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("RT-3: ticketsUpdated never delivers another brand's events", async () => {
    const mine = await f.ticket({ submitterId: 'b-admin' });
    const theirs = await f.ticket({ submitterId: 'a-std1' });
    const started = starts();
    const live = new Live(ws.open(tok['b-admin']), TICKETS_UPDATED, { scope: 'ORGANIZATION' });
    await started(1);
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: theirs.id, bodyHtml: 'brand a only' });
    // the sentinel: delivered after the other brand's event, had that one been delivered
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: mine.id, bodyHtml: 'brand b' });
    const results = await live.waitFor(1);
    live.dispose();
    expect(results.map((r) => (r.data as any).ticketsUpdated.ticket.id)).toEqual([mine.id]);
  });

  it('RT-3: a role change (BRAND_ADMIN → STANDARD) stops ORGANIZATION deliveries at the next event', async () => {
    await f.account('a-admin2', 'brand-a', { role: 'BRAND_ADMIN' });
    const token = await f.tokenFor('a-admin2');
    const ticket = await f.ticket({ submitterId: 'a-std2' });
    const client = ws.open(token);
    const started = starts();
    const live = new Live(client, TICKETS_UPDATED, { scope: 'ORGANIZATION' });
    // the sentinel's subscription, on the same socket (a STANDARD user gets no ORGANIZATION event at all)
    const sentinel = new Live(client, STATUS_CHANGED);
    await started(2);
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: ticket.id, bodyHtml: 'first' });
    await live.waitFor(1);
    await f.account('a-admin2', 'brand-a', { role: 'STANDARD' });
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: ticket.id, bodyHtml: 'second' });
    // the server skipped or sent 'second'; a message sent after it on this socket arrives after it
    await deliveriesDone(t.server.subscriptions);
    await setStatus('OPERATIONAL', 'sentinel');
    await sentinel.waitFor(1);
    live.dispose();
    sentinel.dispose();
    expect(live.results).toHaveLength(1);
  });

  it('RT-3: MINE delivers only tickets the viewer submitted or is associated with', async () => {
    const own = await f.ticket({ submitterId: 'a-std2' });
    const colleague = await f.ticket({ submitterId: 'a-std1' });
    const started = starts();
    const live = new Live(ws.open(tok['a-std2']), TICKETS_UPDATED, {});
    await started(1);
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: colleague.id, bodyHtml: 'not yours' });
    // the sentinel: delivered after the colleague's event, had that one been delivered
    await work('postAgentReply', 'PostAgentReplyInput', { ticketId: own.id, bodyHtml: 'yours' });
    await live.waitFor(1);
    live.dispose();
    expect(live.results.map((r) => (r.data as any).ticketsUpdated.ticket.id)).toEqual([own.id]);
  });

  it('FED-1: FedRAMP users are refused ticket subscriptions with FEDRAMP_RESTRICTED', async () => {
    const client = ws.open(tok['f-user']);
    const one = new Live(client, TICKETS_UPDATED, {});
    await one.ended();
    expect(one.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    const ticket = await f.ticket({ submitterId: 'f-user' });
    const two = new Live(client, TICKET_UPDATED, { id: ticket.id });
    await two.ended();
    expect(two.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
  });

  it('STAT-2: setApplicationStatus is pushed to subscribers (no sign-in needed)', async () => {
    const started = starts();
    const live = new Live(ws.open(), STATUS_CHANGED);
    await started(1);
    await setStatus('DEGRADED_PERFORMANCE', 'Slow exports');
    const [first] = await live.waitFor(1);
    live.dispose();
    expect((first.data as any).applicationStatusChanged).toEqual({ component: 'REPORTING', status: 'DEGRADED_PERFORMANCE', message: 'Slow exports' });
  });

  it('a bad token closes the socket with 4403 Forbidden', async () => {
    const closed = closeCode();
    const client = ws.open('not-a-jwt', { lazy: false, onClose: closed.onClose });
    const live = new Live(client, STATUS_CHANGED);
    await live.ended();
    expect(await closed.code).toBe(4403);
  });

  it('no connection_init closes the socket with 4408 (connectionInitWaitTimeout)', async () => {
    const httpServer = createServer();
    const subs = startSubscriptionServer({ httpServer, endpoints: [{ path: '/graphql', schema: await buildPublicSchema() }], rootEm: t.orm.em, verify: async () => { throw new Error('unused'); }, contextOptions: {}, connectionInitTimeoutMs: 100 });
    try {
      await new Promise<void>((resolve) => httpServer.listen(0, resolve));
      const socket = new WebSocket(`ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`, 'graphql-transport-ws');
      const code = await new Promise<number>((resolve, reject) => {
        socket.once('close', (c) => resolve(c));
        socket.once('error', reject);
      });
      expect(code).toBe(4408);
    } finally {
      await subs.close();
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });

  it('at most 100 subscriptions per connection: the 101st is refused with an error', async () => {
    const client = ws.open(tok['a-std1']);
    const started = starts();
    const lives = Array.from({ length: 100 }, () => new Live(client, STATUS_CHANGED));
    await started(100);
    const extra = new Live(client, STATUS_CHANGED);
    await extra.ended();
    expect(extra.errors.length + (extra.results[0]?.errors?.length ?? 0)).toBeGreaterThan(0);
    expect(lives.every((l) => !l.completed)).toBe(true);
    lives.forEach((l) => l.dispose());
  });
  it('RT-2, PHN-4: callbackQueuePosition gives the position now and as the queue moves, and completes when the call starts', async () => {
    const PHONE = `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ticket { id } userErrors { code message } } }`;
    const request = async (who: string) => {
      const res = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', language: 'ENGLISH', phone: { country: 'IT', number: '02 1234 5678' } } }, tok[who])).requestPhoneCallback;
      expect(res.userErrors).toEqual([]);
      return res.ticket.id as string;
    };
    await request('a-std1');
    const second = await request('a-std2');
    const live = new Live(ws.open(tok['a-std2']), `subscription($id: ID!) { callbackQueuePosition(ticketId: $id) { state position } }`, { id: second });
    await live.waitFor(1);
    const take = async () => ok(await t.internal(`mutation { takeNextCallback(input: { language: ENGLISH, productArea: SURVEY_PLATFORM }) { ticket { id } userErrors { code } } }`, undefined, agent));
    await take();
    await live.waitFor(2);
    await take();
    await live.ended();
    expect(live.results.map((r) => (r.data as any).callbackQueuePosition)).toEqual([
      { state: 'WAITING', position: 2 },
      { state: 'WAITING', position: 1 },
      { state: 'IN_CALL', position: null },
    ]);
    const outsider = new Live(ws.open(tok['b-admin']), `subscription($id: ID!) { callbackQueuePosition(ticketId: $id) { state } }`, { id: second });
    await outsider.ended();
    expect(outsider.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
