import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatTranscriptEntry, Escalation, Message, OutboxEntry, SharedResource, Ticket, TicketParticipant } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const MONDAY_0800_DENVER = new Date('2026-11-02T15:00:00.000Z');
const SATURDAY = new Date('2026-11-07T18:00:00.000Z');

const USER_ERRORS = 'userErrors { field code reason message }';
const CREATE = `ticket { id } unavailableReason ${USER_ERRORS}`;
const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ${CREATE} } }`;
const CHAT = `mutation($input: StartChatInput!) { startChat(input: $input) { ${CREATE} } }`;
const CLOSE = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { ticket { id } ${USER_ERRORS} } }`;
const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { ticket { id } ${USER_ERRORS} } }`;
const work = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { ticket { id } ${USER_ERRORS} } }`;
const FORWARD = `mutation($input: ForwardToEnterpriseSupportInput!) { forwardToEnterpriseSupport(input: $input) { ticket { id } ${USER_ERRORS} } }`;

/**
 * Issue 13 point 7: every fixable input problem of a mutation answers the same way, in `userErrors`
 * with its field path (class-validator's too), state refusals carry a machine-readable `reason`,
 * and a refusal changes nothing.
 */
describe.each(DATABASE_TARGETS)('one shape for fixable input ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let customer: string;
  let agent: string;

  /** Row counts of every table these mutations write; a refusal leaves them all unchanged. */
  const counts = async () => {
    const em = t.orm.em.fork();
    return {
      tickets: await em.count(Ticket, {}),
      participants: await em.count(TicketParticipant, {}),
      messages: await em.count(Message, {}),
      outbox: await em.count(OutboxEntry, {}),
      resources: await em.count(SharedResource, {}),
      transcript: await em.count(ChatTranscriptEntry, {}),
      escalations: await em.count(Escalation, {}),
    };
  };

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    await f.brand('ue-brand');
    await f.brand('ue-succ', { successPackage: true });
    await f.account('ue-std', 'ue-brand');
    await f.account('ue-seat', 'ue-succ');
    await f.agent('ue-agent');
    customer = await f.tokenFor('ue-std');
    agent = await t.token('ue-agent', ['hub:agent']);
  });
  beforeEach(() => {
    t.clock.now = MONDAY_0800_DENVER;
  });
  afterAll(async () => t?.close());

  it('an empty subject in createEmailTicket (class-validator) is a REQUIRED userError at input.subject, not a top-level error', async () => {
    const before = await counts();
    const res = await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: '', description: 'It breaks.' } }, customer);
    expect(res.errors).toBeUndefined();
    expect(res.data.createEmailTicket).toEqual({
      ticket: null,
      unavailableReason: null,
      userErrors: [{ field: ['input', 'subject'], code: 'REQUIRED', reason: null, message: expect.stringContaining('subject') }],
    });
    expect(await counts()).toEqual(before);
  });

  it('several class-validator failures come back together, one userError per field path', async () => {
    const before = await counts();
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'x'.repeat(301), description: 'd', descriptionLanguage: 'not a tag!' } }, customer)).createEmailTicket;
    expect(res.ticket).toBeNull();
    expect(res.userErrors).toHaveLength(2);
    expect(res.userErrors).toEqual(
      expect.arrayContaining([
        { field: ['input', 'subject'], code: 'INVALID', reason: null, message: expect.any(String) },
        { field: ['input', 'descriptionLanguage'], code: 'INVALID', reason: null, message: expect.any(String) },
      ]),
    );
    expect(JSON.stringify(res)).not.toContain('not a tag!');
    expect(await counts()).toEqual(before);
  });

  it('TKT-1: a javascript: URL in shareResource (class-validator) is an INVALID userError at input.url; nothing is shared', async () => {
    const ticket = await f.ticket({ submitterId: 'ue-std' });
    const before = await counts();
    const res = await t.internal(work('shareResource', 'ShareResourceInput'), { input: { ticketId: ticket.id, title: 'Guide', url: 'javascript:alert(1)' } }, agent);
    expect(res.errors).toBeUndefined();
    expect(res.data.shareResource).toEqual({ ticket: null, userErrors: [{ field: ['input', 'url'], code: 'INVALID', reason: null, message: expect.stringContaining('url') }] });
    expect(await counts()).toEqual(before);
  });

  it('FUP-4: a state refusal carries its reason as an enum, not inside the message text', async () => {
    const ticket = await f.ticket({ submitterId: 'ue-std' });
    ok(await t.gql(CLOSE, { input: { ticketId: ticket.id } }, customer));
    const before = await counts();
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: '<p>One more thing</p>' } }, customer)).replyToTicket;
    expect(res.ticket).toBeNull();
    expect(res.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'TICKET_CLOSED', message: expect.any(String) }]);
    expect(res.userErrors[0].message).not.toMatch(/\(TICKET_CLOSED\)/);
    expect(await counts()).toEqual(before);
  });

  it('CON-4, CON-5: a contact method closed now is INVALID_STATE with the CON-4 reason, also as unavailableReason', async () => {
    t.clock.now = SATURDAY;
    const before = await counts();
    const res = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help' } }, customer)).startChat;
    expect(res).toEqual({
      ticket: null,
      unavailableReason: 'OUT_OF_HOURS',
      userErrors: [{ field: ['input', 'productArea'], code: 'INVALID_STATE', reason: 'OUT_OF_HOURS', message: expect.any(String) }],
    });
    expect(await counts()).toEqual(before);
  });

  it('agent ticket work: each state refusal names its reason (TKT-5, ESC-1, ESC-3) and changes nothing', async () => {
    const email = await f.ticket({ submitterId: 'ue-std' });
    const before = await counts();
    const transcript = ok(await t.internal(work('appendChatTranscript', 'AppendChatTranscriptInput'), { input: { ticketId: email.id, lines: [{ authorKind: 'AGENT', authorName: 'A', text: 'hi' }] } }, agent)).appendChatTranscript;
    expect(transcript.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'NOT_A_CHAT_TICKET', message: expect.any(String) }]);
    const advance = ok(await t.internal(work('advanceEscalation', 'AdvanceEscalationInput'), { input: { ticketId: email.id, status: 'IN_REVIEW' } }, agent)).advanceEscalation;
    expect(advance.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'NOT_ESCALATED', message: expect.any(String) }]);
    expect(await counts()).toEqual(before);

    const escalate = (reference: string) => t.internal(work('escalateTicket', 'EscalateTicketInput'), { input: { ticketId: email.id, reference, problemDescription: 'Broken export' } }, agent);
    expect(ok(await escalate('CP-90001')).escalateTicket.userErrors).toEqual([]);
    const escalated = await counts();
    const again = ok(await escalate('CP-90002')).escalateTicket;
    expect(again.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'ALREADY_ESCALATED', message: expect.any(String) }]);
    const skip = ok(await t.internal(work('advanceEscalation', 'AdvanceEscalationInput'), { input: { ticketId: email.id, status: 'RESOLVED' } }, agent)).advanceEscalation;
    expect(skip.userErrors).toEqual([{ field: ['input', 'status'], code: 'INVALID_STATE', reason: 'ESCALATION_OUT_OF_ORDER', message: expect.any(String) }]);
    expect(await counts()).toEqual(escalated);
  });

  it('a blank (whitespace-only) description is not a description: REQUIRED for an e-mail ticket, INVALID where it is optional', async () => {
    const before = await counts();
    const email = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Export fails', description: ' \n\t  ' } }, customer)).createEmailTicket;
    expect(email).toEqual({ ticket: null, unavailableReason: null, userErrors: [{ field: ['input', 'description'], code: 'REQUIRED', reason: null, message: expect.any(String) }] });
    const chat = ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help', description: '   ' } }, customer)).startChat;
    expect(chat.userErrors).toEqual([{ field: ['input', 'description'], code: 'INVALID', reason: null, message: expect.any(String) }]);
    const forward = ok(await t.internal(FORWARD, { input: { accountId: 'ue-seat', productArea: 'SURVEY_PLATFORM', subject: 'From the account team', description: '  ' } }, agent)).forwardToEnterpriseSupport;
    expect(forward.userErrors).toEqual([{ field: ['input', 'description'], code: 'INVALID', reason: null, message: expect.any(String) }]);
    expect(await counts()).toEqual(before);
    // an empty optional description is "none", and a real one is stored as written
    expect(ok(await t.gql(CHAT, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Help', description: '' } }, customer)).startChat.userErrors).toEqual([]);
    expect(ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Export fails', description: '  It fails.  ' } }, customer)).createEmailTicket.userErrors).toEqual([]);
  });

  it('a malformed ticket id in a mutation is a NOT_FOUND userError at input.ticketId, like an unknown one', async () => {
    const before = await counts();
    const close = await t.gql(CLOSE, { input: { ticketId: 'not-an-id' } }, customer);
    expect(close.errors).toBeUndefined();
    expect(close.data.closeTicket.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'NOT_FOUND', reason: null, message: expect.any(String) }]);
    const assign = ok(await t.internal(work('assignTicket', 'AssignTicketInput'), { input: { ticketId: 'not-an-id' } }, agent)).assignTicket;
    expect(assign.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'NOT_FOUND', reason: null, message: expect.any(String) }]);
    expect(await counts()).toEqual(before);
  });
});
