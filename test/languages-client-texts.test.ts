import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';

// LANG-1 (issue 17 point 1, the rest): every human-readable text the API returns follows the answer
// language. One sample of each category that used to stay English, asked with `Accept-Language: ja`:
// each must come back in Japanese (kana or kanji), never as the English text.

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number } userErrors { field code reason message } } }`;
const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { id } userErrors { field code reason message } } }`;
const START = `mutation($input: StartChatInput!) { startChat(input: $input) { ticket { id } userErrors { code message } } }`;
const TAKE = `mutation($input: TakeNextChatInput!) { takeNextChat(input: $input) { ticket { id } userErrors { code message } } }`;
const TRANSCRIPT = `query($id: ID!) { ticket(id: $id) { ... on ChatTicket { transcript { text author { name kind } } } } }`;

describe.each(DATABASE_TARGETS)('LANG-1: client-visible texts in Japanese ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};

  /** A public request with `Accept-Language`. */
  const ask = async (query: string, variables: Record<string, unknown>, token: string, language: string): Promise<GraphQLResponse> => {
    const res = await fetch(t.publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-language': language },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };
  /** The same request in English and in Japanese: the texts `pick` selects must differ and be Japanese. */
  const inJapanese = async (query: string, variables: () => Record<string, unknown>, pick: (res: GraphQLResponse) => string[], who = 'a-std') => {
    const english = pick(await ask(query, variables(), tok[who], 'en'));
    const japanese = pick(await ask(query, variables(), tok[who], 'ja'));
    expect(english.length).toBeGreaterThan(0);
    expect(japanese).toHaveLength(english.length);
    japanese.forEach((text, i) => {
      expect(text, `"${text}" should be Japanese`).toMatch(JAPANESE);
      expect(text).not.toBe(english[i]);
    });
    return japanese;
  };
  const userErrorMessages = (name: string) => (res: GraphQLResponse) => ((res.data as any)?.[name]?.userErrors ?? []).map((e: { message: string }) => e.message);
  const errorMessages = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.message);

  beforeAll(async () => {
    t = await startTestServer(target);
    t.clock.now = MONDAY_0800_DENVER;
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.account('a-std', 'brand-a');
    // this user prefers Japanese: what the hub mails them is in Japanese
    await f.account('a-ja', 'brand-a', { language: 'ja' } as never);
    for (const id of ['a-std', 'a-ja']) tok[id] = await f.tokenFor(id);
    await f.agent('agent-1');
    tok['agent-1'] = await t.token('agent-1', ['hub:agent']);
  });
  afterAll(async () => t?.close());

  it('LANG-1: idempotency, attachment and reference userErrors', async () => {
    const first = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Keyed', description: 'x', idempotencyKey: 'ja-key' } }, tok['a-std'])).createEmailTicket;
    const ticketId = first.ticket.id;
    // idempotency: the key reused for another request
    ok(await t.gql(REPLY, { input: { ticketId, bodyHtml: 'first', idempotencyKey: 'ja-reply-2' } }, tok['a-std']));
    await inJapanese(REPLY, () => ({ input: { ticketId, bodyHtml: 'other', idempotencyKey: 'ja-reply-2' } }), userErrorMessages('replyToTicket'));
    // attachments: too many, the same upload twice, an unknown upload
    await inJapanese(REPLY, () => ({ input: { ticketId, bodyHtml: 'x', attachmentIds: ['1', '2', '3', '4', '5', '6'] } }), userErrorMessages('replyToTicket'));
    await inJapanese(REPLY, () => ({ input: { ticketId, bodyHtml: 'x', attachmentIds: ['u1', 'u1'] } }), userErrorMessages('replyToTicket'));
    await inJapanese(REPLY, () => ({ input: { ticketId, bodyHtml: 'x', attachmentIds: ['no-such-upload'] } }), userErrorMessages('replyToTicket'));
    // references: one the viewer cannot see
    await inJapanese(EMAIL, () => ({ input: { productArea: 'SURVEY_PLATFORM', subject: 'Ref', description: 'x', references: [Buffer.from('Ticket:999999').toString('base64url')] } }), userErrorMessages('createEmailTicket'));
  });

  it('LANG-1: a calls userError (no conference call of yours with this id)', async () => {
    const CANCEL = `mutation($input: CancelConferenceCallInput!) { cancelConferenceCall(input: $input) { userErrors { field code message } } }`;
    const ticketId = Buffer.from('Ticket:999999').toString('base64url');
    await inJapanese(CANCEL, () => ({ input: { ticketId } }), userErrorMessages('cancelConferenceCall'));
  });

  it('LANG-1: an agent-work userError on the internal schema (no such ticket)', async () => {
    const ASSIGN = `mutation($input: AssignTicketInput!) { assignTicket(input: $input) { userErrors { field code message } } }`;
    const askInternal = async (language: string) => {
      const res = await fetch(t.internalUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tok['agent-1']}`, 'accept-language': language },
        body: JSON.stringify({ query: ASSIGN, variables: { input: { ticketId: Buffer.from('Ticket:999999').toString('base64url') } } }),
      });
      return userErrorMessages('assignTicket')({ status: res.status, ...((await res.json()) as object) });
    };
    const english = await askInternal('en');
    const japanese = await askInternal('ja');
    expect(english).toEqual(['No such ticket.']);
    expect(japanese).toHaveLength(1);
    expect(japanese[0]).toMatch(JAPANESE);
  });

  it('LANG-1: developer-facing validation and input errors', async () => {
    // class-validator: a key longer than 100 characters
    await inJapanese(EMAIL, () => ({ input: { productArea: 'SURVEY_PLATFORM', subject: 'Long key', description: 'x', idempotencyKey: 'k'.repeat(101) } }), userErrorMessages('createEmailTicket'));
    // a malformed global id outside a mutation: BAD_USER_INPUT
    await inJapanese(`query { ticket(id: "not-an-id") { id } }`, () => ({}), errorMessages);
    // a query the schema does not have
    await inJapanese(`query { noSuchField }`, () => ({}), errorMessages);
  });

  it("LANG-1: the chat's system lines and the hub's own author name", async () => {
    const chat = ok(await t.gql(START, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Chat in Japanese' } }, tok['a-std'])).startChat.ticket;
    expect(ok(await t.internal(TAKE, { input: { language: 'ENGLISH', productArea: 'SURVEY_PLATFORM' } }, tok['agent-1'])).takeNextChat.ticket).toEqual({ id: chat.id });
    const [joined, author] = await inJapanese(TRANSCRIPT, () => ({ id: chat.id }), (res) => {
      const line = (res.data as any).ticket.transcript[0];
      return [line.text, line.author.name];
    });
    // the agent's name stays as it is; the sentence around it is Japanese
    expect(joined).toContain('Agent agent-1');
    expect(author).toBe('サポート');
  });

  it("LANG-1: outbound mail is written in the recipient's language", async () => {
    const created = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Mail me', description: 'x' } }, tok['a-ja'])).createEmailTicket;
    expect(created.userErrors).toEqual([]);
    const mail = await t.orm.em.fork().findOneOrFail(OutboxEntry, { ticketId: created.ticket.number, destination: 'a-ja@example.com' });
    const payload = mail.payload as { subject: string; html: string; text: string };
    // the subject keeps its ticket tag (inbound mail finds the ticket by it) and the ticket's own subject (HIST-6)
    expect(payload.subject).toBe(`[Ticket #${created.ticket.number}] Mail me`);
    expect(payload.html).toMatch(JAPANESE);
    expect(payload.html).toContain(`リクエスト #${created.ticket.number}`);
    expect(payload.html).not.toContain('We received your request');
    // an English-speaking user still gets English
    const english = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Mail me too', description: 'x' } }, tok['a-std'])).createEmailTicket;
    const englishMail = await t.orm.em.fork().findOneOrFail(OutboxEntry, { ticketId: english.ticket.number });
    expect((englishMail.payload as { html: string }).html).toContain(`We received your request #${english.ticket.number}`);
  });
});
