import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Escalation, Message, ProxyAccessChange, Ticket } from '../src/entities';
import { ENTERPRISE_PRODUCT_AREAS } from '../src/services/support-hours';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { Live, WsClients } from './utils/ws';

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');
const SATURDAY_1100_DENVER = new Date('2026-11-07T18:00:00.000Z');
/** ENT-2: Enterprise Support is back online Sunday 17:00 America/Denver (MST, UTC-7). */
const SUNDAY_1700_DENVER = '2026-11-09T00:00:00.000Z';

const OPTIONS = `query($a: ProductArea!) { supportOptions(productArea: $a, language: ENGLISH) { enterpriseSeat methods { method available handledBy enterpriseSupport recommendedForUrgent } } }`;
const HANDLING = `query($id: ID!) { ticket(id: $id) { type supportHandling { team since enterpriseHandoverAt enterpriseSupport } } }`;
const FORWARD = `mutation($input: ForwardToEnterpriseSupportInput!) { forwardToEnterpriseSupport(input: $input) { ticket { id number } userErrors { code } } }`;
const VERIFY = `mutation($input: VerifyEnterpriseAccountInput!) { verifyEnterpriseAccount(input: $input) { userErrors { code reason message } } }`;
const PROXY = `query($id: ID!) { ticket(id: $id) { proxyAccess { granted source history { granted } } } }`;
const CONFERENCE = `mutation($input: ScheduleConferenceCallInput!) { scheduleConferenceCall(input: $input) { ticket { id number } userErrors { field code reason message } } }`;
const RESCHEDULE = `mutation($input: RescheduleConferenceCallInput!) { rescheduleConferenceCall(input: $input) { ticket { status ... on ConferenceTicket { conferenceCall { scheduledAt callStatus cancelledAt } } } userErrors { field code reason message } } }`;
const CANCEL_CALL = `mutation($input: CancelConferenceCallInput!) { cancelConferenceCall(input: $input) { ticket { status ... on ConferenceTicket { conferenceCall { callStatus cancelledAt } } } userErrors { field code reason message } } }`;
const ACCEPT = `mutation($input: AcceptConferenceCallInput!) { acceptConferenceCall(input: $input) { userErrors { code reason message } } }`;
const WATCH = `subscription($id: ID!) { ticketUpdated(id: $id) { change ticket { status ... on ConferenceTicket { conferenceCall { scheduledAt callStatus cancelledAt } } } } }`;

describe.each(DATABASE_TARGETS)('Enterprise Support through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let ws: WsClients;
  const tok: Record<string, string> = {};

  /** Opens a subscription and waits until the server's event bus has its listener (the server's own counter, not a timer). */
  const subscribed = async (open: () => Live): Promise<Live> => {
    const listeners = t.server.events.size;
    const live = open();
    const deadline = Date.now() + 5_000;
    while (t.server.events.size <= listeners) {
      if (Date.now() > deadline || live.completed) throw new Error(`subscription not registered: ${JSON.stringify(live.results)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return live;
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    ws = new WsClients(t.publicUrl);
    await f.brand('succ', { successPackage: true });
    ok(await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { userErrors { code reason message } } }`, {
      input: { id: 'seat', brandId: 'succ', username: 'seat', email: 'seat@example.com', firstName: 'Sam', lastName: 'Seat', accountType: 'ENTERPRISE', enterpriseSeat: true },
    }));
    await f.account('plain', 'succ');
    for (const id of ['seat', 'plain']) tok[id] = await f.tokenFor(id);
    await f.agent('agent-e');
    tok.agent = await t.token('agent-e', ['hub:agent']);
  });
  beforeEach(() => {
    t.clock.now = MONDAY_0800_DENVER;
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
  });

  it('ENT-1, ENT-2: the Enterprise Support label shows where that team answers now: not on a Saturday, not for areas it does not serve', async () => {
    const by = (data: any, m: string) => data.methods.find((x: any) => x.method === m);
    const monday = ok(await t.gql(OPTIONS, { a: 'SURVEY_PLATFORM' }, tok.seat)).supportOptions;
    expect(by(monday, 'PHONE')).toMatchObject({ available: true, handledBy: 'ENTERPRISE_SUPPORT', enterpriseSupport: 'Enterprise Support', recommendedForUrgent: true });
    expect(by(monday, 'EMAIL')).toMatchObject({ handledBy: 'ENTERPRISE_SUPPORT', enterpriseSupport: 'Enterprise Support' });

    t.clock.now = SATURDAY_1100_DENVER;
    const saturday = ok(await t.gql(OPTIONS, { a: 'SURVEY_PLATFORM' }, tok.seat)).supportOptions;
    expect(saturday.enterpriseSeat).toBe(true);
    for (const method of ['EMAIL', 'PHONE']) expect(by(saturday, method)).toMatchObject({ available: true, handledBy: 'GENERAL_SUPPORT', enterpriseSupport: null, recommendedForUrgent: false });

    t.clock.now = MONDAY_0800_DENVER;
    expect(ENTERPRISE_PRODUCT_AREAS).not.toContain('ACCESSIBILITY');
    const unserved = ok(await t.gql(OPTIONS, { a: 'ACCESSIBILITY' }, tok.seat)).supportOptions;
    expect(unserved.methods.every((m: any) => m.enterpriseSupport === null && m.handledBy !== 'ENTERPRISE_SUPPORT')).toBe(true);
  });

  it('ENT-4: a request handed over to Enterprise Support shows it on the ticket (who handles it now, since when), on every kind', async () => {
    t.clock.now = SATURDAY_1100_DENVER;
    const email = ok(await t.gql(`mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id } userErrors { code } } }`, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Weekend', description: 'Broken' } }, tok.seat)).createEmailTicket.ticket;
    const phone = ok(await t.gql(`mutation($input: RequestPhoneCallbackInput!) { requestPhoneCallback(input: $input) { ticket { id } userErrors { code } } }`, { input: { productArea: 'SURVEY_PLATFORM', phone: { country: 'IT', number: '02 1234 5678' } } }, tok.seat)).requestPhoneCallback.ticket;
    for (const ticket of [email, phone]) {
      expect(ok(await t.gql(HANDLING, { id: ticket.id }, tok.seat)).ticket.supportHandling).toEqual({ team: 'GENERAL_SUPPORT', since: SATURDAY_1100_DENVER.toISOString(), enterpriseHandoverAt: SUNDAY_1700_DENVER, enterpriseSupport: null });
    }
    // Enterprise Support is back online: it handles them from the hand-over instant
    t.clock.now = new Date('2026-11-09T01:00:00.000Z');
    for (const ticket of [email, phone]) {
      expect(ok(await t.gql(HANDLING, { id: ticket.id }, tok.seat)).ticket.supportHandling).toEqual({ team: 'ENTERPRISE_SUPPORT', since: SUNDAY_1700_DENVER, enterpriseHandoverAt: SUNDAY_1700_DENVER, enterpriseSupport: 'Enterprise Support' });
    }
    // inside the window: Enterprise Support from the start; a user without a seat: general support
    const inside = ok(await t.gql(`mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id } } }`, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Monday', description: 'x' } }, tok.seat)).createEmailTicket.ticket;
    expect(ok(await t.gql(HANDLING, { id: inside.id }, tok.seat)).ticket.supportHandling).toMatchObject({ team: 'ENTERPRISE_SUPPORT', enterpriseHandoverAt: null });
    const general = ok(await t.gql(`mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id } } }`, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Plain', description: 'x' } }, tok.plain)).createEmailTicket.ticket;
    expect(ok(await t.gql(HANDLING, { id: general.id }, tok.plain)).ticket.supportHandling).toMatchObject({ team: 'GENERAL_SUPPORT', enterpriseHandoverAt: null, enterpriseSupport: null });
  });

  it('ENT-5: a forwarded ticket awaiting "Verify & Confirm" cannot be worked; refusals say why and change nothing; the answer is its proxy access, with its source', async () => {
    const { ticket } = ok(await t.internal(FORWARD, { input: { accountId: 'seat', productArea: 'SURVEY_PLATFORM', subject: 'From your account team', description: 'Q' } }, tok.agent)).forwardToEnterpriseSupport;
    const snapshot = async () => {
      const em = t.orm.em.fork();
      const row = await em.findOneOrFail(Ticket, { id: ticket.number });
      return { messages: await em.count(Message, { ticket: ticket.number }), escalations: await em.count(Escalation, { ticket: ticket.number }), status: row.status, assignee: row.assignee?.id ?? null };
    };
    const before = await snapshot();
    const work: [string, string, Record<string, unknown>][] = [
      ['postAgentReply', 'PostAgentReplyInput', { ticketId: ticket.id, bodyHtml: '<p>Hello</p>' }],
      ['escalateTicket', 'EscalateTicketInput', { ticketId: ticket.id, reference: 'CP-9901', problemDescription: 'x' }],
      ['assignTicket', 'AssignTicketInput', { ticketId: ticket.id }],
      ['setTicketStatus', 'SetTicketStatusInput', { ticketId: ticket.id, status: 'CLOSED' }],
    ];
    for (const [name, type, input] of work) {
      const res = ok(await t.internal(`mutation($input: ${type}!) { ${name}(input: $input) { userErrors { field code reason message } } }`, { input }, tok.agent))[name];
      expect(res.userErrors, name).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'AWAITING_VERIFICATION', message: expect.stringContaining('verify') }]);
    }
    expect(await snapshot()).toEqual(before);
    expect(await t.orm.em.fork().count(ProxyAccessChange, { ticket: ticket.number })).toBe(0);

    // the user verifies and says Enterprise Support may access the account
    expect(ok(await t.gql(VERIFY, { input: { ticketId: ticket.id, allowEnterpriseAccess: true } }, tok.seat)).verifyEnterpriseAccount.userErrors).toEqual([]);
    expect(ok(await t.gql(PROXY, { id: ticket.id }, tok.seat)).ticket.proxyAccess).toEqual({ granted: true, source: 'ENTERPRISE_VERIFICATION', history: [{ granted: true }] });
    // now it can be worked
    const reply = ok(await t.internal(`mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { userErrors { code } } }`, { input: work[0][2] }, tok.agent)).postAgentReply;
    expect(reply.userErrors).toEqual([]);
    // a later per-ticket setting overrides the answer (PRX-3)
    ok(await t.gql(`mutation($input: SetTicketProxyAccessInput!) { setTicketProxyAccess(input: $input) { userErrors { code } } }`, { input: { ticketId: ticket.id, granted: false } }, tok.seat));
    expect(ok(await t.gql(PROXY, { id: ticket.id }, tok.seat)).ticket.proxyAccess).toMatchObject({ granted: false, source: 'TICKET_OVERRIDE' });
  });

  it('ENT-3: the slot must fall inside the specialists’ hours; nothing is written otherwise', async () => {
    const before = await t.orm.em.fork().count(Ticket, {});
    // Tuesday 16:30 Denver: the hour-long call would end after 17:00
    const late = ok(await t.gql(CONFERENCE, { input: { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-03T23:30:00.000Z' } }, tok.seat)).scheduleConferenceCall;
    expect(late).toMatchObject({ ticket: null, userErrors: [{ field: ['input', 'scheduledAt'], code: 'INVALID', reason: 'OUTSIDE_SPECIALIST_HOURS' }] });
    const saturday = ok(await t.gql(CONFERENCE, { input: { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-07T17:00:00.000Z' } }, tok.seat)).scheduleConferenceCall;
    expect(saturday.userErrors[0].reason).toBe('OUTSIDE_SPECIALIST_HOURS');
    expect(await t.orm.em.fork().count(Ticket, {})).toBe(before);
  });

  it('ENT-3, RT-1: the user reschedules or cancels before acceptance; acceptance, reschedule and cancellation are live events', async () => {
    const call = ok(await t.gql(CONFERENCE, { input: { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-10T16:00:00.000Z' } }, tok.seat)).scheduleConferenceCall.ticket;
    const live = await subscribed(() => new Live(ws.open(tok.seat), WATCH, { id: call.id }));
    const moved = ok(await t.gql(RESCHEDULE, { input: { ticketId: call.id, scheduledAt: '2026-11-11T17:00:00.000Z' } }, tok.seat)).rescheduleConferenceCall;
    expect(moved).toMatchObject({ ticket: { conferenceCall: { scheduledAt: '2026-11-11T17:00:00.000Z', callStatus: 'PENDING' } }, userErrors: [] });
    expect(((await live.waitFor(1))[0].data as any).ticketUpdated).toMatchObject({ change: 'CONFERENCE', ticket: { conferenceCall: { scheduledAt: '2026-11-11T17:00:00.000Z' } } });
    const outside = ok(await t.gql(RESCHEDULE, { input: { ticketId: call.id, scheduledAt: '2026-11-11T03:00:00.000Z' } }, tok.seat)).rescheduleConferenceCall;
    expect(outside.userErrors[0]).toMatchObject({ field: ['input', 'scheduledAt'], code: 'INVALID' });
    const seen = live.results.length;
    expect(ok(await t.internal(ACCEPT, { input: { ticketId: call.id, meetingUrl: 'https://meet.example.com/x' } }, tok.agent)).acceptConferenceCall.userErrors).toEqual([]);
    const accepted = (await live.waitFor(seen + 1)).at(-1)!.data as any;
    expect(accepted.ticketUpdated).toMatchObject({ change: 'CONFERENCE', ticket: { conferenceCall: { callStatus: 'ACCEPTED', scheduledAt: '2026-11-11T17:00:00.000Z' } } });
    // after acceptance: refused with a reason, nothing changes
    const tooLate = ok(await t.gql(RESCHEDULE, { input: { ticketId: call.id, scheduledAt: '2026-11-12T17:00:00.000Z' } }, tok.seat)).rescheduleConferenceCall;
    expect(tooLate).toMatchObject({ ticket: null, userErrors: [{ code: 'INVALID_STATE', reason: 'CALL_ALREADY_ACCEPTED' }] });
    expect(ok(await t.gql(CANCEL_CALL, { input: { ticketId: call.id } }, tok.seat)).cancelConferenceCall.userErrors[0].reason).toBe('CALL_ALREADY_ACCEPTED');
    expect((await t.orm.em.fork().findOneOrFail(Ticket, { id: call.number })).conference).toMatchObject({ callStatus: 'ACCEPTED', cancelledAt: null });
    live.dispose();

    // a second call, cancelled before acceptance: a live event, the ticket closed, the agent can no longer accept it
    const other = ok(await t.gql(CONFERENCE, { input: { productArea: 'SURVEY_PLATFORM', scheduledAt: '2026-11-10T16:00:00.000Z' } }, tok.seat)).scheduleConferenceCall.ticket;
    const watch = await subscribed(() => new Live(ws.open(tok.seat), WATCH, { id: other.id }));
    const stranger = await t.gql(CANCEL_CALL, { input: { ticketId: other.id } }, tok.plain);
    expect(stranger.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_OWNER' });
    const cancelled = ok(await t.gql(CANCEL_CALL, { input: { ticketId: other.id } }, tok.seat)).cancelConferenceCall;
    expect(cancelled).toMatchObject({ ticket: { status: 'CLOSED', conferenceCall: { callStatus: 'PENDING', cancelledAt: t.clock.now.toISOString() } }, userErrors: [] });
    expect(((await watch.waitFor(1))[0].data as any).ticketUpdated).toMatchObject({ change: 'CONFERENCE', ticket: { status: 'CLOSED', conferenceCall: { cancelledAt: t.clock.now.toISOString() } } });
    expect(ok(await t.internal(ACCEPT, { input: { ticketId: other.id } }, tok.agent)).acceptConferenceCall.userErrors[0].code).toBe('INVALID_STATE');
    watch.dispose();
  });
});
