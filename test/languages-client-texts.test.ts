import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry } from '../src/entities';
import { translate, type Locale, type MessageKey, type MessageParams } from '../src/i18n';
import { APPLICATION_COMPONENTS } from '../src/services/application-status.service';
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
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    for (const id of ['a-std', 'a-ja', 'a-admin']) tok[id] = await f.tokenFor(id);
    await f.agent('agent-1');
    tok['agent-1'] = await t.token('agent-1', ['hub:agent']);
    tok.integration = await t.token('integration-texts', ['hub:integration']);
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

  // Issue 17 point 1, the last English-only texts: each group asked in Japanese or German (by
  // Accept-Language, or by the viewer's own language), its text the catalog's and not the English one.

  /** A request to `url` with `Accept-Language` when given (none: the viewer's language decides). */
  const post = async (url: string, query: string, variables: Record<string, unknown>, token: string | undefined, language?: string): Promise<GraphQLResponse> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(language ? { 'accept-language': language } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };
  /** The one userError of mutation `name`. */
  const userError = (res: GraphQLResponse, name: string) => {
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const errors = (res.data as any)[name].userErrors;
    expect(errors, JSON.stringify(errors)).toHaveLength(1);
    return errors[0] as { field: string[]; code: string; reason: string | null; message: string };
  };
  /**
   * The same request in English and in `locale` (Accept-Language, or `viaAccount` for a viewer whose
   * language it is): the localized text is the catalog's and differs from the English one.
   */
  const expectCatalogText = async (
    opts: { url: string; query: string; variables: Record<string, unknown>; token?: string; englishToken?: string; locale: Locale; viaAccount?: boolean },
    pick: (res: GraphQLResponse) => string,
    key: MessageKey,
    params?: MessageParams,
  ) => {
    const english = pick(await post(opts.url, opts.query, opts.variables, opts.englishToken ?? opts.token, 'en'));
    const localized = pick(await post(opts.url, opts.query, opts.variables, opts.token, opts.viaAccount ? undefined : opts.locale));
    expect(localized).toBe(translate(opts.locale, key, params));
    expect(localized).not.toBe(english);
    return english;
  };

  it('LANG-1: feedback (ticket-followup): rating out of range, ticket not closed yet, and a malformed ticket id', async () => {
    const FEEDBACK = `mutation($input: LeaveTicketFeedbackInput!) { leaveTicketFeedback(input: $input) { ticket { id } userErrors { field code reason message } } }`;
    const open = await f.ticket({ submitterId: 'a-std' });
    const pick = (res: GraphQLResponse) => userError(res, 'leaveTicketFeedback').message;
    const english = await expectCatalogText({ url: t.publicUrl, query: FEEDBACK, variables: { input: { ticketId: open.id, rating: 9 } }, token: tok['a-std'], locale: 'ja' }, pick, 'userError.feedback.rating', { min: 1, max: 5 });
    expect(english).toBe('The rating is a whole number from 1 to 5.');
    // a state refusal of the action rules: the rule's English text, the reason's catalog text
    const state = await post(t.publicUrl, FEEDBACK, { input: { ticketId: open.id, rating: 5 } }, tok['a-std'], 'de');
    expect(userError(state, 'leaveTicketFeedback')).toEqual({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'TICKET_NOT_CLOSED', message: translate('de', 'userError.ticketState.TICKET_NOT_CLOSED') });
    await expectCatalogText({ url: t.publicUrl, query: FEEDBACK, variables: { input: { ticketId: 'not-an-id', rating: 5 } }, token: tok['a-std'], locale: 'ja' }, pick, 'userError.noSuchTicket');
  });

  it("LANG-1: a blank description (ticket-rules) in the viewer's own language", async () => {
    const pick = (res: GraphQLResponse) => {
      const problem = userError(res, 'createEmailTicket');
      expect(problem).toMatchObject({ field: ['input', 'description'], code: 'REQUIRED' });
      return problem.message;
    };
    // a-ja's account language is Japanese and no Accept-Language is sent
    const english = await expectCatalogText(
      { url: t.publicUrl, query: EMAIL, variables: { input: { productArea: 'SURVEY_PLATFORM', subject: 'Blank', description: '   ' } }, token: tok['a-ja'], englishToken: tok['a-std'], locale: 'ja', viaAccount: true },
      pick,
      'userError.description.required',
    );
    expect(english).toBe('Describe the problem: the description is blank.');
  });

  it('LANG-1: a bad cursor and a reversed date range (ticket-query) carry a reason and its text', async () => {
    const LIST = `query($after: String, $filter: TicketFilter) { tickets(first: 5, after: $after, filter: $filter) { totalCount } }`;
    const pick = (reason: string) => (res: GraphQLResponse) => {
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      return res.errors![0].message;
    };
    await expectCatalogText({ url: t.publicUrl, query: LIST, variables: { after: Buffer.from('["NOT_AN_ORDER",1]').toString('base64url') }, token: tok['a-std'], locale: 'ja' }, pick('INVALID_CURSOR'), 'error.BAD_USER_INPUT.INVALID_CURSOR');
    const reversed = { createdAt: { from: '2026-12-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' } };
    await expectCatalogText({ url: t.publicUrl, query: LIST, variables: { filter: reversed }, token: tok['a-std'], locale: 'de' }, pick('INVALID_RANGE'), 'error.BAD_USER_INPUT.INVALID_RANGE');
  });

  it("LANG-1: the CRM integration's provisioning userErrors follow its Accept-Language", async () => {
    const UPSERT = `mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { account { id } userErrors { field code message } } }`;
    const input = { id: 'nobody', brandId: 'no-such-brand', username: 'nobody', email: 'nobody@example.com', firstName: 'No', lastName: 'Body' };
    const pick = (res: GraphQLResponse) => userError(res, 'upsertAccount').message;
    await expectCatalogText({ url: t.internalUrl, query: UPSERT, variables: { input }, token: tok.integration, locale: 'ja' }, pick, 'userError.brandNotFound', { brandId: 'no-such-brand' });
    const STATUS = `mutation($input: SetApplicationStatusInput!) { setApplicationStatus(input: $input) { userErrors { field code message } } }`;
    const pickStatus = (res: GraphQLResponse) => userError(res, 'setApplicationStatus').message;
    const expected = APPLICATION_COMPONENTS.map(([key]) => key).join(', ');
    const english = await expectCatalogText(
      { url: t.internalUrl, query: STATUS, variables: { input: { component: 'NO_SUCH_PART', status: 'OPERATIONAL' } }, token: tok.integration, locale: 'de' },
      pickStatus,
      'userError.status.unknownComponent',
      { component: 'NO_SUCH_PART', expected },
    );
    expect(english).toBe(`Unknown component "NO_SUCH_PART"; expected one of ${expected}.`);
  });

  it('LANG-1: an agent recording a ticket without a subject (ticket-record) is told in German', async () => {
    const RECORD = `mutation($input: RecordTicketInput!) { recordTicket(input: $input) { ticket { id } userErrors { field code message } } }`;
    const input = { kind: 'EMAIL', productArea: 'SURVEY_PLATFORM', submitterId: 'a-std', subject: ' ', description: 'x' };
    const pick = (res: GraphQLResponse) => {
      const problem = userError(res, 'recordTicket');
      expect(problem).toMatchObject({ field: ['input', 'subject'], code: 'REQUIRED' });
      return problem.message;
    };
    await expectCatalogText({ url: t.internalUrl, query: RECORD, variables: { input }, token: tok['agent-1'], locale: 'de' }, pick, 'userError.record.subjectRequired');
  });

  it("LANG-1: e-mail preferences (email-preferences): a category the address does not get, a manage link that is not one", async () => {
    const PREFS = `mutation($input: UpdateEmailPreferencesInput!) { updateEmailPreferences(input: $input) { userErrors { field code message } } }`;
    const pick = (res: GraphQLResponse) => userError(res, 'updateEmailPreferences').message;
    // a standard user gets no operational updates; a-ja is told in their own language
    await expectCatalogText(
      { url: t.publicUrl, query: PREFS, variables: { input: { changes: [{ category: 'OPERATIONAL_UPDATES', subscribed: true }] } }, token: tok['a-ja'], englishToken: tok['a-std'], locale: 'ja', viaAccount: true },
      pick,
      'userError.emailPreferences.categoryNotOffered',
      { category: 'OPERATIONAL_UPDATES' },
    );
    const BY_LINK = `mutation($input: UpdateEmailPreferencesByLinkInput!) { updateEmailPreferencesByLink(input: $input) { userErrors { field code message } } }`;
    const byLink = { input: { token: 'not-a-link-token', changes: [{ category: 'NEWS_AND_UPDATES', subscribed: false }] } };
    await expectCatalogText({ url: t.publicUrl, query: BY_LINK, variables: byLink, locale: 'ja' }, (res) => userError(res, 'updateEmailPreferencesByLink').message, 'userError.manageLink.invalid');
  });

  it('LANG-1: an unknown contract id (billing, inputIdOf) and unstorable text in a mutation input', async () => {
    const CONFIRM = `mutation($input: ConfirmBillingContactsInput!) { confirmBillingContacts(input: $input) { userErrors { field code message } } }`;
    const pick = (res: GraphQLResponse) => userError(res, 'confirmBillingContacts').message;
    await expectCatalogText({ url: t.publicUrl, query: CONFIRM, variables: { input: { contractId: 'not-a-contract-id' } }, token: tok['a-admin'], locale: 'ja' }, pick, 'userError.noSuchContract');
    // the billing section's document titles (BILL-4)
    const DOCUMENTS = `{ viewer { billing { documents { title url } } } }`;
    const titles = async (language: string) => ok(await post(t.publicUrl, DOCUMENTS, {}, tok['a-admin'], language)).viewer.billing.documents.map((d: { title: string }) => d.title);
    expect(await titles('en')).toEqual(['Trust center', 'Terms of service', 'Privacy statement']);
    expect(await titles('ja')).toEqual(['TRUST_CENTER', 'TERMS_OF_SERVICE', 'PRIVACY_STATEMENT'].map((code) => translate('ja', `billing.document.${code}` as MessageKey)));
    const nul = { input: { productArea: 'SURVEY_PLATFORM', subject: 'Nul \u0000 here', description: 'x' } };
    const english = await expectCatalogText({ url: t.publicUrl, query: EMAIL, variables: nul, token: tok['a-std'], locale: 'de' }, (res) => userError(res, 'createEmailTicket').message, 'userError.unstorableText');
    expect(english).toBe('Text must not contain NUL characters (U+0000) or unpaired surrogates.');
  });

  it('LANG-1: a FORBIDDEN reason (a brand admin closing a colleague’s ticket) has its catalog text', async () => {
    const CLOSE = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { userErrors { code } } }`;
    const colleague = await f.ticket({ submitterId: 'a-std' });
    const pick = (res: GraphQLResponse) => {
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_OWNER' });
      return res.errors![0].message;
    };
    await expectCatalogText({ url: t.publicUrl, query: CLOSE, variables: { input: { ticketId: colleague.id } }, token: tok['a-admin'], locale: 'ja' }, pick, 'error.FORBIDDEN.NOT_TICKET_OWNER');
  });

  it("LANG-1: chat (inputIdOf, chat-access): an unknown chat id, no agent yet (the customer's and the agent's texts), an ended chat", async () => {
    const SEND = `mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { line { id } userErrors { field code reason message } } }`;
    const END = `mutation($input: EndChatInput!) { endChat(input: $input) { chat { state } userErrors { field code reason message } } }`;
    const pick = (name: string, reason: string | null) => (res: GraphQLResponse) => {
      const problem = userError(res, name);
      expect(problem.reason).toBe(reason);
      return problem.message;
    };
    await expectCatalogText({ url: t.publicUrl, query: SEND, variables: { input: { ticketId: 'not-a-chat-id', text: 'hello' } }, token: tok['a-std'], locale: 'ja' }, pick('sendChatMessage', null), 'userError.chat.noSuchChat');
    const chat = ok(await t.gql(START, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Nobody here yet' } }, tok['a-std'])).startChat.ticket;
    const line = { input: { ticketId: chat.id, text: 'hello' } };
    await expectCatalogText({ url: t.publicUrl, query: SEND, variables: line, token: tok['a-std'], locale: 'ja' }, pick('sendChatMessage', 'CHAT_WAITING_FOR_AGENT'), 'userError.refusal.CHAT_WAITING_FOR_AGENT');
    // an agent ending a chat nobody took is told to take it first
    const english = await expectCatalogText({ url: t.internalUrl, query: END, variables: { input: { ticketId: chat.id } }, token: tok['agent-1'], locale: 'de' }, pick('endChat', 'CHAT_WAITING_FOR_AGENT'), 'userError.chat.takeFirst');
    expect(english).toBe('No agent has joined this chat yet: take it first (takeNextChat or assignTicket).');
    // the customer leaves the queue; a line after that meets the ended chat
    expect(ok(await t.gql(END, { input: { ticketId: chat.id } }, tok['a-std'])).endChat.userErrors).toEqual([]);
    await expectCatalogText({ url: t.publicUrl, query: SEND, variables: line, token: tok['a-std'], locale: 'de' }, pick('sendChatMessage', 'CHAT_ENDED'), 'userError.refusal.CHAT_ENDED');
  });
});
