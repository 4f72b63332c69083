/**
 * Tenant-isolation sweep, from the outside, through the real HTTP server.
 *
 * Brand "alpha" (A) holds tickets of every kind, an escalation, a phone callback waiting in a queue,
 * a conference, a forwarded (ENT-5) ticket, contracts, a billing inquiry and a staged upload. Every
 * piece of A's data carries the marker "alpha" (usernames, subjects, bodies, contract numbers,
 * references...), so a leak shows up as the marker anywhere in a response.
 *
 * Brand "bravo" (B) users (standard and brand admin) and a FedRAMP user then call every public
 * operation that takes an id (or a ticket/contract/escalation reference) with A's ids, and we assert
 * that nothing of A comes back and that the database is byte-for-byte unchanged afterwards.
 *
 * The list of id-taking operations is read from the running server by introspection: a new
 * operation that is not in PROBES below makes the coverage test fail.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';
import { SAMPLES } from './utils/attachment-samples';
import { STATIC_ONLY_LIMITS } from '../src/limits';
import { Live, WsClients } from './utils/ws';

const MARKER = 'alpha';

const TICKET_FIELDS = `id number subject description status type createdAt lastActivityAt closedAt closedNotice
  viewerCanReply viewerCanClose viewerCanLeaveFeedback viewerCanSetProxyAccess feedbackReceived
  feedback { rating comment } proxyAccess { granted history { granted changedAt } }
  submitter { username displayName } participants { username displayName } assignee { name }
  escalation { id reference problemDescription status timeline { status } }
  sharedResources { title url } references { ticketNumber escalationReference } messages { subject bodyHtml recipients attachments { fileName } }
  ... on EmailTicket { enterpriseVerification { enterprise awaitingVerification enterpriseAccessAllowed verifiedAt } }
  ... on PhoneTicket { phoneCall { number country } callbackStatus { state position language englishFallbackOffered englishFallbackAccepted } }
  ... on ChatTicket { transcript { authorName text } chat { state agentName position } }
  supportHandling { team since }
  ... on ConferenceTicket { conferenceCall { scheduledAt callStatus meetingUrl passcode } }`;
const CONTRACT_FIELDS = `id number startDate endDate licenses { product quantity } primaryContact { firstName lastName email } billingContact { firstName lastName email } contactsConfirmedAt`;
const NODE_FIELDS = `__typename id ... on Ticket { ${TICKET_FIELDS} } ... on Escalation { reference problemDescription }`;

const Q = {
  ticket: `query($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`,
  node: `query($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`,
  nodes: `query($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`,
  tickets: `query($scope: TicketScope!, $search: String, $after: String) { tickets(first: 100, scope: $scope, after: $after, filter: { search: $search }) {
    totalCount edges { cursor node { ${TICKET_FIELDS} } } } }`,
  replyToTicket: `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { ticket { ${TICKET_FIELDS} } message { bodyHtml } userErrors { field code message } } }`,
  closeTicket: `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
  leaveTicketFeedback: `mutation($input: LeaveTicketFeedbackInput!) { leaveTicketFeedback(input: $input) { ticket { ${TICKET_FIELDS} } feedback { rating } userErrors { field code message } } }`,
  setTicketProxyAccess: `mutation($input: SetTicketProxyAccessInput!) { setTicketProxyAccess(input: $input) { ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
  chooseCallbackLanguage: `mutation($input: ChooseCallbackLanguageInput!) { chooseCallbackLanguage(input: $input) { ticket { ${TICKET_FIELDS} } callbackStatus { state position language } userErrors { field code message } } }`,
  verifyEnterpriseAccount: `mutation($input: VerifyEnterpriseAccountInput!) { verifyEnterpriseAccount(input: $input) { ticket { ${TICKET_FIELDS} } verification { awaitingVerification enterpriseAccessAllowed verifiedAt } userErrors { field code message } } }`,
  updateBillingContact: `mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { ${CONTRACT_FIELDS} } userErrors { field code message } } }`,
  confirmBillingContacts: `mutation($input: ConfirmBillingContactsInput!) { confirmBillingContacts(input: $input) { contract { ${CONTRACT_FIELDS} } userErrors { field code message } } }`,
  submitBillingInquiry: `mutation($input: SubmitBillingInquiryInput!) { submitBillingInquiry(input: $input) { inquiry { id subject } userErrors { field code message } } }`,
  createEmailTicket: `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { ${TICKET_FIELDS} } unavailableReason userErrors { field code message } } }`,
  requestPhoneCallback: `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ticket { id number } userErrors { field code message } } }`,
  sendChatMessage: `mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { line { authorName text } chat { state agentName } userErrors { field code message } } }`,
  endChat: `mutation($input: EndChatInput!) { endChat(input: $input) { chat { state } ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
  setChatTyping: `mutation($input: SetChatTypingInput!) { setChatTyping(input: $input) { sent userErrors { field code message } } }`,
  cancelCallback: `mutation($input: CancelCallbackInput!) { cancelCallback(input: $input) { ticket { ${TICKET_FIELDS} } callbackStatus { state position } userErrors { field code message } } }`,
  rescheduleConferenceCall: `mutation($input: RescheduleConferenceCallInput!) { rescheduleConferenceCall(input: $input) { ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
  cancelConferenceCall: `mutation($input: CancelConferenceCallInput!) { cancelConferenceCall(input: $input) { ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
};

function namedType(ref: any): string {
  return ref.ofType ? namedType(ref.ofType) : ref.name;
}

describe.each(DATABASE_TARGETS)('tenant isolation sweep through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let agentToken: string;
  const tok: Record<string, string> = {};
  /** A's ids, by what they are. */
  const A = {
    tickets: {} as Record<string, { id: string; number: number }>,
    escalationId: '',
    contractIds: [] as string[],
    inquiryId: '',
    accountId: '',
    brandId: '',
    uploadId: '',
  };
  const B = { emailTicket: { id: '', number: 0 }, contractIds: [] as string[] };
  const F = { tickets: {} as Record<string, { id: string; number: number }>, escalationId: '' };
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-isolation-'));
  const stagedCount = () => {
    try {
      return readdirSync(join(dataDir, 'attachments', 'staged')).length;
    } catch {
      return 0;
    }
  };

  const upload = async (fileName: string, body: Buffer, token: string) => {
    const res = await fetch(`${t.publicUrl.replace(/\/graphql$/, '')}/uploads?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  /** Every row of every table, sorted, so any write by a probe shows up as a difference. */
  const snapshot = async (): Promise<Record<string, string[]>> => {
    const em = t.orm.em.fork();
    const conn = em.getConnection();
    const tables = new Set<string>();
    for (const meta of Object.values(t.orm.getMetadata().getAll()) as any[]) {
      if (meta.embeddable || meta.virtual || meta.abstract || !meta.tableName) continue;
      tables.add(meta.tableName);
    }
    const out: Record<string, string[]> = {};
    for (const table of [...tables].sort()) {
      const rows = (await conn.execute(`select * from "${table}"`)) as Record<string, unknown>[];
      out[table] = rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
    }
    return out;
  };

  /** Nothing of A in a response: no marker anywhere (data or errors). */
  const expectNoAlpha = (label: string, res: GraphQLResponse) => {
    const text = JSON.stringify({ data: res.data, errors: res.errors }).toLowerCase();
    expect(text.includes(MARKER) || text.includes('cp-71001'), `${label} leaked A's data: ${text.slice(0, 600)}`).toBe(false);
  };

  /**
   * A mutation probed with someone else's id must be refused: a GraphQL FORBIDDEN error (payload null),
   * or a userError NOT_FOUND with every other payload field null.
   */
  const expectRefusedMutation = (label: string, field: string, res: GraphQLResponse) => {
    expectNoAlpha(label, res);
    if (res.errors?.length) {
      expect(res.errors.map((e) => e.extensions?.code), `${label}: ${JSON.stringify(res.errors)}`).toEqual(res.errors.map(() => 'FORBIDDEN'));
      expect(res.data == null || res.data[field] == null, label).toBe(true);
      return;
    }
    const payload = res.data[field];
    const refusedReference = payload.userErrors.some((e: any) => e.field[1] === 'references' && ['NOT_FOUND', 'INVALID'].includes(e.code));
    expect(refusedReference || payload.userErrors.some((e: any) => e.code === 'NOT_FOUND'), `${label}: ${JSON.stringify(payload)}`).toBe(true);
    for (const [key, value] of Object.entries(payload)) if (key !== 'userErrors') expect(value, `${label}: ${key}`).toBeNull();
  };

  /** A query probed with someone else's id answers null (or FORBIDDEN for FedRAMP viewers). */
  const expectNullQuery = (label: string, field: string, res: GraphQLResponse) => {
    expectNoAlpha(label, res);
    if (res.errors?.length) {
      expect(res.errors.map((e) => e.extensions?.code), label).toEqual(res.errors.map(() => 'FORBIDDEN'));
      return;
    }
    const value = res.data[field];
    if (Array.isArray(value)) expect(value.every((v) => v === null), `${label}: ${JSON.stringify(value)}`).toBe(true);
    else expect(value, label).toBeNull();
  };

  const allATicketIds = () => Object.values(A.tickets).map((x) => x.id);

  /**
   * Every id-taking public operation, with the ids of A it is probed with. The coverage test below
   * compares this list with the schema, so a new operation cannot be forgotten.
   */
  const PROBES: Record<string, (token: string, who: string) => Promise<void>> = {
    ticket: async (token, who) => {
      for (const id of [...allATicketIds()]) expectNullQuery(`${who} ticket(${id})`, 'ticket', await t.gql(Q.ticket, { id }, token));
    },
    node: async (token, who) => {
      for (const id of [...allATicketIds(), A.escalationId, ...A.contractIds, A.inquiryId, A.accountId, A.brandId]) {
        expectNullQuery(`${who} node(${id})`, 'node', await t.gql(Q.node, { id }, token));
      }
    },
    nodes: async (token, who) => {
      const ids = [...allATicketIds(), A.escalationId, ...A.contractIds, A.inquiryId, A.accountId, A.brandId];
      expectNullQuery(`${who} nodes`, 'nodes', await t.gql(Q.nodes, { ids }, token));
    },
    replyToTicket: async (token, who) => {
      for (const id of allATicketIds()) {
        expectRefusedMutation(`${who} replyToTicket(${id})`, 'replyToTicket', await t.gql(Q.replyToTicket, { input: { ticketId: id, bodyHtml: '<p>injected by B</p>' } }, token));
      }
    },
    closeTicket: async (token, who) => {
      for (const id of allATicketIds()) expectRefusedMutation(`${who} closeTicket(${id})`, 'closeTicket', await t.gql(Q.closeTicket, { input: { ticketId: id } }, token));
    },
    leaveTicketFeedback: async (token, who) => {
      for (const id of allATicketIds()) {
        expectRefusedMutation(`${who} leaveTicketFeedback(${id})`, 'leaveTicketFeedback', await t.gql(Q.leaveTicketFeedback, { input: { ticketId: id, rating: 1, comment: 'B was here' } }, token));
      }
    },
    setTicketProxyAccess: async (token, who) => {
      for (const id of allATicketIds()) {
        for (const granted of [true, false]) {
          expectRefusedMutation(`${who} setTicketProxyAccess(${id}, ${granted})`, 'setTicketProxyAccess', await t.gql(Q.setTicketProxyAccess, { input: { ticketId: id, granted } }, token));
        }
      }
    },
    chooseCallbackLanguage: async (token, who) => {
      for (const id of allATicketIds()) {
        for (const language of ['ENGLISH', 'KEEP']) {
          expectRefusedMutation(`${who} chooseCallbackLanguage(${id}, ${language})`, 'chooseCallbackLanguage', await t.gql(Q.chooseCallbackLanguage, { input: { ticketId: id, language } }, token));
        }
      }
    },
    verifyEnterpriseAccount: async (token, who) => {
      for (const id of allATicketIds()) {
        for (const allow of [true, false]) {
          expectRefusedMutation(`${who} verifyEnterpriseAccount(${id})`, 'verifyEnterpriseAccount', await t.gql(Q.verifyEnterpriseAccount, { input: { ticketId: id, allowEnterpriseAccess: allow } }, token));
        }
      }
    },
    updateBillingContact: async (token, who) => {
      for (const contractId of A.contractIds) {
        for (const kind of ['PRIMARY', 'BILLING']) {
          const input = { contractId, kind, firstName: 'Mallory', lastName: 'Bravo', email: 'mallory@bravo.example' };
          expectRefusedMutation(`${who} updateBillingContact(${contractId}, ${kind})`, 'updateBillingContact', await t.gql(Q.updateBillingContact, { input }, token));
        }
      }
    },
    confirmBillingContacts: async (token, who) => {
      for (const contractId of A.contractIds) {
        expectRefusedMutation(`${who} confirmBillingContacts(${contractId})`, 'confirmBillingContacts', await t.gql(Q.confirmBillingContacts, { input: { contractId } }, token));
      }
    },
    submitBillingInquiry: async (token, who) => {
      for (const contractId of A.contractIds) {
        const input = { contractId, topic: 'INVOICE', subject: 'Send me their invoice', message: 'please', language: 'ENGLISH' };
        expectRefusedMutation(`${who} submitBillingInquiry(${contractId})`, 'submitBillingInquiry', await t.gql(Q.submitBillingInquiry, { input }, token));
      }
    },
  };

  // FUP-5: every create takes `references: [ID!]`; A's tickets and escalation must be refused as references
  const createWithReferences = (field: string, input: (refs: string[]) => Record<string, unknown>) => async (token: string, who: string) => {
    const refs = [...allATicketIds(), A.escalationId];
    for (const id of refs) {
      const query = `mutation($input: ${field[0].toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { ticket { ${TICKET_FIELDS} } unavailableReason userErrors { field code message } } }`;
      const res = await t.gql(query, { input: input([id]) }, token);
      expectRefusedMutation(`${who} ${field}(references: [${id}])`, field, res);
      const payload = res.data?.[field];
      if (payload) expect(payload.userErrors[0].field.slice(0, 2), `${who} ${field}: refused for its references`).toEqual(['input', 'references']);
    }
  };
  Object.assign(PROBES, {
    createEmailTicket: createWithReferences('createEmailTicket', (references) => ({ productArea: 'SURVEY_PLATFORM', subject: 'see theirs', description: 'x', references })),
    requestPhoneCallback: createWithReferences('requestPhoneCallback', (references) => ({ productArea: 'SURVEY_PLATFORM', phone: { country: 'IT', number: '02 1234 5678' }, references })),
    startChat: createWithReferences('startChat', (references) => ({ productArea: 'SURVEY_PLATFORM', subject: 'see theirs', references })),
    scheduleConferenceCall: createWithReferences('scheduleConferenceCall', (references) => ({ productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-10T16:00:00.000Z', references })),
  });
  // CHAT-2, PHN-5, ENT-3: the conversation operations, with every A ticket (A's live chats included)
  const eachTicket = (field: string, input: (id: string) => Record<string, unknown>) => async (token: string, who: string) => {
    for (const id of allATicketIds()) expectRefusedMutation(`${who} ${field}(${id})`, field, await t.gql(Q[field as keyof typeof Q], { input: input(id) }, token));
  };
  Object.assign(PROBES, {
    sendChatMessage: eachTicket('sendChatMessage', (ticketId) => ({ ticketId, text: 'injected by B' })),
    endChat: eachTicket('endChat', (ticketId) => ({ ticketId })),
    setChatTyping: eachTicket('setChatTyping', (ticketId) => ({ ticketId, typing: true })),
    cancelCallback: eachTicket('cancelCallback', (ticketId) => ({ ticketId })),
    rescheduleConferenceCall: eachTicket('rescheduleConferenceCall', (ticketId) => ({ ticketId, scheduledAt: '2026-11-12T16:00:00.000Z' })),
    cancelConferenceCall: eachTicket('cancelConferenceCall', (ticketId) => ({ ticketId })),
  });

  beforeAll(async () => {
    // the sweep asks for every field of up to 100 tickets at once on purpose: lift the cost ceiling
    // (the limits have their own tests, test/limits.test.ts); depth and alias limits still apply
    t = await startTestServer(target, { dataDir, limits: { ...STATIC_ONLY_LIMITS, maxCost: 1_000_000 } });
    f = new Fixtures(t);
    for (const input of [
      { id: 'brand-alpha', name: 'Alpha Corp', successPackage: true, billingContactEditing: true },
      { id: 'brand-bravo', name: 'Bravo Corp', successPackage: true, billingContactEditing: true },
      { id: 'brand-fed', name: 'Fed Agency', successPackage: true, billingContactEditing: true, fedramp: true },
    ]) {
      const res = ok(await t.internal(`mutation($input: UpsertBrandInput!) { upsertBrand(input: $input) { userErrors { message } } }`, { input }));
      expect(res.upsertBrand.userErrors).toEqual([]);
    }
    await f.account('alpha-std', 'brand-alpha', { accountType: 'ENTERPRISE' });
    await f.account('alpha-std2', 'brand-alpha', { accountType: 'ENTERPRISE' });
    await f.account('alpha-admin', 'brand-alpha', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    await f.account('b-std', 'brand-bravo', { accountType: 'ENTERPRISE' });
    await f.account('b-admin', 'brand-bravo', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    await f.account('f-user', 'brand-fed', { accountType: 'ENTERPRISE' });
    await f.account('f-admin', 'brand-fed', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    for (const [id, brandId, role] of [['b-std', 'brand-bravo', 'STANDARD'], ['b-admin', 'brand-bravo', 'BRAND_ADMIN'], ['f-user', 'brand-fed', 'STANDARD'], ['f-admin', 'brand-fed', 'BRAND_ADMIN']]) {
      // Enterprise seats, so that conference availability never short-circuits the FUP-5 reference check
      const res = ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { message } } }`, {
        input: { id, brandId, username: id, email: `${id}@example.com`, firstName: 'First', lastName: id, role, accountType: 'ENTERPRISE', enterpriseSeat: true },
      }));
      expect(res.upsertAccount.userErrors).toEqual([]);
    }
    await f.agent('agent-x');
    agentToken = await t.token('agent-x', ['hub:agent']);
    for (const id of ['alpha-std', 'alpha-std2', 'alpha-admin', 'b-std', 'b-admin', 'f-user', 'f-admin']) tok[id] = await f.tokenFor(id);

    // ---- brand A: every kind of ticket, all marked "alpha"
    A.tickets.email = await f.ticket({
      submitterId: 'alpha-std', participantIds: ['alpha-std2'], subject: 'alpha email subject', description: 'alpha description', assigneeId: 'agent-x',
      createdAt: '2026-10-01T08:00:00.000Z',
      messages: [
        { authorKind: 'CUSTOMER', bodyHtml: '<p>alpha customer body</p>', recipients: ['alpha-std@example.com'], createdAt: '2026-10-01T08:00:00.000Z' },
        { authorKind: 'AGENT', bodyHtml: '<p>alpha agent body</p>', createdAt: '2026-10-02T08:00:00.000Z' },
      ],
      sharedResources: [{ title: 'alpha resource', url: 'https://help.example.com/alpha' }],
    });
    A.tickets.phone = await f.ticket({
      kind: 'PHONE', submitterId: 'alpha-std', subject: 'alpha phone', createdAt: '2026-10-03T08:00:00.000Z',
      phone: { number: '+390212345678', country: 'IT', confirmationEmail: 'alpha-std@example.com', recordingConsent: true },
      messages: [{ authorKind: 'AGENT', bodyHtml: 'alpha call summary' }],
    });
    A.tickets.chat = await f.ticket({
      kind: 'CHAT', submitterId: 'alpha-std2', subject: 'alpha chat', createdAt: '2026-10-04T08:00:00.000Z',
      transcript: [{ authorKind: 'CUSTOMER', authorName: 'alpha two', text: 'alpha line', sentAt: '2026-10-04T08:00:00.000Z' }],
      messages: [{ authorKind: 'AGENT', bodyHtml: 'alpha chat follow-up' }],
    });
    A.tickets.conference = await f.ticket({
      kind: 'CONFERENCE', submitterId: 'alpha-std', createdAt: '2026-10-05T08:00:00.000Z', description: 'alpha conference',
      conference: { scheduledAt: '2026-11-20T16:00:00.000Z', callStatus: 'ACCEPTED', meetingUrl: 'https://meet.example.com/alpha', passcode: 'alpha-834211', screenShare: true },
    });
    A.tickets.escalated = await f.ticket({
      submitterId: 'alpha-std', subject: 'alpha escalated', status: 'ESCALATED', createdAt: '2026-10-06T08:00:00.000Z',
      messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'alpha escalated body' }],
      escalation: { reference: 'CP-71001', problemDescription: 'alpha problem', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-06T09:00:00.000Z' }] },
    });
    A.tickets.closed = await f.ticket({
      submitterId: 'alpha-std', subject: 'alpha closed', status: 'CLOSED', createdAt: '2026-10-07T08:00:00.000Z',
      messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'alpha closed body' }],
    });
    A.tickets.adminOwned = await f.ticket({
      submitterId: 'alpha-admin', subject: 'alpha admin ticket', createdAt: '2026-10-08T08:00:00.000Z',
      messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'alpha admin body' }],
    });
    const forward = `mutation($input: ForwardToEnterpriseSupportInput!) { forwardToEnterpriseSupport(input: $input) { ticket { id number } userErrors { code } } }`;
    const fwdA = ok(await t.internal(forward, { input: { accountId: 'alpha-std', productArea: 'SURVEY_PLATFORM', subject: 'alpha forwarded', description: 'alpha q' } }, agentToken)).forwardToEnterpriseSupport;
    expect(fwdA.userErrors).toEqual([]);
    A.tickets.forwarded = fwdA.ticket;

    // A's live chats (CHAT-1, CHAT-2): one with an agent in it, one waiting in the queue
    const chat = (token: string, subject: string) => t.gql(`mutation($input: StartChatInput!) { startChat(input: $input) { ticket { id number } userErrors { message } } }`, { input: { productArea: 'SURVEY_PLATFORM', subject }, }, token);
    A.tickets.liveChat = ok(await chat(tok['alpha-std'], 'alpha live chat')).startChat.ticket;
    ok(await t.internal(`mutation { takeNextChat(input: { language: ENGLISH, productArea: SURVEY_PLATFORM }) { userErrors { message } } }`, undefined, agentToken));
    ok(await t.internal(`mutation($input: AppendChatTranscriptInput!) { appendChatTranscript(input: $input) { userErrors { message } } }`, { input: { ticketId: A.tickets.liveChat.id, lines: [{ authorKind: 'AGENT', authorName: 'x', text: 'alpha agent line' }] } }, agentToken));
    A.tickets.waitingChat = ok(await chat(tok['alpha-std2'], 'alpha waiting chat')).startChat.ticket;

    // a live phone callback of A with the English fallback on offer (PHN-3): third in the German queue
    const start = t.clock.now; // Monday 08:00 Denver: German lines open
    const phone = (token: string, subject: string) =>
      t.gql(Q.requestPhoneCallback, { input: { productArea: 'SURVEY_PLATFORM', language: 'GERMAN', subject, phone: { country: 'IT', number: '02 1234 5678' } } }, token);
    const first = ok(await phone(tok['alpha-admin'], 'alpha callback 1')).requestPhoneCallback;
    expect(first.userErrors).toEqual([]);
    A.tickets.callbackAdmin = first.ticket;
    t.clock.now = new Date(start.getTime() + 60_000);
    A.tickets.callbackStd2 = ok(await phone(tok['alpha-std2'], 'alpha callback 2')).requestPhoneCallback.ticket;
    t.clock.now = new Date(start.getTime() + 120_000);
    A.tickets.callback = ok(await phone(tok['alpha-std'], 'alpha callback 3')).requestPhoneCallback.ticket;
    t.clock.now = new Date(start.getTime() + 180_000);
    F.tickets.callback = ok(await phone(tok['f-user'], 'fed callback')).requestPhoneCallback.ticket;
    t.clock.now = start;
    const offer = ok(await t.gql(Q.ticket, { id: A.tickets.callback.id }, tok['alpha-std'])).ticket.callbackStatus;
    expect(offer).toMatchObject({ state: 'WAITING', position: 3, englishFallbackOffered: true, englishFallbackAccepted: null });

    const escalation = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { escalation { id } } }`, { id: A.tickets.escalated.id }, tok['alpha-std']));
    A.escalationId = escalation.ticket.escalation.id;

    // contracts: two of A; B has one, and one that names an A user's e-mail (never visible from A)
    const contract = async (brandId: string, number: string, primary: string, billing: string) => {
      const res = ok(await t.internal(`mutation($input: UpsertContractInput!) { upsertContract(input: $input) { ok userErrors { message } } }`, {
        input: {
          brandId, number, startDate: '2026-07-01', endDate: '2027-01-31',
          primaryContact: { firstName: 'Owner', lastName: number, email: primary },
          billingContact: { firstName: 'Billing', lastName: number, email: billing },
          licenses: [{ product: `${number} product`, quantity: 3 }],
        },
      }));
      expect(res.upsertContract.userErrors).toEqual([]);
    };
    await contract('brand-alpha', 'ALPHA-C1', 'alpha-owner@example.com', 'alpha-std@example.com');
    await contract('brand-alpha', 'ALPHA-C2', 'alpha-owner@example.com', 'alpha-ap@example.com');
    await contract('brand-bravo', 'BRAVO-C1', 'b-owner@example.com', 'b-std@example.com');
    await contract('brand-bravo', 'BRAVO-C2', 'alpha-std@example.com', 'alpha-std@example.com');
    await contract('brand-fed', 'FED-C1', 'f-owner@example.com', 'f-user@example.com');
    const aBilling = ok(await t.gql(`{ viewer { id brand { id } billing { contracts { id number } } } }`, undefined, tok['alpha-admin'])).viewer;
    A.contractIds = aBilling.billing.contracts.map((c: any) => c.id);
    expect(aBilling.billing.contracts.map((c: any) => c.number).sort()).toEqual(['ALPHA-C1', 'ALPHA-C2']);
    A.accountId = aBilling.id;
    A.brandId = aBilling.brand.id;
    B.contractIds = ok(await t.gql(`{ viewer { billing { contracts { id } } } }`, undefined, tok['b-admin'])).viewer.billing.contracts.map((c: any) => c.id);
    const inquiry = ok(await t.gql(Q.submitBillingInquiry, { input: { contractId: A.contractIds[0], topic: 'INVOICE', subject: 'alpha invoice', message: 'alpha', language: 'ENGLISH' } }, tok['alpha-admin']));
    expect(inquiry.submitBillingInquiry.userErrors).toEqual([]);
    A.inquiryId = inquiry.submitBillingInquiry.inquiry.id;

    // a staged (not yet linked) upload of A
    const staged = await upload('alpha-report.pdf', SAMPLES.pdf, tok['alpha-std']);
    expect(staged.status, JSON.stringify(staged.body)).toBe(201);
    A.uploadId = staged.body.uploadId;

    // brand B's own tickets, to check lists and B's own replies
    B.emailTicket = await f.ticket({ submitterId: 'b-std', subject: 'bravo email', createdAt: '2026-10-09T08:00:00.000Z', messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'bravo body' }] });
    await f.ticket({ kind: 'CHAT', submitterId: 'b-admin', subject: 'bravo chat', createdAt: '2026-10-09T09:00:00.000Z' });

    // FedRAMP brand: its own tickets, an escalation and a forwarded one
    F.tickets.email = await f.ticket({ submitterId: 'f-user', subject: 'fed email', createdAt: '2026-10-09T08:00:00.000Z', messages: [{ authorKind: 'AGENT', bodyHtml: 'fed agent body' }] });
    F.tickets.closed = await f.ticket({ submitterId: 'f-user', subject: 'fed closed', status: 'CLOSED', createdAt: '2026-10-09T08:00:00.000Z', messages: [{ authorKind: 'AGENT', bodyHtml: 'fed body' }] });
    F.tickets.escalated = await f.ticket({
      submitterId: 'f-user', subject: 'fed escalated', status: 'ESCALATED', createdAt: '2026-10-09T08:00:00.000Z',
      escalation: { reference: 'CP-72001', problemDescription: 'fed problem', timeline: [{ status: 'SUBMITTED', reachedAt: '2026-10-09T09:00:00.000Z' }] },
    });
    const fwdF = ok(await t.internal(forward, { input: { accountId: 'f-user', productArea: 'SURVEY_PLATFORM', subject: 'fed forwarded', description: 'fed q' } }, agentToken)).forwardToEnterpriseSupport;
    expect(fwdF.userErrors).toEqual([]);
    F.tickets.forwarded = fwdF.ticket;
    // agents read tickets on the internal schema (the public one refuses them: NOT_A_CUSTOMER)
    const fEsc = ok(await t.internal(`query($id: ID!) { ticket(id: $id) { escalation { id } } }`, { id: F.tickets.escalated.id }, agentToken));
    F.escalationId = fEsc.ticket.escalation.id;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Id-taking subscriptions (WebSocket): subscribed to with every A ticket id by every attacker. */
  const SUBSCRIPTION_PROBES: Record<string, { query: string; variables: (id: string) => Record<string, unknown> }> = {
    ticketUpdated: { query: 'subscription($id: ID!) { ticketUpdated(id: $id) { __typename ticket { ' + TICKET_FIELDS + ' } } }', variables: (id) => ({ id }) },
    callbackQueuePosition: { query: 'subscription($ticketId: ID!) { callbackQueuePosition(ticketId: $ticketId) { __typename state position language englishFallbackOffered } }', variables: (ticketId) => ({ ticketId }) },
    chatUpdated: { query: 'subscription($ticketId: ID!) { chatUpdated(ticketId: $ticketId) { __typename change chat { state agentName position } line { authorName text } } }', variables: (ticketId) => ({ ticketId }) },
  };

  it('coverage: every public Query/Mutation field that takes an ID (directly or in its input) is probed by the sweep', async () => {
    const schema = ok(
      await t.gql(`{ __schema { queryType { name } mutationType { name } subscriptionType { name }
        types { name kind inputFields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
          fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`, undefined, tok['b-std']),
    ).__schema;
    const types = new Map<string, any>(schema.types.map((ty: any) => [ty.name, ty]));
    const takesId = (ref: any, seen = new Set<string>()): boolean => {
      const name = namedType(ref);
      if (name === 'ID') return true;
      const ty = types.get(name);
      if (ty?.kind !== 'INPUT_OBJECT' || seen.has(name)) return false;
      seen.add(name);
      return ty.inputFields.some((field: any) => takesId(field.type, seen));
    };
    const idTaking: string[] = [];
    for (const root of [schema.queryType?.name, schema.mutationType?.name]) {
      for (const field of types.get(root)?.fields ?? []) if (field.args.some((arg: any) => takesId(arg.type))) idTaking.push(field.name);
    }
    // sanity: the walk does find the operations we know about
    expect(idTaking).toEqual(expect.arrayContaining(['ticket', 'node', 'nodes', 'replyToTicket', 'updateBillingContact', 'submitBillingInquiry']));
    const missing = idTaking.filter((name) => !(name in PROBES));
    expect(missing, `id-taking operations not covered by the isolation sweep: ${missing.join(', ')} — add them to PROBES`).toEqual([]);
    // subscriptions (WebSocket) are probed by the RT-3 sweep below
    // `after` is an event-log cursor, not an entity id: resuming never reveals another brand's events (test/event-log.test.ts)
    const subscriptions = (types.get(schema.subscriptionType?.name)?.fields ?? []).filter((field: any) => field.args.some((arg: any) => arg.name !== 'after' && takesId(arg.type))).map((field: any) => field.name as string);
    expect(subscriptions).toEqual(expect.arrayContaining(['ticketUpdated']));
    const missingSubscriptions = subscriptions.filter((name: string) => !(name in SUBSCRIPTION_PROBES));
    expect(missingSubscriptions, `id-taking subscriptions not covered: ${missingSubscriptions.join(', ')} — add them to SUBSCRIPTION_PROBES`).toEqual([]);
  });

  it("RT-3: every id-taking subscription refuses A's ticket ids to every attacker over the WebSocket, with nothing of A in any message", async () => {
    const ws = new WsClients(t.publicUrl);
    try {
      for (const attacker of ['b-std', 'b-admin', 'f-user', 'f-admin']) {
        const client = ws.open(tok[attacker]);
        for (const [name, probe] of Object.entries(SUBSCRIPTION_PROBES)) {
          for (const id of allATicketIds()) {
            const live = new Live(client, probe.query, probe.variables(id));
            await live.ended();
            const label = `${attacker} ${name}(${id})`;
            const seen = JSON.stringify({ results: live.results, errors: live.errors });
            expect(seen.toLowerCase().includes(MARKER), `${label}: ${seen}`).toBe(false);
            expect(live.results.every((r) => r.data === null || r.data === undefined), `${label}: ${seen}`).toBe(true);
            const codes = [...live.results.flatMap((r) => r.errors ?? []), ...(live.errors as { extensions?: { code?: string } }[][]).flat()].map((e: any) => e?.extensions?.code);
            expect(codes.length, `${label}: refused with an error`).toBeGreaterThan(0);
            expect(codes.every((code) => code === 'FORBIDDEN'), `${label}: ${seen}`).toBe(true);
          }
        }
      }
    } finally {
      await ws.closeAll();
    }
  });

  for (const attacker of ['b-std', 'b-admin', 'f-user', 'f-admin']) {
    it(`HIST-3, BILL-1, FED-1: ${attacker} gets nothing of brand A from any id-taking operation, and A's rows are unchanged`, async () => {
      const before = await snapshot();
      const stagedBefore = stagedCount();
      for (const [op, probe] of Object.entries(PROBES)) {
        try {
          await probe(tok[attacker], attacker);
        } catch (error) {
          throw new Error(`[${op}] ${(error as Error).message}`, { cause: error });
        }
      }
      // type confusion: A's escalation/contract ids where a ticket id is expected, and the reverse
      for (const id of [A.escalationId, A.contractIds[0], A.inquiryId, A.accountId]) {
        const res = await t.gql(Q.ticket, { id }, tok[attacker]);
        expectNoAlpha(`${attacker} ticket(${id}) type confusion`, res);
        expect(res.data?.ticket ?? null).toBeNull();
      }
      const confused = await t.gql(Q.updateBillingContact, { input: { contractId: A.tickets.email.id, kind: 'BILLING', firstName: 'M', lastName: 'B', email: 'm@b.example' } }, tok[attacker]);
      expectRefusedMutation(`${attacker} updateBillingContact(ticket id)`, 'updateBillingContact', confused);
      expect(await snapshot()).toEqual(before);
      expect(stagedCount()).toBe(stagedBefore);
    });
  }

  it("HIST-3: B's tickets(scope: ORGANIZATION) and MINE never include A's tickets, even searched by A's numbers, escalation reference or subject words", async () => {
    const aNumbers = Object.values(A.tickets).map((x) => x.number);
    for (const who of ['b-std', 'b-admin']) {
      for (const scope of who === 'b-admin' ? ['MINE', 'ORGANIZATION'] : ['MINE']) {
        for (const search of [null, ...aNumbers.map(String), 'CP-71001', 'cp-71001', 'alpha', 'email subject']) {
          const res = await t.gql(Q.tickets, { scope, search }, tok[who]);
          expectNoAlpha(`${who} tickets(${scope}, ${search})`, res);
          const numbers = ok(res).tickets.edges.map((e: any) => e.node.number);
          expect(numbers.filter((n: number) => aNumbers.includes(n)), `${who} ${scope} ${search}`).toEqual([]);
        }
      }
    }
    const org = ok(await t.gql(Q.tickets, { scope: 'ORGANIZATION', search: null }, tok['b-admin'])).tickets;
    expect(org.edges.map((e: any) => e.node.subject).sort()).toEqual(['bravo chat', 'bravo email']);
    expect(org.totalCount).toBe(2);
    // A's cursor does not open A's list to B
    const aPage = ok(await t.gql(`{ tickets(first: 2, scope: ORGANIZATION) { edges { cursor } } }`, undefined, tok['alpha-admin'])).tickets;
    for (const edge of aPage.edges) {
      const res = await t.gql(Q.tickets, { scope: 'ORGANIZATION', search: null, after: edge.cursor }, tok['b-admin']);
      expectNoAlpha('b-admin tickets(after: A cursor)', res);
    }
  });

  it("BILL-1: B's viewer.billing lists only B's contracts; A's billing contact sees only A's, never B's contract naming their e-mail", async () => {
    const q = `{ viewer { billing { contracts { ${CONTRACT_FIELDS} } } } }`;
    const bAdmin = await t.gql(q, undefined, tok['b-admin']);
    // BRAVO-C2 deliberately names alpha-std's e-mail (B's own data), so check by contract number here
    expect(ok(bAdmin).viewer.billing.contracts.map((c: any) => c.number).sort()).toEqual(['BRAVO-C1', 'BRAVO-C2']);
    const bStd = await t.gql(q, undefined, tok['b-std']);
    expectNoAlpha('b-std billing', bStd);
    expect(ok(bStd).viewer.billing.contracts.map((c: any) => c.number)).toEqual(['BRAVO-C1']);
    const aStd = ok(await t.gql(q, undefined, tok['alpha-std'])).viewer.billing.contracts.map((c: any) => c.number);
    expect(aStd).toEqual(['ALPHA-C1']);
    // and B's contract ids are refused to A's users just the same
    for (const contractId of B.contractIds) {
      const res = await t.gql(Q.confirmBillingContacts, { input: { contractId } }, tok['alpha-std']);
      expect(ok(res).confirmBillingContacts).toMatchObject({ contract: null, userErrors: [{ code: 'NOT_FOUND' }] });
    }
    // the whole viewer of B holds nothing of A (account team, brand admins, preferences, linked accounts)
    const whole = await t.gql(`{ viewer { id username email brand { id name } accountTeam { brandAdmins { firstName lastName email phone } successManager { name email } accountExecutive { name email } intakeFormUrl }
      emailPreferences { email settings { category } } linkedAccounts { community { username } certifications { name } } } }`, undefined, tok['b-std']);
    expectNoAlpha('b-std viewer', whole);
  });

  it("FUP-3: B cannot attach A's staged upload; it stays A's and A can still use it", async () => {
    const before = await snapshot();
    const stagedBefore = stagedCount();
    for (const who of ['b-std', 'b-admin']) {
      const res = ok(await t.gql(Q.replyToTicket, { input: { ticketId: B.emailTicket.id, bodyHtml: 'look', attachmentIds: [A.uploadId] } }, tok[who])).replyToTicket;
      expectNoAlpha(`${who} reply with A's upload`, { status: 200, data: res });
      expect(res).toMatchObject({ ticket: null, message: null, userErrors: [{ field: ['input', 'attachmentIds', '0'], code: 'NOT_FOUND' }] });
    }
    expect(await snapshot()).toEqual(before);
    expect(stagedCount()).toBe(stagedBefore);
    const mine = ok(await t.gql(Q.replyToTicket, { input: { ticketId: A.tickets.email.id, bodyHtml: 'alpha attach', attachmentIds: [A.uploadId] } }, tok['alpha-std'])).replyToTicket;
    expect(mine.userErrors).toEqual([]);
    expect(mine.message).toBeTruthy();
  });

  it("HIST-1: B re-using A's idempotency key gets a ticket of its own, never A's", async () => {
    const input = { productArea: 'SURVEY_PLATFORM', subject: 'alpha keyed', description: 'alpha keyed', idempotencyKey: 'shared-key-1' };
    const mine = ok(await t.gql(Q.createEmailTicket, { input }, tok['alpha-std'])).createEmailTicket;
    expect(mine.userErrors).toEqual([]);
    const theirs = ok(await t.gql(Q.createEmailTicket, { input: { ...input, subject: 'bravo keyed', description: 'bravo keyed' } }, tok['b-std'])).createEmailTicket;
    expect(theirs.userErrors).toEqual([]);
    expect(theirs.ticket.id).not.toBe(mine.ticket.id);
    expectNoAlpha('b-std idempotent create', { status: 200, data: theirs });
  });

  describe('FED-1: FedRAMP users get no ticket history anywhere', () => {
    const fedrampRestricted = (label: string, res: GraphQLResponse) => {
      expect(res.errors?.[0]?.extensions, `${label}: ${JSON.stringify(res)}`).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
      expect(res.data === null || Object.values(res.data ?? {}).every((v) => v === null), label).toBe(true);
    };

    it('FED-1: list (both scopes), detail, node and nodes of their own tickets and escalation are FORBIDDEN/FEDRAMP_RESTRICTED', async () => {
      for (const who of ['f-user', 'f-admin']) {
        fedrampRestricted(`${who} tickets MINE`, await t.gql(Q.tickets, { scope: 'MINE', search: null }, tok[who]));
        fedrampRestricted(`${who} tickets ORGANIZATION`, await t.gql(Q.tickets, { scope: 'ORGANIZATION', search: null }, tok[who]));
        for (const id of Object.values(F.tickets).map((x) => x.id)) {
          fedrampRestricted(`${who} ticket`, await t.gql(Q.ticket, { id }, tok[who]));
          fedrampRestricted(`${who} node`, await t.gql(Q.node, { id }, tok[who]));
        }
        fedrampRestricted(`${who} node(escalation)`, await t.gql(Q.node, { id: F.escalationId }, tok[who]));
        const many = await t.gql(Q.nodes, { ids: [...Object.values(F.tickets).map((x) => x.id), F.escalationId] }, tok[who]);
        expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
        expect(JSON.stringify(many.data ?? null)).not.toMatch(/fed (email|closed|escalated|forwarded|callback|agent|problem)|CP-72001/);
      }
    });

    it('FED-1: reply, close, feedback and proxy access on their own tickets are refused without returning the ticket', async () => {
      const before = await snapshot();
      const calls: [string, string, Record<string, unknown>][] = [
        ['replyToTicket', Q.replyToTicket, { ticketId: F.tickets.email.id, bodyHtml: 'hi' }],
        ['closeTicket', Q.closeTicket, { ticketId: F.tickets.email.id }],
        ['leaveTicketFeedback', Q.leaveTicketFeedback, { ticketId: F.tickets.closed.id, rating: 5 }],
        ['setTicketProxyAccess', Q.setTicketProxyAccess, { ticketId: F.tickets.email.id, granted: true }],
      ];
      for (const [field, query, input] of calls) {
        const res = await t.gql(query, { input }, tok['f-user']);
        expect(res.errors?.[0]?.extensions, `${field}: ${JSON.stringify(res)}`).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
        expect(res.data?.[field] ?? null, field).toBeNull();
      }
      expect(await snapshot()).toEqual(before);
    });

    // found by this sweep: verifyEnterpriseAccount handed a FedRAMP submitter the full ticket; the
    // ticket fields are now guarded by src/auth/fedramp-ticket-guard.ts for every operation.
    it('FED-1: verifyEnterpriseAccount by a FedRAMP user does not return ticket detail (payload ticket is null)', async () => {
      const res = await t.gql(Q.verifyEnterpriseAccount, { input: { ticketId: F.tickets.forwarded.id, allowEnterpriseAccess: false } }, tok['f-user']);
      const ticket = res.data?.verifyEnterpriseAccount?.ticket ?? null;
      expect(ticket, `FedRAMP user got ticket detail from verifyEnterpriseAccount: ${JSON.stringify(ticket)}`).toBeNull();
    });

    // found by this sweep: chooseCallbackLanguage returned the full ticket; the callback status is
    // contact-support data (PHN) and stays.
    it('FED-1: chooseCallbackLanguage by a FedRAMP user does not return ticket detail (payload ticket is null)', async () => {
      const res = await t.gql(Q.chooseCallbackLanguage, { input: { ticketId: F.tickets.callback.id, language: 'KEEP' } }, tok['f-user']);
      const ticket = res.data?.chooseCallbackLanguage?.ticket ?? null;
      expect(ticket, `FedRAMP user got ticket detail from chooseCallbackLanguage: ${JSON.stringify(res)}`).toBeNull();
    });

    // found by this sweep: an idempotent retry returned the first ticket as it is now, agent replies
    // included; a FedRAMP user now gets only the receipt fields.
    it('FED-1: an idempotent create retry does not show a FedRAMP user later activity on the ticket', async () => {
      const input = { productArea: 'SURVEY_PLATFORM', subject: 'fed keyed', description: 'x', idempotencyKey: 'fed-key-1' };
      const receipt = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number subject createdAt } userErrors { code } } }`;
      const created = ok(await t.gql(receipt, { input }, tok['f-user'])).createEmailTicket;
      expect(created.userErrors).toEqual([]);
      expect(created.ticket.subject).toBe('fed keyed');
      const posted = ok(await t.internal(`mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code } } }`, { input: { ticketId: created.ticket.id, bodyHtml: 'fed agent reply after creation' } }, agentToken));
      expect(posted.postAgentReply.userErrors).toEqual([]);
      const replay = await t.gql(Q.createEmailTicket, { input }, tok['f-user']);
      expect(JSON.stringify(replay), 'FedRAMP user read a later agent reply through an idempotent create retry').not.toContain('fed agent reply after creation');
      // the history fields are refused with the FED-1 reason, whichever mutation handed the ticket back
      expect(replay.errors?.length).toBeGreaterThan(0);
      for (const error of replay.errors ?? []) expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'FEDRAMP_RESTRICTED' });
    });
  });
});
