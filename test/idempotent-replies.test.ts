import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatTranscriptEntry, Message, OutboxEntry } from '../src/entities';
import type { DomainEvent } from '../src/realtime/events';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

// Issue 20 point 3: replies and chat lines that a client may retry without posting twice, with
// stable ids that node(id) resolves under the ticket's access rule, and an author { name kind }.

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');
const MESSAGE_FIELDS = 'id bodyHtml authorKind author { name kind }';
const LINE_FIELDS = 'id text author { name kind }';

const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { ${MESSAGE_FIELDS} } userErrors { field code reason message } } }`;
const AGENT_REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { message { ${MESSAGE_FIELDS} } userErrors { field code reason message } } }`;
const START = `mutation($input: StartChatInput!) { startChat(input: $input) { ticket { id number } userErrors { code message } } }`;
const TAKE = `mutation($input: TakeNextChatInput!) { takeNextChat(input: $input) { ticket { id } userErrors { code message } } }`;
const SEND = `mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { line { ${LINE_FIELDS} } userErrors { field code reason message } } }`;
const APPEND = `mutation($input: AppendChatTranscriptInput!) { appendChatTranscript(input: $input) { lines { ${LINE_FIELDS} } userErrors { field code reason message } } }`;
const END = `mutation($input: EndChatInput!) { endChat(input: $input) { userErrors { code message } } }`;
const CLOSE = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { userErrors { code message } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id __typename ... on TicketMessage { ${MESSAGE_FIELDS} } ... on ChatTranscriptEntry { ${LINE_FIELDS} } } }`;
const THREAD = `query($id: ID!) { ticket(id: $id) { messages { ${MESSAGE_FIELDS} } ... on ChatTicket { transcript { ${LINE_FIELDS} } } } }`;

describe.each(DATABASE_TARGETS)('idempotent replies and message ids ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  const events: DomainEvent[] = [];

  const stored = async () => {
    const em = t.orm.em.fork();
    return { messages: await em.count(Message, {}), lines: await em.count(ChatTranscriptEntry, {}), outbox: await em.count(OutboxEntry, {}) };
  };
  const emailTicket = () =>
    f.ticket({
      submitterId: 'a-std',
      participantIds: ['a-other'],
      subject: 'Export stalls',
      createdAt: '2026-10-01T08:00:00.000Z',
      messages: [{ authorKind: 'CUSTOMER', bodyHtml: '<p>It stalls at 90%</p>', recipients: ['support@vendor.example'], createdAt: '2026-10-01T08:00:00.000Z' }],
    });
  const reply = async (who: string, input: Record<string, unknown>) => ok(await t.gql(REPLY, { input }, tok[who])).replyToTicket;
  const liveChat = async (who: string) => {
    const started = ok(await t.gql(START, { input: { productArea: 'SURVEY_PLATFORM', subject: `Chat of ${who}` } }, tok[who])).startChat;
    expect(started.userErrors).toEqual([]);
    expect(ok(await t.internal(TAKE, { input: { language: 'ENGLISH', productArea: 'SURVEY_PLATFORM' } }, tok['agent-1'])).takeNextChat.ticket).toEqual({ id: started.ticket.id });
    return started.ticket as { id: string; number: number };
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    t.server.events.subscribe((e) => events.push(e));
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.brand('brand-f', { fedramp: true });
    for (const [id, brand, role] of [['a-std', 'brand-a'], ['a-other', 'brand-a'], ['a-third', 'brand-a'], ['a-admin', 'brand-a', 'BRAND_ADMIN'], ['b-std', 'brand-b'], ['f-std', 'brand-f']] as const) {
      await f.account(id, brand, role ? { role } : {});
      tok[id] = await f.tokenFor(id);
    }
    for (const id of ['agent-1', 'agent-2']) {
      await f.agent(id);
      tok[id] = await t.token(id, ['hub:agent']);
    }
  });
  beforeEach(() => {
    t.clock.now = MONDAY_0800_DENVER;
  });
  afterAll(async () => t?.close());

  it('replyToTicket: a retry with the same key and input returns the first reply and stores, mails and publishes nothing', async () => {
    const ticket = await emailTicket();
    const input = { ticketId: ticket.id, bodyHtml: '<p>Still stalls</p>', idempotencyKey: 'reply-key-1' };
    const first = await reply('a-std', input);
    expect(first.userErrors).toEqual([]);
    const afterFirst = await stored();
    const published = events.length;

    const retry = await reply('a-std', input);
    expect(retry).toEqual(first);
    expect(await stored()).toEqual(afterFirst);
    expect(events.length).toBe(published);
    expect(ok(await t.gql(THREAD, { id: ticket.id }, tok['a-std'])).ticket.messages.filter((m: { bodyHtml: string }) => m.bodyHtml === '<p>Still stalls</p>')).toHaveLength(1);

    // another user's key is theirs: the same key from the brand administrator is another request
    const other = await reply('a-admin', input);
    expect(other.userErrors).toEqual([]);
    expect(other.message.id).not.toBe(first.message.id);
  });

  it('replyToTicket: the same key with a different input is a TAKEN userError with reason IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const ticket = await emailTicket();
    const second = await emailTicket();
    expect((await reply('a-std', { ticketId: ticket.id, bodyHtml: 'First text', idempotencyKey: 'reply-key-2' })).userErrors).toEqual([]);
    const before = await stored();
    for (const changed of [{ ticketId: ticket.id, bodyHtml: 'Another text' }, { ticketId: second.id, bodyHtml: 'First text' }]) {
      const res = await reply('a-std', { ...changed, idempotencyKey: 'reply-key-2' });
      expect(res).toEqual({ message: null, userErrors: [{ field: ['input', 'idempotencyKey'], code: 'TAKEN', reason: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) }] });
    }
    expect(await stored()).toEqual(before);
  });

  it('replyToTicket: a retry after the ticket was closed still answers with the first reply', async () => {
    const ticket = await emailTicket();
    const input = { ticketId: ticket.id, bodyHtml: 'Last words', idempotencyKey: 'reply-key-3' };
    const first = await reply('a-std', input);
    expect(ok(await t.gql(CLOSE, { input: { ticketId: ticket.id } }, tok['a-std'])).closeTicket.userErrors).toEqual([]);
    expect(await reply('a-std', input)).toEqual(first);
    // without the key it is a new reply, refused on a closed ticket
    expect((await reply('a-std', { ticketId: ticket.id, bodyHtml: 'Last words' })).userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'TICKET_CLOSED' });
  });

  it('replyToTicket: concurrent requests with the same key store one message and all answer with it', async () => {
    const ticket = await emailTicket();
    const before = await stored();
    const input = { ticketId: ticket.id, bodyHtml: '<p>Sent from a flaky network</p>', idempotencyKey: 'reply-race-1' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => reply('a-std', input)));
    for (const a of answers) expect(a.userErrors).toEqual([]);
    expect(new Set(answers.map((a) => a.message.id)).size).toBe(1);
    const after = await stored();
    expect(after.messages).toBe(before.messages + 1);
    // CON-10: the copy to the thread's other recipient is mailed once, by the request that won
    expect(after.outbox).toBe(before.outbox + 1);
  });

  it('postAgentReply: idempotent per agent; a different input with the key is refused', async () => {
    const ticket = await emailTicket();
    const input = { ticketId: ticket.id, bodyHtml: '<p>Please retry the export</p>', idempotencyKey: 'agent-key-1' };
    const answers = await Promise.all([1, 2, 3].map(() => t.internal(AGENT_REPLY, { input }, tok['agent-1']).then((r) => ok(r).postAgentReply)));
    expect(new Set(answers.map((a) => a.message.id)).size).toBe(1);
    expect(answers[0].message).toMatchObject({ authorKind: 'AGENT', author: { name: 'Agent agent-1', kind: 'AGENT' } });
    const before = await stored();
    expect(ok(await t.internal(AGENT_REPLY, { input }, tok['agent-1'])).postAgentReply).toEqual(answers[0]);
    const clash = ok(await t.internal(AGENT_REPLY, { input: { ...input, bodyHtml: 'Other' } }, tok['agent-1'])).postAgentReply;
    expect(clash.userErrors).toEqual([{ field: ['input', 'idempotencyKey'], code: 'TAKEN', reason: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) }]);
    expect(await stored()).toEqual(before);
    // another agent's key is another request
    expect(ok(await t.internal(AGENT_REPLY, { input }, tok['agent-2'])).postAgentReply.message.id).not.toBe(answers[0].message.id);
  });

  it('sendChatMessage and appendChatTranscript: retried or raced lines are stored once', async () => {
    const chat = await liveChat('a-std');
    const before = await stored();
    const input = { ticketId: chat.id, text: 'Are you there?', idempotencyKey: 'line-key-1' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => t.gql(SEND, { input }, tok['a-std']).then((r) => ok(r).sendChatMessage)));
    for (const a of answers) expect(a.userErrors).toEqual([]);
    expect(new Set(answers.map((a) => a.line.id)).size).toBe(1);
    expect(answers[0].line).toMatchObject({ text: 'Are you there?', author: { name: 'First a-std', kind: 'CUSTOMER' } });
    expect((await stored()).lines).toBe(before.lines + 1);
    const clash = ok(await t.gql(SEND, { input: { ...input, text: 'Hello?' } }, tok['a-std'])).sendChatMessage;
    expect(clash.userErrors[0]).toMatchObject({ field: ['input', 'idempotencyKey'], code: 'TAKEN', reason: 'IDEMPOTENCY_KEY_REUSED' });

    const lines = [{ authorKind: 'AGENT', authorName: 'ignored', text: 'Yes, looking now.' }, { authorKind: 'AGENT', authorName: 'ignored', text: 'One moment.' }];
    const appended = await Promise.all([1, 2].map(() => t.internal(APPEND, { input: { ticketId: chat.id, lines, idempotencyKey: 'agent-lines-1' } }, tok['agent-1']).then((r) => ok(r).appendChatTranscript)));
    expect(appended[0].userErrors).toEqual([]);
    expect(appended[1]).toEqual(appended[0]);
    expect(appended[0].lines.map((l: { text: string }) => l.text)).toEqual(['Yes, looking now.', 'One moment.']);
    expect((await stored()).lines).toBe(before.lines + 3);

    // a retry after the chat ended still answers with the first line
    expect(ok(await t.gql(END, { input: { ticketId: chat.id } }, tok['a-std'])).endChat.userErrors).toEqual([]);
    expect(ok(await t.gql(SEND, { input }, tok['a-std'])).sendChatMessage).toEqual(answers[0]);
  });

  it('appendChatTranscript on a recorded chat (no live session) is idempotent too', async () => {
    const ticket = await f.ticket({ kind: 'CHAT', submitterId: 'a-std', subject: 'Recorded chat' });
    const input = { ticketId: ticket.id, lines: [{ authorKind: 'CUSTOMER', authorName: 'First a-std', text: 'Hi' }], idempotencyKey: 'recorded-1' };
    const first = ok(await t.internal(APPEND, { input }, tok['agent-1'])).appendChatTranscript;
    const before = await stored();
    expect(ok(await t.internal(APPEND, { input }, tok['agent-1'])).appendChatTranscript).toEqual(first);
    expect(await stored()).toEqual(before);
  });

  it('message and chat-line ids resolve through node(id) for readers of the ticket only (TKT-2, TKT-5, FED-1)', async () => {
    const ticket = await emailTicket();
    const mine = (await reply('a-std', { ticketId: ticket.id, bodyHtml: 'Node me' })).message;
    const thread = ok(await t.gql(THREAD, { id: ticket.id }, tok['a-std'])).ticket.messages;
    // the id in the list is the id in the payload, and it is stable across reads
    expect(thread.at(-1)).toEqual(mine);
    expect(ok(await t.gql(THREAD, { id: ticket.id }, tok['a-std'])).ticket.messages).toEqual(thread);
    expect(thread[0].author).toEqual({ name: 'First a-std', kind: 'CUSTOMER' });
    expect(ok(await t.gql(NODE, { id: mine.id }, tok['a-std'])).node).toEqual({ __typename: 'TicketMessage', ...mine });
    // a participant reads it; another user of the brand who is not on the ticket, and other brands, get null
    expect(ok(await t.gql(NODE, { id: mine.id }, tok['a-other'])).node?.id).toBe(mine.id);
    expect(ok(await t.gql(NODE, { id: mine.id }, tok['a-third'])).node).toBeNull();
    expect(ok(await t.gql(NODE, { id: mine.id }, tok['b-std'])).node).toBeNull();
    // FED-1: no ticket history for FedRAMP accounts, by node(id) either
    const fed = await t.gql(NODE, { id: mine.id }, tok['f-std']);
    expect(fed.data?.node ?? null).toBeNull();
    expect(fed.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });

    const chat = await liveChat('a-std');
    const line = ok(await t.gql(SEND, { input: { ticketId: chat.id, text: 'Line with an id' } }, tok['a-std'])).sendChatMessage.line;
    const transcript = ok(await t.gql(THREAD, { id: chat.id }, tok['a-std'])).ticket.transcript;
    expect(transcript.at(-1)).toEqual(line);
    // the hub's own line (agent joined) is SYSTEM, named as the hub
    expect(transcript[0]).toMatchObject({ text: 'Agent agent-1 joined the chat.', author: { name: 'Support', kind: 'SYSTEM' } });
    expect(ok(await t.gql(NODE, { id: line.id }, tok['a-std'])).node).toEqual({ __typename: 'ChatTranscriptEntry', ...line });
    expect(ok(await t.gql(NODE, { id: line.id }, tok['b-std'])).node).toBeNull();
    expect(ok(await t.gql(NODE, { id: line.id }, tok['a-third'])).node).toBeNull();
  });
});
