import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatSession, ChatTranscriptEntry, Ticket, TicketStatus } from '../src/entities';
import { CHAT_LIMITS } from '../src/services/chat.service';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');

const START = `mutation($input: StartChatInput!) { startChat(input: $input) { ticket { id number } unavailableReason userErrors { field code reason message } } }`;
const SEND = `mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { line { authorKind authorName text sentAt } chat { state } userErrors { field code reason message } } }`;
const END = `mutation($input: EndChatInput!) { endChat(input: $input) { chat { state endedBy } ticket { status } userErrors { field code reason message } } }`;
const TYPING = `mutation($input: SetChatTypingInput!) { setChatTyping(input: $input) { sent userErrors { code reason message } } }`;
const TAKE = `mutation($input: TakeNextChatInput!) { takeNextChat(input: $input) { ticket { id number } chat { state agentName } userErrors { code reason message } } }`;
const APPEND = `mutation($input: AppendChatTranscriptInput!) { appendChatTranscript(input: $input) { ticket { id } userErrors { field code reason message } } }`;
const SUB = `subscription($ticketId: ID!) { chatUpdated(ticketId: $ticketId) {
  eventId change ticketId chat { state position estimatedWaitMinutes agentName endedBy } line { authorKind authorName text } typingParty typing } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id status ... on ChatTicket { transcript { authorKind authorName text sentAt } chat { state endedBy agentName } } } }`;
const QUEUE = { language: 'ENGLISH', productArea: 'SURVEY_PLATFORM' };

/** Waits until a result of `live` satisfies `match` (events, not time); returns its data. */
async function until(live: Live, match: (event: any) => boolean, ms = 5_000): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = live.results.map((r) => (r.data as any)?.chatUpdated).find((e) => e && match(e));
    if (found) return found;
    if (live.completed) throw new Error(`subscription ended without a matching event: ${JSON.stringify(live.results)}`);
    await live.waitFor(live.results.length + 1, Math.max(1, deadline - Date.now()));
  }
}
const changes = (live: Live) => live.results.map((r) => (r.data as any)?.chatUpdated?.change);

describe.each(DATABASE_TARGETS)('live chat end to end ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let customers: WsClients;
  let agents: WsClients;
  const tok: Record<string, string> = {};

  /** Rows a refused chat operation must leave unchanged. */
  const counts = async () => {
    const em = t.orm.em.fork();
    return { lines: await em.count(ChatTranscriptEntry, {}), sessions: await em.count(ChatSession, {}), tickets: await em.count(Ticket, {}), closed: await em.count(Ticket, { status: TicketStatus.CLOSED }) };
  };
  const start = async (who: string) => {
    const res = ok(await t.gql(START, { input: { productArea: 'SURVEY_PLATFORM', subject: `Help for ${who}` } }, tok[who])).startChat;
    expect(res.userErrors).toEqual([]);
    return res.ticket as { id: string; number: number };
  };
  const send = async (who: string, ticketId: string, text: string) => ok(await t.gql(SEND, { input: { ticketId, text } }, tok[who])).sendChatMessage;
  const agentSay = async (agent: string, ticketId: string, text: string, authorKind = 'AGENT') =>
    ok(await t.internal(APPEND, { input: { ticketId, lines: [{ authorKind, authorName: 'whatever the client says', text }] } }, tok[agent])).appendChatTranscript;
  const take = async (agent: string) => ok(await t.internal(TAKE, { input: QUEUE }, tok[agent])).takeNextChat;
  /** Takes chats until the queue is empty (each test starts from an empty queue). */
  const drain = async () => {
    while ((await take('agent-2')).ticket) {
      // keep taking
    }
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    customers = new WsClients(t.publicUrl);
    agents = new WsClients(t.internalUrl);
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    for (const [id, brand, role] of [['a-cust', 'brand-a'], ['a-next', 'brand-a'], ['a-other', 'brand-a'], ['a-admin', 'brand-a', 'BRAND_ADMIN'], ['b-cust', 'brand-b'], ['f-cust', 'brand-f']] as const) {
      await f.account(id, brand, role ? { role } : {});
      tok[id] = await f.tokenFor(id);
    }
    for (const id of ['agent-1', 'agent-2']) {
      await f.agent(id);
      tok[id] = await t.token(id, ['hub:agent']);
    }
  });
  beforeEach(async () => {
    t.clock.now = MONDAY_0800_DENVER;
    await drain();
  });
  afterAll(async () => {
    await customers?.closeAll();
    await agents?.closeAll();
    await t?.close();
  });

  it('CHAT-1, CHAT-2, TKT-5, RT-3: a whole chat: queue → agent joins → lines both ways live on both sockets → end → transcript in history', async () => {
    const chat = await start('a-cust');
    const behind = await start('a-next');
    const customer = new Live(customers.open(tok['a-cust']), SUB, { ticketId: chat.id });
    const next = new Live(customers.open(tok['a-next']), SUB, { ticketId: behind.id });
    const agent = new Live(agents.open(tok['agent-1']), SUB, { ticketId: chat.id });
    // CHAT-1: the current state first: place in the queue and estimated wait
    expect(await until(customer, (e) => e.change === 'STATE')).toMatchObject({ ticketId: chat.id, chat: { state: 'WAITING', position: 1, estimatedWaitMinutes: 0 } });
    expect(await until(next, (e) => e.change === 'STATE')).toMatchObject({ chat: { state: 'WAITING', position: 2, estimatedWaitMinutes: CHAT_LIMITS.defaultHandleMinutes } });
    expect(await until(agent, (e) => e.change === 'STATE')).toMatchObject({ chat: { state: 'WAITING' } });

    const taken = await take('agent-1');
    expect(taken).toMatchObject({ ticket: { id: chat.id }, chat: { state: 'ACTIVE', agentName: 'Agent agent-1' }, userErrors: [] });
    expect(await until(customer, (e) => e.change === 'AGENT_JOINED')).toMatchObject({ chat: { state: 'ACTIVE', agentName: 'Agent agent-1', position: null } });
    await until(agent, (e) => e.change === 'AGENT_JOINED');
    // the waiter behind moves up, live
    expect(await until(next, (e) => e.change === 'QUEUE_MOVED')).toMatchObject({ chat: { state: 'WAITING', position: 1, estimatedWaitMinutes: 0 } });

    const sent = await send('a-cust', chat.id, '  Hello, my survey <b>will not</b> publish\r\n(since today)  ');
    expect(sent.userErrors).toEqual([]);
    // CHAT-2: plain text, stored as written (never HTML), line breaks normalized, trimmed
    expect(sent.line).toMatchObject({ authorKind: 'CUSTOMER', authorName: 'First a-cust', text: 'Hello, my survey <b>will not</b> publish\n(since today)' });
    for (const live of [customer, agent]) {
      expect(await until(live, (e) => e.change === 'LINE' && e.line.authorKind === 'CUSTOMER')).toMatchObject({ line: { text: sent.line.text, authorName: 'First a-cust' } });
    }
    expect((await agentSay('agent-1', chat.id, 'Hi! Let me look.')).userErrors).toEqual([]);
    for (const live of [customer, agent]) {
      // recorded under the signed-in agent's name, not the name the client sent
      expect(await until(live, (e) => e.change === 'LINE' && e.line.authorKind === 'AGENT')).toMatchObject({ line: { text: 'Hi! Let me look.', authorName: 'Agent agent-1' } });
    }
    // typing signals reach the other side and are never stored
    const linesBefore = (await counts()).lines;
    expect(ok(await t.internal(TYPING, { input: { ticketId: chat.id, typing: true } }, tok['agent-1'])).setChatTyping).toEqual({ sent: true, userErrors: [] });
    expect(await until(customer, (e) => e.change === 'TYPING')).toMatchObject({ typingParty: 'AGENT', typing: true });
    expect((await counts()).lines).toBe(linesBefore);

    t.clock.now = new Date(MONDAY_0800_DENVER.getTime() + 7 * 60_000);
    const ended = ok(await t.gql(END, { input: { ticketId: chat.id } }, tok['a-cust'])).endChat;
    expect(ended).toMatchObject({ chat: { state: 'ENDED', endedBy: 'CUSTOMER' }, userErrors: [] });
    for (const live of [customer, agent]) {
      expect(await until(live, (e) => e.change === 'ENDED')).toMatchObject({ chat: { state: 'ENDED', endedBy: 'CUSTOMER' } });
      await live.ended();
      expect(live.errors).toEqual([]);
    }
    expect(changes(customer)).toEqual(['STATE', 'AGENT_JOINED', 'LINE', 'LINE', 'TYPING', 'ENDED']);

    // TKT-5: the whole transcript, who said what and when, stays on the ticket in the history
    const detail = ok(await t.gql(TICKET, { id: chat.id }, tok['a-cust'])).ticket;
    expect(detail.chat).toEqual({ state: 'ENDED', endedBy: 'CUSTOMER', agentName: 'Agent agent-1' });
    expect(detail.transcript.map((l: any) => [l.authorKind, l.authorName, l.text])).toEqual([
      ['SYSTEM', 'Support', 'Agent agent-1 joined the chat.'],
      ['CUSTOMER', 'First a-cust', 'Hello, my survey <b>will not</b> publish\n(since today)'],
      ['AGENT', 'Agent agent-1', 'Hi! Let me look.'],
      ['SYSTEM', 'Support', 'The chat was ended by the customer.'],
    ]);
    expect(detail.transcript.every((l: any) => typeof l.sentAt === 'string')).toBe(true);
    const history = ok(await t.gql(`{ tickets(first: 50) { edges { node { id type } } } }`, undefined, tok['a-cust'])).tickets.edges.map((e: any) => e.node);
    expect(history).toContainEqual({ id: chat.id, type: 'CHAT' });

    // CHAT-1: the finished chat's duration (7 minutes) now feeds the queue's estimate
    expect(await until(next, (e) => e.change === 'QUEUE_MOVED' && e.chat.position === 1)).toBeTruthy();
    const third = await start('a-other');
    const live3 = new Live(customers.open(tok['a-other']), SUB, { ticketId: third.id });
    expect(await until(live3, (e) => e.change === 'STATE')).toMatchObject({ chat: { position: 2, estimatedWaitMinutes: 7 } });
    live3.dispose();
    next.dispose();
  });

  it('CHAT-1: a customer who leaves the queue before an agent joins cancels the chat; the waiter behind moves up live and is the next one taken', async () => {
    const first = await start('a-cust');
    const second = await start('a-next');
    const behind = new Live(customers.open(tok['a-next']), SUB, { ticketId: second.id });
    expect(await until(behind, (e) => e.change === 'STATE')).toMatchObject({ chat: { position: 2 } });

    const left = ok(await t.gql(END, { input: { ticketId: first.id } }, tok['a-cust'])).endChat;
    expect(left).toMatchObject({ chat: { state: 'CANCELLED', endedBy: 'CUSTOMER' }, ticket: { status: 'CLOSED' }, userErrors: [] });
    expect(await until(behind, (e) => e.change === 'QUEUE_MOVED')).toMatchObject({ chat: { state: 'WAITING', position: 1 } });
    // a cancelled chat is never handed out
    expect((await take('agent-1')).ticket).toEqual({ id: second.id, number: second.number });
    behind.dispose();
  });

  it('CHAT-1, CLS-1: closing a waiting chat ticket takes it out of the queue at once', async () => {
    const first = await start('a-cust');
    const second = await start('a-next');
    const behind = new Live(customers.open(tok['a-next']), SUB, { ticketId: second.id });
    expect(await until(behind, (e) => e.change === 'STATE')).toMatchObject({ chat: { position: 2 } });
    const closed = ok(await t.gql(`mutation($input: CloseTicketInput!) { closeTicket(input: $input) { userErrors { code reason message } } }`, { input: { ticketId: first.id } }, tok['a-cust'])).closeTicket;
    expect(closed.userErrors).toEqual([]);
    expect(await until(behind, (e) => e.change === 'QUEUE_MOVED')).toMatchObject({ chat: { position: 1 } });
    expect((await take('agent-1')).ticket.id).toBe(second.id);
    behind.dispose();
  });

  it('CHAT-2, RT-3: refused lines say why and change nothing: waiting, ended, someone else’s chat, other brand, wrong agent, limits', async () => {
    const chat = await start('a-cust');
    const expectRefused = async (call: () => Promise<any>, check: (result: any) => void) => {
      const before = await counts();
      check(await call());
      expect(await counts()).toEqual(before);
    };
    // before an agent joined
    await expectRefused(() => send('a-cust', chat.id, 'anyone?'), (r) => expect(r.userErrors[0]).toMatchObject({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'CHAT_WAITING_FOR_AGENT' }));
    await take('agent-1');
    // another customer of the brand, another brand: the chat does not exist for them
    for (const who of ['a-other', 'b-cust']) {
      await expectRefused(() => send(who, chat.id, 'hi'), (r) => expect(r).toMatchObject({ line: null, userErrors: [{ code: 'NOT_FOUND' }] }));
    }
    // a brand admin may watch the chat of their brand but not write in it
    await expectRefused(
      () => t.gql(SEND, { input: { ticketId: chat.id, text: 'admin here' } }, tok['a-admin']),
      (r) => expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_CHAT_CUSTOMER' }),
    );
    // another agent, a customer line from an agent
    await expectRefused(
      () => t.internal(APPEND, { input: { ticketId: chat.id, lines: [{ authorKind: 'AGENT', authorName: 'x', text: 'me too' }] } }, tok['agent-2']),
      (r) => expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_CHAT_AGENT' }),
    );
    await expectRefused(() => agentSay('agent-1', chat.id, 'pretending', 'CUSTOMER'), (r) => expect(r.userErrors[0]).toMatchObject({ field: ['input', 'lines', '0', 'authorKind'], code: 'INVALID' }));
    // limits: empty, too long
    await expectRefused(() => send('a-cust', chat.id, ' \n\t '), (r) => expect(r.userErrors[0]).toMatchObject({ field: ['input', 'text'], code: 'REQUIRED' }));
    await expectRefused(() => send('a-cust', chat.id, 'x'.repeat(CHAT_LIMITS.maxLineLength + 1)), (r) => expect(r.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'LINE_TOO_LONG' }));
    expect((await send('a-cust', chat.id, 'x'.repeat(CHAT_LIMITS.maxLineLength))).userErrors).toEqual([]);
    // rate: linesPerWindow lines per window per side; the next one is refused until the window passed
    for (let i = 1; i < CHAT_LIMITS.linesPerWindow; i++) expect((await send('a-cust', chat.id, `line ${i}`)).userErrors).toEqual([]);
    await expectRefused(() => send('a-cust', chat.id, 'one too many'), (r) => expect(r.userErrors[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', reason: 'CHAT_RATE_LIMITED' }));
    // the other side has its own budget
    expect((await agentSay('agent-1', chat.id, 'still here')).userErrors).toEqual([]);
    t.clock.now = new Date(t.clock.now.getTime() + (CHAT_LIMITS.windowSeconds + 1) * 1000);
    expect((await send('a-cust', chat.id, 'after a pause')).userErrors).toEqual([]);
    // after the end
    ok(await t.internal(END, { input: { ticketId: chat.id } }, tok['agent-1']));
    await expectRefused(() => send('a-cust', chat.id, 'hello?'), (r) => expect(r.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'CHAT_ENDED' }));
    await expectRefused(() => agentSay('agent-1', chat.id, 'bye'), (r) => expect(r.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'CHAT_ENDED' }));
    await expectRefused(() => t.gql(END, { input: { ticketId: chat.id } }, tok['a-cust']), (r) => expect(r.data.endChat.userErrors[0].reason).toBe('CHAT_ENDED'));
  });

  it('RT-3: chat subscriptions are refused across brands and to other customers; customers cannot open the agents’ socket', async () => {
    const chat = await start('a-cust');
    for (const who of ['b-cust', 'a-other']) {
      const live = new Live(customers.open(tok[who]), SUB, { ticketId: chat.id });
      await live.ended();
      expect(live.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_PARTICIPANT' });
    }
    let closedWith = 0;
    const intruder = agents.open(tok['a-cust'], { onClose: (code) => (closedWith = code) });
    const live = new Live(intruder, SUB, { ticketId: chat.id });
    await live.ended();
    expect(closedWith).toBe(4403);
    expect(live.results).toEqual([]);
  });

  it('CHAT-2, FED-1: a FedRAMP user chats live while the chat is open; once ended its transcript is history they cannot read', async () => {
    const chat = await start('f-cust');
    const live = new Live(customers.open(tok['f-cust']), SUB, { ticketId: chat.id });
    expect(await until(live, (e) => e.change === 'STATE')).toMatchObject({ chat: { state: 'WAITING', position: 1 } });
    await take('agent-1');
    await until(live, (e) => e.change === 'AGENT_JOINED');
    expect((await send('f-cust', chat.id, 'FedRAMP question')).userErrors).toEqual([]);
    expect((await agentSay('agent-1', chat.id, 'Answer')).userErrors).toEqual([]);
    expect(await until(live, (e) => e.change === 'LINE' && e.line.authorKind === 'AGENT')).toMatchObject({ line: { text: 'Answer' } });
    ok(await t.internal(END, { input: { ticketId: chat.id } }, tok['agent-1']));
    // the end notice arrives (state only), then the subscription completes
    expect(await until(live, (e) => e.change === 'ENDED')).toMatchObject({ chat: { state: 'ENDED', endedBy: 'AGENT' }, line: null });
    await live.ended();

    const before = await counts();
    const detail = await t.gql(TICKET, { id: chat.id }, tok['f-cust']);
    expect(detail.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    const again = new Live(customers.open(tok['f-cust']), SUB, { ticketId: chat.id });
    await again.ended();
    expect(again.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    const late = await t.gql(SEND, { input: { ticketId: chat.id, text: 'one more thing' } }, tok['f-cust']);
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    expect(await counts()).toEqual(before);
  });

  it('CHAT-1: assigning a waiting chat to an agent is that agent joining it', async () => {
    const chat = await start('a-cust');
    const res = ok(await t.internal(`mutation($input: AssignTicketInput!) { assignTicket(input: $input) { ticket { id ... on ChatTicket { chat { state agentName } } } userErrors { code } } }`, { input: { ticketId: chat.id, agentId: 'agent-2' } }, tok['agent-1'])).assignTicket;
    expect(res).toMatchObject({ ticket: { chat: { state: 'ACTIVE', agentName: 'Agent agent-2' } }, userErrors: [] });
    expect((await agentSay('agent-2', chat.id, 'I am yours')).userErrors).toEqual([]);
  });
});
