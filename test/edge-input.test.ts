import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message, Ticket } from '../src/entities';
import { isDatabaseUnavailable } from '../src/observability';
import { DATABASE_TARGETS, ok, startTestServer, type GraphQLResponse, type TestServer } from './utils/harness';
import { Fixtures } from './utils/fixtures';
import { captureLogs } from './utils/log-capture';
import { Live, WsClients } from './utils/ws';

/**
 * Issue 13, points 2–4: input that is the caller's fault is refused at the edge, before anything runs —
 * variables that do not fit their types (HTTP 400 BAD_USER_INPUT, logged as a client error), text the
 * databases cannot store (NUL, unpaired surrogates: userErrors INVALID in mutations, BAD_USER_INPUT
 * elsewhere, nothing stored, never DATABASE_UNAVAILABLE) — and anonymous callers never get "Did you
 * mean …" suggestions, over HTTP and WebSocket.
 */

const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id } userErrors { field code message } } }`;
const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { bodyHtml } userErrors { field code message } } }`;
const CONTACT = `mutation($input: UpdateBillingContactInput!) { updateBillingContact(input: $input) { contract { number } userErrors { field code message } } }`;
const SEARCH = `query($search: String) { tickets(first: 10, filter: { search: $search }) { totalCount } }`;

/** A NUL, a lone high surrogate, a lone low surrogate: none can be stored as UTF-8 text. */
const UNSTORABLE = [
  ['a NUL byte', 'before\u0000after'],
  ['a lone high surrogate', 'before\ud800after'],
  ['a lone low surrogate', 'before\udc00after'],
] as const;

const codesOf = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

describe.each(DATABASE_TARGETS)('input refused at the edge ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  const logs = captureLogs();
  const tok: Record<string, string> = {};
  let ticketId: string;
  let contractId: string;

  const counts = async () => {
    const em = t.orm.em.fork();
    return { tickets: await em.count(Ticket, {}), messages: await em.count(Message, {}) };
  };
  const primaryContact = async () =>
    ok(await t.gql(`{ viewer { billing { contracts { primaryContact { firstName } } } } }`, undefined, tok.admin)).viewer.billing.contracts[0].primaryContact.firstName;
  /** Log lines of requests that were logged as server errors (pino level 50+), or as unexpected. */
  const serverErrorLines = () => logs.lines.filter((line) => line.level >= 50 || line.msg === 'unexpected error');

  beforeAll(async () => {
    t = await startTestServer(target, {}, { logger: logs.logger });
    f = new Fixtures(t);
    ws = new WsClients(t.publicUrl);
    ok(await t.internal(`mutation { upsertBrand(input: { id: "brand-a", name: "Brand A", billingContactEditing: true }) { userErrors { message } } }`));
    await f.account('a-std', 'brand-a', { accountType: 'ENTERPRISE' });
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN', accountType: 'ENTERPRISE' });
    tok.std = await f.tokenFor('a-std');
    tok.admin = await f.tokenFor('a-admin');
    const contact = (firstName: string, email: string) => ({ firstName, lastName: 'Contact', email });
    ok(await t.internal(`mutation($input: UpsertContractInput!) { upsertContract(input: $input) { ok } }`, {
      input: { brandId: 'brand-a', number: 'C-1', startDate: '2026-07-01', endDate: '2027-06-30', primaryContact: contact('Owner', 'owner@example.com'), billingContact: contact('Billy', 'billy@example.com'), licenses: [] },
    }));
    contractId = ok(await t.gql(`{ viewer { billing { contracts { id } } } }`, undefined, tok.admin)).viewer.billing.contracts[0].id;
    ticketId = (
      await f.ticket({
        submitterId: 'a-std',
        subject: 'Survey link returns 404',
        createdAt: '2026-10-01T08:00:00.000Z',
        messages: [
          { authorKind: 'CUSTOMER', bodyHtml: '<p>The link is broken</p>', recipients: ['support@vendor.example'], createdAt: '2026-10-01T08:00:00.000Z' },
          { authorKind: 'AGENT', subject: 'Re: Survey link returns 404', bodyHtml: '<p>Please republish</p>', recipients: ['a-std@example.com'], createdAt: '2026-10-02T08:00:00.000Z' },
        ],
      })
    ).id;
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  describe('variables that do not fit their types: HTTP 400 BAD_USER_INPUT, a client error', () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['a non-integer in an ID list', 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [1.5] }],
      ['an unknown enum value', 'query($s: TicketScope) { tickets(scope: $s, first: 1) { totalCount } }', { s: 'EVERYTHING' }],
      ['an unknown input field', 'query($f: TicketFilter) { tickets(first: 1, filter: $f) { totalCount } }', { f: { nope: 1 } }],
      ['an object for a String', 'query($f: TicketFilter) { tickets(first: 1, filter: $f) { totalCount } }', { f: { search: { $ne: '' } } }],
      ['a missing required variable', 'query($id: ID!) { ticket(id: $id) { id } }', {}],
    ];

    it.each(cases)('%s', async (_kind, query, variables) => {
      const before = serverErrorLines().length;
      const res = await t.gql(query, variables, tok.std);
      expect(res.status).toBe(400);
      expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/^Variable "\$\w+"/);
      // a client error: no error-level log line, no "unexpected error"
      expect(serverErrorLines().length).toBe(before);
      const line = logs.lines.filter((l) => l.msg === 'request').at(-1);
      expect(line).toMatchObject({ status: 400, errorCodes: ['BAD_USER_INPUT'] });
    });

    it.each([
      ['a non-integer for an ID', 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId } }', { id: 1.5 }],
      ['an object for an ID', 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId } }', { id: { a: 1 } }],
      ['an unknown enum value', 'subscription($s: TicketScope) { ticketsUpdated(scope: $s) { eventId } }', { s: 'EVERYTHING' }],
      ['a missing required variable', 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId } }', {}],
      ['a NUL byte in an ID', 'subscription($id: ID!) { ticketUpdated(id: $id) { eventId } }', { id: `${ticketId}\u0000` }],
    ])('over the WebSocket too: %s is an error message with BAD_USER_INPUT', async (_kind, query, variables) => {
      const live = new Live(ws.open(tok.std), query, variables);
      await live.ended();
      expect(live.results).toEqual([]);
      const errors = live.errors[0] as { extensions?: Record<string, unknown> }[];
      expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(errors[0].extensions?.http).toBeUndefined();
    });
  });

  describe('text the databases cannot store is refused before anything runs; nothing is stored, never DATABASE_UNAVAILABLE', () => {
    it.each(UNSTORABLE)('ticket subject with %s: userErrors INVALID on input.subject', async (_what, bad) => {
      const before = await counts();
      const res = await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: bad, description: 'Details' } }, tok.std);
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data.createEmailTicket).toEqual({ ticket: null, userErrors: [{ field: ['input', 'subject'], code: 'INVALID', message: expect.stringMatching(/NUL/) }] });
      expect(await counts()).toEqual(before);
    });

    it.each(UNSTORABLE)('idempotency key with %s: userErrors INVALID on input.idempotencyKey', async (_what, bad) => {
      const before = await counts();
      const res = await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Fine subject', description: 'Details', idempotencyKey: bad } }, tok.std);
      expect(res.errors).toBeUndefined();
      expect(res.data.createEmailTicket.userErrors).toEqual([{ field: ['input', 'idempotencyKey'], code: 'INVALID', message: expect.any(String) }]);
      expect(await counts()).toEqual(before);
    });

    it.each(UNSTORABLE)('reply body with %s: userErrors INVALID on input.bodyHtml', async (_what, bad) => {
      const before = await counts();
      const res = await t.gql(REPLY, { input: { ticketId, bodyHtml: `<p>${bad}</p>` } }, tok.std);
      expect(res.errors).toBeUndefined();
      expect(res.data.replyToTicket).toEqual({ message: null, userErrors: [{ field: ['input', 'bodyHtml'], code: 'INVALID', message: expect.any(String) }] });
      expect(await counts()).toEqual(before);
    });

    it.each(UNSTORABLE)('billing contact name with %s: userErrors INVALID on input.firstName, the contact unchanged', async (_what, bad) => {
      const res = await t.gql(CONTACT, { input: { contractId, kind: 'PRIMARY', firstName: bad, lastName: 'Owner', email: 'owner@example.com' } }, tok.admin);
      expect(res.errors).toBeUndefined();
      expect(res.data.updateBillingContact).toEqual({ contract: null, userErrors: [{ field: ['input', 'firstName'], code: 'INVALID', message: expect.any(String) }] });
      expect(await primaryContact()).toBe('Owner');
    });

    it.each(UNSTORABLE)('search term with %s: HTTP 400 BAD_USER_INPUT naming the argument', async (_what, bad) => {
      const res = await t.gql(SEARCH, { search: bad }, tok.std);
      expect(res.status).toBe(400);
      expect(codesOf(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions).toMatchObject({ field: 'tickets.filter.search' });
    });

    it('written into the query text instead of a variable: refused the same way', async () => {
      const search = await t.gql(`{ tickets(first: 10, filter: { search: "a\\u0000b" }) { totalCount } }`, undefined, tok.std);
      expect(search.status).toBe(400);
      expect(codesOf(search)).toEqual(['BAD_USER_INPUT']);
      const before = await counts();
      const created = ok(await t.gql(`mutation { createEmailTicket(input: { productArea: SURVEY_PLATFORM, subject: "a\\u0000b", description: "x" }) { ticket { id } userErrors { field code } } }`, undefined, tok.std));
      expect(created.createEmailTicket).toEqual({ ticket: null, userErrors: [{ field: ['input', 'subject'], code: 'INVALID' }] });
      expect(await counts()).toEqual(before);
    });

    it('none of these was a server error or an outage (no 5xx, no error-level log line)', async () => {
      const requests = logs.lines.filter((l) => l.msg === 'request');
      expect(requests.length).toBeGreaterThan(10);
      for (const line of requests) {
        expect(line.status).toBeLessThan(500);
        expect(line.errorCodes ?? []).not.toContain('DATABASE_UNAVAILABLE');
        expect(line.errorCodes ?? []).not.toContain('INTERNAL_SERVER_ERROR');
      }
      expect(serverErrorLines()).toEqual([]);
    });

    it('control: the same inputs with storable text (emoji included) are stored', async () => {
      const before = await counts();
      const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Broken 🚧 link', description: 'Details', idempotencyKey: 'key-🚧-1' } }, tok.std));
      expect(res.createEmailTicket.userErrors).toEqual([]);
      expect((await counts()).tickets).toBe(before.tickets + 1);
    });
  });

  it('a refusal of the database for bad text is not an outage (only a lost connection is DATABASE_UNAVAILABLE)', () => {
    // what PostgreSQL answers for a NUL byte: 08P01 (protocol violation) for a bound parameter, 22021 elsewhere
    expect(isDatabaseUnavailable(Object.assign(new Error('insert into "ticket" … - invalid byte sequence for encoding "UTF8": 0x00'), { code: '08P01' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  describe('no "Did you mean …" for anonymous callers (signed-in callers keep them)', () => {
    const HTTP_TYPOS: [string, string, Record<string, unknown>?][] = [
      ['a field', '{ applicationStatu { name } }'],
      ['an enum value in the query text', '{ supportOptions(productArea: SURVEY_PLATFOM, language: ENGLISH) { __typename } }'],
      ['an argument', '{ supportOptions(productAre: SURVEY_PLATFORM, language: ENGLISH) { __typename } }'],
      ['a type', 'query($s: TicketScop) { tickets(scope: $s, first: 1) { totalCount } }'],
      ['an input field in the query text', '{ tickets(first: 1, filter: { serch: "x" }) { totalCount } }'],
      ['an input field in the variables', 'query($f: TicketFilter) { tickets(first: 1, filter: $f) { totalCount } }', { f: { serch: 'x' } }],
      ['an enum value in the variables', 'query($s: TicketScope) { tickets(scope: $s, first: 1) { totalCount } }', { s: 'MIN' }],
    ];

    it.each(HTTP_TYPOS)('HTTP, %s', async (_what, query, variables) => {
      const signedIn = await t.gql(query, variables, tok.std);
      expect(JSON.stringify(signedIn.errors)).toMatch(/Did you mean/);
      const anonymous = await t.gql(query, variables);
      expect(anonymous.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(anonymous)).not.toMatch(/Did you mean/);
    });

    const WS_TYPOS: [string, string, Record<string, unknown>?][] = [
      ['a field', 'subscription { ticketUpdate(id: "x") { eventId } }'],
      ['an enum value in the query text', 'subscription { ticketsUpdated(scope: MIN) { eventId } }'],
      ['an enum value in the variables', 'subscription($s: TicketScope) { ticketsUpdated(scope: $s) { eventId } }', { s: 'MIN' }],
      ['a field of the payload', 'subscription { applicationStatusChanged { nam } }'],
    ];

    it.each(WS_TYPOS)('WebSocket, %s', async (_what, query, variables) => {
      const signedIn = new Live(ws.open(tok.std), query, variables);
      await signedIn.ended();
      expect(JSON.stringify(signedIn.errors)).toMatch(/Did you mean/);
      const anonymous = new Live(ws.open(), query, variables);
      await anonymous.ended();
      expect(anonymous.errors.length).toBe(1);
      expect(JSON.stringify([anonymous.errors, anonymous.results])).not.toMatch(/Did you mean/);
    });
  });
});
