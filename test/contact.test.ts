import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onQuery } from '../src/db/orm';
import { CallbackRequest, Message, OutboxEntry, Ticket, TicketParticipant } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');
const SATURDAY = new Date('2026-11-07T18:00:00.000Z');

const PAYLOAD = `ticket { id number subject type supportLanguage ... on PhoneTicket { phoneCall { number country extension confirmationEmail recordingConsent } } ... on ConferenceTicket { conferenceCall { scheduledAt callStatus screenShare } } } unavailableReason userErrors { field code message }`;
const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ${PAYLOAD} } }`;
const PHONE = `mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ${PAYLOAD} } }`;
const CHAT = `mutation($input: StartChatInput!) { startChat(input: $input) { ${PAYLOAD} } }`;
const CONFERENCE = `mutation($input: ScheduleConferenceCallInput!) { scheduleConferenceCall(input: $input) { ${PAYLOAD} } }`;
const STATUS = `query($id: ID!) { ticket(id: $id) { ... on PhoneTicket { callbackStatus { state position estimatedWaitMinutes englishFallbackOffered englishEstimatedWaitMinutes englishFallbackAccepted language } } } }`;
const ITALIAN_PHONE = { country: 'IT', number: '02 1234 5678' };

describe.each(DATABASE_TARGETS)('contacting support through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let agentToken: string;
  const tok: Record<string, string> = {};

  /** Row counts of every table a create writes; a refusal must leave them all unchanged. */
  const counts = async () => {
    const em = t.orm.em.fork();
    return {
      tickets: await em.count(Ticket, {}),
      participants: await em.count(TicketParticipant, {}),
      outbox: await em.count(OutboxEntry, {}),
      callbacks: await em.count(CallbackRequest, {}),
      messages: await em.count(Message, {}),
    };
  };
  const entity = (number: number) => t.orm.em.fork().findOneOrFail(Ticket, { id: number });

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('plain');
    await f.brand('succ', { successPackage: true });
    await f.account('p-std', 'plain');
    await f.account('p-admin', 'plain', { role: 'BRAND_ADMIN' });
    await f.account('s-other', 'succ');
    const seat = { accountType: 'ENTERPRISE', enterpriseSeat: true };
    ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { code message } } }`, {
      input: { id: 's-seat', brandId: 'succ', username: 's-seat', email: 's-seat@example.com', firstName: 'Sam', lastName: 'Seat', ...seat },
    }));
    await f.agent('agent-c');
    agentToken = await t.token('agent-c', ['hub:agent']);
    for (const id of ['p-std', 'p-admin', 's-other', 's-seat']) tok[id] = await f.tokenFor(id);
  });
  beforeEach(() => {
    t.clock.now = MONDAY_0800_DENVER;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('CON-1: an unauthenticated create is refused with UNAUTHENTICATED and writes nothing', async () => {
    const before = await counts();
    const res = await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'x', description: 'y' } });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const opts = await t.gql(`{ supportOptions(productArea: SURVEY_PLATFORM, language: ENGLISH) { productArea } }`);
    expect(opts.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it('CON-4, CON-5: supportOptions lists the methods open now and why the others are not', async () => {
    t.clock.now = MONDAY_0800_DENVER;
    const q = `query($a: ProductArea!, $l: SupportLanguage!) { supportOptions(productArea: $a, language: $l) {
      enterpriseSeat routedToSeparateTeam topics advice { checkWith } phoneCountries { code callingCode }
      methods { method available unavailableReason estimatedWaitMinutes handledBy enterpriseSupport recommendedForUrgent } } }`;
    const open = ok(await t.gql(q, { a: 'SURVEY_PLATFORM', l: 'ENGLISH' }, tok['p-std'])).supportOptions;
    const by = (data: any, m: string) => data.methods.find((x: any) => x.method === m);
    // CHAT-1: the chat queue of this area and language is empty: nobody ahead, no wait
    expect(by(open, 'CHAT')).toMatchObject({ available: true, unavailableReason: null, estimatedWaitMinutes: 0 });
    expect(by(open, 'EMAIL')).toMatchObject({ available: true, handledBy: 'GENERAL_SUPPORT', enterpriseSupport: null });
    expect(by(open, 'CONFERENCE')).toMatchObject({ available: false, unavailableReason: 'NOT_SUCCESS_PACKAGE' });
    expect(open.phoneCountries).toContainEqual({ code: 'IT', callingCode: '39' });
    t.clock.now = SATURDAY;
    const closed = ok(await t.gql(q, { a: 'SURVEY_PLATFORM', l: 'ENGLISH' }, tok['p-std'])).supportOptions;
    expect(by(closed, 'CHAT')).toMatchObject({ available: false, unavailableReason: 'OUT_OF_HOURS', estimatedWaitMinutes: null });
    const discover = ok(await t.gql(q, { a: 'XM_DISCOVER_SOCIAL_CONNECT', l: 'ENGLISH' }, tok['p-std'])).supportOptions;
    expect(discover.routedToSeparateTeam).toMatch(/separate support team/);
    expect(discover.methods.every((m: any) => m.unavailableReason === 'SEPARATE_TEAM' && m.handledBy === 'XM_DISCOVER_SUPPORT')).toBe(true);
    t.clock.now = MONDAY_0800_DENVER;
  });

  it('CON-2: advice and topics depend on the role', async () => {
    const q = `{ supportOptions(productArea: SURVEY_PLATFORM, language: ENGLISH) { topics advice { checkWith examples } } }`;
    const std = ok(await t.gql(q, undefined, tok['p-std'])).supportOptions;
    const admin = ok(await t.gql(q, undefined, tok['p-admin'])).supportOptions;
    expect(std.advice.checkWith).toBe('BRAND_ADMIN');
    expect(std.topics).not.toContain('THEME_REQUEST');
    expect(admin.advice.checkWith).toBe('ACCOUNT_TEAM');
    expect(admin.topics).toContain('THEME_REQUEST');
  });

  it('ENT-1: seat holders see the Enterprise Support label and phone is recommended for urgent problems', async () => {
    const q = `{ supportOptions(productArea: SURVEY_PLATFORM, language: ENGLISH) { enterpriseSeat methods { method available enterpriseSupport handledBy recommendedForUrgent } } }`;
    const data = ok(await t.gql(q, undefined, tok['s-seat'])).supportOptions;
    expect(data.enterpriseSeat).toBe(true);
    const phone = data.methods.find((m: any) => m.method === 'PHONE');
    expect(phone).toMatchObject({ available: true, enterpriseSupport: 'Enterprise Support', handledBy: 'ENTERPRISE_SUPPORT', recommendedForUrgent: true });
    expect(data.methods.find((m: any) => m.method === 'CONFERENCE').available).toBe(true);
  });

  it('CON-6, CON-9: an e-mail ticket is created with its submitter, first e-mail and a queued confirmation', async () => {
    const before = await counts();
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'CX_DASHBOARDS', subject: 'Widget is empty', description: 'Since <today>' } }, tok['p-std'])).createEmailTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.ticket).toMatchObject({ subject: 'Widget is empty', type: 'EMAIL' });
    expect(await counts()).toEqual({ ...before, tickets: before.tickets + 1, participants: before.participants + 1, outbox: before.outbox + 1, messages: before.messages + 1 });
    const mail = await t.orm.em.fork().findOneOrFail(OutboxEntry, { ticketId: res.ticket.number });
    expect(mail).toMatchObject({ destination: 'p-std@example.com', topic: 'TICKET_CONFIRMATION' });
    expect(mail.payload.subject).toBe(`[Ticket #${res.ticket.number}] Widget is empty`);
    const ticket = await entity(res.ticket.number);
    expect(ticket.createdAt.toISOString()).toBe(t.clock.now.toISOString());
  });

  it('CON-8: e-mail in Spanish is refused (LANGUAGE_NOT_OFFERED) and writes nothing', async () => {
    const before = await counts();
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', language: 'SPANISH', subject: 'x', description: 'y' } }, tok['p-std'])).createEmailTicket;
    expect(res).toMatchObject({ ticket: null, unavailableReason: 'LANGUAGE_NOT_OFFERED' });
    expect(await counts()).toEqual(before);
  });

  it('idempotency: a retry with the same key returns the first ticket, not a second one', async () => {
    const input = { productArea: 'SURVEY_PLATFORM', subject: 'Retry me', description: 'once', idempotencyKey: 'key-123' };
    const first = ok(await t.gql(EMAIL, { input }, tok['p-std'])).createEmailTicket;
    const afterFirst = await counts();
    const second = ok(await t.gql(EMAIL, { input }, tok['p-std'])).createEmailTicket;
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(await counts()).toEqual(afterFirst);
    // the same key from another account is another request
    const other = ok(await t.gql(EMAIL, { input }, tok['p-admin'])).createEmailTicket;
    expect(other.ticket.id).not.toBe(first.ticket.id);
    // the same key for another kind of request is refused
    const clash = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'x', idempotencyKey: 'key-123' } }, tok['p-std'])).startChat;
    expect(clash.userErrors[0]).toMatchObject({ field: ['input', 'idempotencyKey'], code: 'TAKEN' });
  });

  it('CON-7, HIST-7, PHN-1: a phone request validates the number, defaults subject, e-mail and consent, and joins the queue', async () => {
    const before = await counts();
    const res = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', phone: { ...ITALIAN_PHONE, extension: '12' } } }, tok['p-std'])).requestPhoneCallback;
    expect(res.userErrors).toEqual([]);
    expect(res.ticket).toMatchObject({
      subject: 'Phone call – p-std',
      type: 'PHONE',
      phoneCall: { number: '+390212345678', country: 'IT', extension: '12', confirmationEmail: 'p-std@example.com', recordingConsent: true },
    });
    expect(await counts()).toEqual({ ...before, tickets: before.tickets + 1, participants: before.participants + 1, outbox: before.outbox + 1, callbacks: before.callbacks + 1 });
    const custom = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Export fails', confirmationEmail: 'ops@example.com', recordingConsent: false, phone: ITALIAN_PHONE } }, tok['p-std'])).requestPhoneCallback;
    expect(custom.ticket).toMatchObject({ subject: 'Export fails', phoneCall: { confirmationEmail: 'ops@example.com', recordingConsent: false } });
    expect((await entity(custom.ticket.number)).description).toBe('Export fails');
    expect(await t.orm.em.fork().count(OutboxEntry, { ticketId: custom.ticket.number, destination: 'ops@example.com' })).toBe(1);
  });

  it('CON-7: an invalid phone number is refused with a userError and writes nothing', async () => {
    const before = await counts();
    const res = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', phone: { country: 'IT', number: '123' } } }, tok['p-std'])).requestPhoneCallback;
    expect(res.ticket).toBeNull();
    expect(res.userErrors[0]).toMatchObject({ field: ['input', 'phone', 'number'], code: 'INVALID' });
    const badCountry = ok(await t.gql(PHONE, { input: { productArea: 'SURVEY_PLATFORM', phone: { country: 'ZZ', number: '0212345678' } } }, tok['p-std'])).requestPhoneCallback;
    expect(badCountry.userErrors[0]).toMatchObject({ field: ['input', 'phone', 'country'], code: 'INVALID' });
    expect(await counts()).toEqual(before);
  });

  it('CON-5: chat out of hours is refused with OUT_OF_HOURS and writes nothing; in hours it opens a chat ticket', async () => {
    t.clock.now = new Date('2026-11-06T23:30:00.000Z'); // Friday 16:30 Denver
    const before = await counts();
    const refused = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help' } }, tok['p-std'])).startChat;
    expect(refused).toMatchObject({ ticket: null, unavailableReason: 'OUT_OF_HOURS' });
    expect(refused.userErrors[0].code).toBe('INVALID_STATE');
    expect(await counts()).toEqual(before);
    t.clock.now = new Date('2026-11-06T23:29:00.000Z'); // Friday 16:29 Denver
    const opened = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help' } }, tok['p-std'])).startChat;
    expect(opened.ticket).toMatchObject({ type: 'CHAT', subject: 'Help' });
    t.clock.now = MONDAY_0800_DENVER;
  });

  it('ENT-3: a conference request from a non-success-package account is refused and writes nothing', async () => {
    const before = await counts();
    const input = { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-10T16:00:00.000Z' };
    const res = ok(await t.gql(CONFERENCE, { input }, tok['p-admin'])).scheduleConferenceCall;
    expect(res).toMatchObject({ ticket: null, unavailableReason: 'NOT_SUCCESS_PACKAGE' });
    const noSeat = ok(await t.gql(CONFERENCE, { input }, tok['s-other'])).scheduleConferenceCall;
    expect(noSeat.unavailableReason).toBe('NOT_SUCCESS_PACKAGE');
    const past = ok(await t.gql(CONFERENCE, { input: { ...input, scheduledAt: '2026-11-01T16:00:00.000Z' } }, tok['s-seat'])).scheduleConferenceCall;
    expect(past.userErrors[0]).toMatchObject({ field: ['input', 'scheduledAt'], code: 'INVALID' });
    const area = ok(await t.gql(CONFERENCE, { input: { ...input, productArea: 'ACCESSIBILITY' } }, tok['s-seat'])).scheduleConferenceCall;
    expect(area.unavailableReason).toBe('PRODUCT_NOT_COVERED');
    expect(await counts()).toEqual(before);
  });

  it('ENT-3, HIST-7: a seat holder schedules a future conference call with the default subject', async () => {
    const res = ok(await t.gql(CONFERENCE, { input: { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-10T16:00:00.000Z', screenShare: true } }, tok['s-seat'])).scheduleConferenceCall;
    expect(res.userErrors).toEqual([]);
    expect(res.ticket).toMatchObject({ type: 'CONFERENCE', subject: 'Conference call – s-seat', conferenceCall: { callStatus: 'PENDING', screenShare: true } });
    expect((await entity(res.ticket.number)).enterprise).toBe(true);
  });

  it('ENT-2, ENT-4: a seat holder reaches Enterprise Support in its window; outside it general support takes over with a recorded hand-over', async () => {
    const inWindow = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Urgent', description: 'x' } }, tok['s-seat'])).createEmailTicket;
    expect((await entity(inWindow.ticket.number)).enterprise).toBe(true);
    expect(await t.orm.em.fork().count(OutboxEntry, { ticketId: inWindow.ticket.number, topic: 'ENTERPRISE_HANDOVER' })).toBe(0);
    t.clock.now = SATURDAY;
    const weekend = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Weekend', description: 'x' } }, tok['s-seat'])).createEmailTicket;
    expect((await entity(weekend.ticket.number)).enterprise).toBe(false);
    expect(await t.orm.em.fork().count(OutboxEntry, { ticketId: weekend.ticket.number, topic: 'ENTERPRISE_HANDOVER' })).toBe(1);
    t.clock.now = MONDAY_0800_DENVER;
  });

  it('PHN-1, PHN-2, PHN-3: positions and waits per queue, the English offer, the choice, and takeNextCallback', async () => {
    const german = async (who: string) =>
      ok(await t.gql(PHONE, { input: { productArea: 'CX_DASHBOARDS', language: 'GERMAN', phone: ITALIAN_PHONE } }, tok[who])).requestPhoneCallback.ticket;
    const first = await german('p-std');
    t.clock.now = new Date(MONDAY_0800_DENVER.getTime() + 60_000);
    const second = await german('p-admin');
    t.clock.now = new Date(MONDAY_0800_DENVER.getTime() + 120_000);
    const third = await german('s-other');
    t.clock.now = MONDAY_0800_DENVER;
    const status = async (id: string, who: string) => ok(await t.gql(STATUS, { id }, tok[who])).ticket.callbackStatus;

    // no finished calls yet: the configured default handle time (12 min) per caller ahead; English queue is empty
    expect(await status(first.id, 'p-std')).toMatchObject({ state: 'WAITING', position: 1, estimatedWaitMinutes: 0, englishFallbackOffered: false });
    expect(await status(second.id, 'p-admin')).toMatchObject({ position: 2, estimatedWaitMinutes: 12, englishFallbackOffered: false });
    expect(await status(third.id, 's-other')).toMatchObject({ position: 3, estimatedWaitMinutes: 24, englishFallbackOffered: true, englishEstimatedWaitMinutes: 0 });

    // PHN-2: a position is one COUNT, not a row per waiter: the 3rd waiter costs what the 2nd does
    const statementsFor = async (id: string, who: string) => {
      const seen: string[] = [];
      const stop = onQuery((sql) => seen.push(sql));
      try {
        await status(id, who);
      } finally {
        stop();
      }
      return seen.filter((sql) => sql.includes('callback_request'));
    };
    const forSecond = await statementsFor(second.id, 'p-admin');
    const forThird = await statementsFor(third.id, 's-other');
    expect(forThird.length).toBe(forSecond.length);
    expect(forThird.filter((sql) => /count\(/i.test(sql)).length).toBe(2); // own queue ahead + English queue

    const choose = `mutation($input: ChooseCallbackLanguageInput!) { chooseCallbackLanguage(input: $input) { callbackStatus { language position englishFallbackAccepted } userErrors { code field } } }`;
    const notOffered = ok(await t.gql(choose, { input: { ticketId: second.id, language: 'ENGLISH' } }, tok['p-admin'])).chooseCallbackLanguage;
    expect(notOffered.userErrors[0].code).toBe('INVALID_STATE');
    const notMine = ok(await t.gql(choose, { input: { ticketId: third.id, language: 'ENGLISH' } }, tok['p-std'])).chooseCallbackLanguage;
    expect(notMine.userErrors[0].code).toBe('NOT_FOUND');
    const switched = ok(await t.gql(choose, { input: { ticketId: third.id, language: 'ENGLISH' } }, tok['s-other'])).chooseCallbackLanguage;
    expect(switched.callbackStatus).toMatchObject({ language: 'ENGLISH', position: 1, englishFallbackAccepted: true });

    const take = `mutation($input: TakeNextCallbackInput!) { takeNextCallback(input: $input) { ticket { number } userErrors { code } } }`;
    const customer = await t.internal(take, { input: { language: 'GERMAN', productArea: 'CX_DASHBOARDS' } }, tok['p-std']);
    expect(customer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const taken = ok(await t.internal(take, { input: { language: 'GERMAN', productArea: 'CX_DASHBOARDS' } }, agentToken)).takeNextCallback;
    expect(taken.ticket.number).toBe(first.number);
    const row = await t.orm.em.fork().findOneOrFail(CallbackRequest, { ticket: first.number });
    expect(row.state).toBe('IN_CALL');
    expect((await entity(first.number)).assignee?.id).toBe('agent-c');
    expect(await status(first.id, 'p-std')).toMatchObject({ state: 'IN_CALL', position: null });
    expect(await status(second.id, 'p-admin')).toMatchObject({ position: 1, estimatedWaitMinutes: 0 });
    const empty = ok(await t.internal(take, { input: { language: 'JAPANESE', productArea: 'CX_DASHBOARDS' } }, agentToken)).takeNextCallback;
    expect(empty).toEqual({ ticket: null, userErrors: [] });
  });

  it('ENT-5: a forwarded ticket waits for the submitter to verify and records the access choice', async () => {
    const forward = `mutation($input: ForwardToEnterpriseSupportInput!) { forwardToEnterpriseSupport(input: $input) { ticket { id number } userErrors { code field } } }`;
    const refused = ok(await t.internal(forward, { input: { accountId: 'p-std', productArea: 'SURVEY_PLATFORM', subject: 'Q' } }, agentToken)).forwardToEnterpriseSupport;
    expect(refused.userErrors[0].code).toBe('INVALID_STATE');
    const { ticket } = ok(await t.internal(forward, { input: { accountId: 's-seat', productArea: 'SURVEY_PLATFORM', subject: 'From your account team', description: 'Q' } }, agentToken)).forwardToEnterpriseSupport;
    const view = `query($id: ID!) { ticket(id: $id) { ... on EmailTicket { enterpriseVerification { enterprise awaitingVerification enterpriseAccessAllowed verifiedAt } } } }`;
    expect(ok(await t.gql(view, { id: ticket.id }, tok['s-seat'])).ticket.enterpriseVerification).toEqual({ enterprise: true, awaitingVerification: true, enterpriseAccessAllowed: null, verifiedAt: null });
    expect(await t.orm.em.fork().count(OutboxEntry, { ticketId: ticket.number, topic: 'ENTERPRISE_VERIFY' })).toBe(1);

    const verify = `mutation($input: VerifyEnterpriseAccountInput!) { verifyEnterpriseAccount(input: $input) { verification { awaitingVerification enterpriseAccessAllowed verifiedAt } userErrors { code } } }`;
    const other = await t.gql(verify, { input: { ticketId: ticket.id, allowEnterpriseAccess: true } }, tok['s-other']);
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await entity(ticket.number)).awaitingVerification).toBe(true);
    const stranger = ok(await t.gql(verify, { input: { ticketId: ticket.id, allowEnterpriseAccess: true } }, tok['p-std'])).verifyEnterpriseAccount;
    expect(stranger.userErrors[0].code).toBe('NOT_FOUND');
    const done = ok(await t.gql(verify, { input: { ticketId: ticket.id, allowEnterpriseAccess: false } }, tok['s-seat'])).verifyEnterpriseAccount;
    expect(done.verification).toEqual({ awaitingVerification: false, enterpriseAccessAllowed: false, verifiedAt: MONDAY_0800_DENVER.toISOString() });
    const again = ok(await t.gql(verify, { input: { ticketId: ticket.id, allowEnterpriseAccess: true } }, tok['s-seat'])).verifyEnterpriseAccount;
    expect(again.userErrors[0].code).toBe('INVALID_STATE');
    expect((await entity(ticket.number)).enterpriseAccessAllowed).toBe(false);
  });
});
