import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscalationTimelineEntry, Message, Ticket } from '../src/entities';
import type { DomainEvent } from '../src/realtime/events';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const TICKET = `id status lastActivityAt closedAt assignee { name }
  messages { authorKind subject bodyHtml recipients }
  sharedResources { title url }
  escalation { reference status resolvedAt timeline { status reachedAt } }
  ... on ChatTicket { transcript { authorKind authorName text } }
  ... on ConferenceTicket { conferenceCall { callStatus meetingUrl passcode } }`;
const PAYLOAD = `ticket { ${TICKET} } userErrors { field code message }`;
const m = (name: string, input: string) => `mutation($input: ${input}!) { ${name}(input: $input) { ${PAYLOAD} } }`;

describe.each(DATABASE_TARGETS)('agent ticket work through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let agent: string;
  const events: DomainEvent[] = [];

  const work = async (name: string, inputType: string, input: Record<string, unknown>, token = agent) =>
    ok(await t.internal(m(name, inputType), { input }, token))[name];
  const tick = () => {
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    return t.clock.now.toISOString();
  };
  const since = (n: number) => events.slice(n).flatMap((e) => (e.type === 'TICKET_UPDATED' ? [{ ticketId: e.ticketId, change: e.change }] : []));

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    t.server.events.subscribe((e) => events.push(e));
    await f.brand('brand-a');
    await f.account('a-std1', 'brand-a');
    await f.agent('agent-x');
    await f.agent('agent-y');
    agent = await t.token('agent-x', ['hub:agent']);
  });
  afterAll(async () => t?.close());

  it('assignTicket: assigns (the caller by default), bumps last activity, emits ASSIGNMENT', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    const n = events.length;
    const at = tick();
    const res = await work('assignTicket', 'AssignTicketInput', { ticketId: ticket.id });
    expect(res.userErrors).toEqual([]);
    expect(res.ticket).toMatchObject({ assignee: { name: 'Agent agent-x' }, lastActivityAt: at });
    const other = await work('assignTicket', 'AssignTicketInput', { ticketId: ticket.id, agentId: 'agent-y' });
    expect(other.ticket.assignee).toEqual({ name: 'Agent agent-y' });
    expect(since(n)).toEqual([
      { ticketId: ticket.number, change: 'ASSIGNMENT' },
      { ticketId: ticket.number, change: 'ASSIGNMENT' },
    ]);
    const unknown = await work('assignTicket', 'AssignTicketInput', { ticketId: ticket.id, agentId: 'nobody' });
    expect(unknown.userErrors[0]).toMatchObject({ field: ['input', 'agentId'], code: 'NOT_FOUND' });
  });

  it('FUP-1, FUP-2: postAgentReply joins the thread and is sanitized', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1', subject: 'Thread', messages: [{ authorKind: 'CUSTOMER', bodyHtml: 'help', recipients: ['support@vendor.example'] }] });
    const n = events.length;
    const res = ok(
      await t.internal(
        `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { message { authorKind subject bodyHtml recipients } ${PAYLOAD} } }`,
        { input: { ticketId: ticket.id, bodyHtml: '<p onclick="x()">Try <a href="javascript:alert(1)">this</a></p><script>bad()</script>' } },
        agent,
      ),
    ).postAgentReply;
    expect(res.userErrors).toEqual([]);
    expect(res.message).toEqual({ authorKind: 'AGENT', subject: 'Thread', bodyHtml: '<p>Try <a rel="noopener noreferrer nofollow">this</a></p>', recipients: ['support@vendor.example'] });
    expect(since(n)).toEqual([{ ticketId: ticket.number, change: 'MESSAGE' }]);
  });

  it('TKT-5: appendChatTranscript appends to chat tickets only', async () => {
    const chat = await f.ticket({ kind: 'CHAT', submitterId: 'a-std1', transcript: [{ authorKind: 'CUSTOMER', authorName: 'A', text: 'hello' }] });
    const lines = [
      { authorKind: 'AGENT', authorName: 'Agent X', text: 'hi, how can I help?' },
      { authorKind: 'SYSTEM', authorName: 'System', text: 'Agent X joined' },
    ];
    const res = await work('appendChatTranscript', 'AppendChatTranscriptInput', { ticketId: chat.id, lines });
    expect(res.ticket.transcript.map((l: any) => l.text)).toEqual(['hello', 'hi, how can I help?', 'Agent X joined']);
    const email = await f.ticket({ submitterId: 'a-std1' });
    const refused = await work('appendChatTranscript', 'AppendChatTranscriptInput', { ticketId: email.id, lines });
    expect(refused.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('setTicketStatus: CLOSED sets closedAt, OPEN clears it; ESCALATED only through escalateTicket', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    const at = tick();
    const closed = await work('setTicketStatus', 'SetTicketStatusInput', { ticketId: ticket.id, status: 'CLOSED' });
    expect(closed.ticket).toMatchObject({ status: 'CLOSED', closedAt: at, lastActivityAt: at });
    const reopened = await work('setTicketStatus', 'SetTicketStatusInput', { ticketId: ticket.id, status: 'OPEN' });
    expect(reopened.ticket).toMatchObject({ status: 'OPEN', closedAt: null });
    const escalated = await work('setTicketStatus', 'SetTicketStatusInput', { ticketId: ticket.id, status: 'ESCALATED' });
    expect(escalated.userErrors[0]).toMatchObject({ field: ['input', 'status'], code: 'INVALID' });
  });

  it('ESC-1, ESC-3: escalateTicket starts SUBMITTED; advanceEscalation walks the order with timeline entries; RESOLVED sets resolvedAt', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1', productArea: 'CX_DASHBOARDS' });
    const n = events.length;
    const submittedAt = tick();
    const res = await work('escalateTicket', 'EscalateTicketInput', { ticketId: ticket.id, reference: 'CP-9001', problemDescription: 'Widget crashes' });
    expect(res.userErrors).toEqual([]);
    expect(res.ticket.status).toBe('ESCALATED');
    expect(res.ticket.escalation).toEqual({ reference: 'CP-9001', status: 'SUBMITTED', resolvedAt: null, timeline: [{ status: 'SUBMITTED', reachedAt: submittedAt }] });
    const twice = await work('escalateTicket', 'EscalateTicketInput', { ticketId: ticket.id, reference: 'CP-9002', problemDescription: 'again' });
    expect(twice.userErrors[0].code).toBe('INVALID_STATE');

    let last: any;
    const reached: string[] = [];
    for (const status of ['IN_REVIEW', 'ENGINEERING_IN_PROGRESS', 'VERIFYING_RESOLUTION', 'RESOLVED']) {
      reached.push(tick());
      last = await work('advanceEscalation', 'AdvanceEscalationInput', { ticketId: ticket.id, status });
      expect(last.userErrors).toEqual([]);
    }
    expect(last.ticket.escalation.status).toBe('RESOLVED');
    expect(last.ticket.escalation.resolvedAt).toBe(reached[3]);
    expect(last.ticket.escalation.timeline.map((e: any) => e.status)).toEqual(['SUBMITTED', 'IN_REVIEW', 'ENGINEERING_IN_PROGRESS', 'VERIFYING_RESOLUTION', 'RESOLVED']);
    expect(last.ticket.lastActivityAt).toBe(reached[3]);
    expect(since(n).filter((e) => e.change === 'ESCALATION')).toHaveLength(5);
  });

  it('ESC-3: advancing an escalation out of order is refused and changes nothing', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    await work('escalateTicket', 'EscalateTicketInput', { ticketId: ticket.id, reference: 'CP-9100', problemDescription: 'x' });
    const em = t.orm.em.fork();
    const entries = await em.count(EscalationTimelineEntry, {});
    const activity = (await em.findOneOrFail(Ticket, { id: ticket.number })).lastActivityAt.getTime();
    const n = events.length;
    tick();
    for (const status of ['ENGINEERING_IN_PROGRESS', 'SUBMITTED', 'RESOLVED']) {
      const res = await work('advanceEscalation', 'AdvanceEscalationInput', { ticketId: ticket.id, status });
      expect(res.userErrors[0]).toMatchObject({ field: ['input', 'status'], code: 'INVALID_STATE', message: expect.stringContaining('IN_REVIEW') });
    }
    const after = t.orm.em.fork();
    expect(await after.count(EscalationTimelineEntry, {})).toBe(entries);
    expect((await after.findOneOrFail(Ticket, { id: ticket.number })).lastActivityAt.getTime()).toBe(activity);
    expect(events.length).toBe(n);
    const none = await f.ticket({ submitterId: 'a-std1' });
    expect((await work('advanceEscalation', 'AdvanceEscalationInput', { ticketId: none.id, status: 'IN_REVIEW' })).userErrors[0].code).toBe('INVALID_STATE');
  });

  it('TKT-4: acceptConferenceCall accepts a pending call once', async () => {
    const ticket = await f.ticket({ kind: 'CONFERENCE', submitterId: 'a-std1', conference: { scheduledAt: '2026-11-20T16:00:00.000Z' } });
    const res = await work('acceptConferenceCall', 'AcceptConferenceCallInput', { ticketId: ticket.id, meetingUrl: 'https://meet.example.com/x', passcode: '1234' });
    expect(res.ticket.conferenceCall).toEqual({ callStatus: 'ACCEPTED', meetingUrl: 'https://meet.example.com/x', passcode: '1234' });
    const again = await work('acceptConferenceCall', 'AcceptConferenceCallInput', { ticketId: ticket.id });
    expect(again.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('TKT-1: shareResource links a resource and emits RESOURCE', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    const n = events.length;
    const res = await work('shareResource', 'ShareResourceInput', { ticketId: ticket.id, title: 'Guide', url: 'https://help.example.com/guide' });
    expect(res.ticket.sharedResources).toEqual([{ title: 'Guide', url: 'https://help.example.com/guide' }]);
    expect(since(n)).toEqual([{ ticketId: ticket.number, change: 'RESOURCE' }]);
  });

  it('ticket work is for agents: integrations are refused and nothing changes', async () => {
    const ticket = await f.ticket({ submitterId: 'a-std1' });
    const messages = await t.orm.em.fork().count(Message, {});
    const res = await t.internal(m('setTicketStatus', 'SetTicketStatusInput'), { input: { ticketId: ticket.id, status: 'CLOSED' } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_AGENT' });
    expect((await t.orm.em.fork().findOneOrFail(Ticket, { id: ticket.number })).status).toBe('OPEN');
    expect(await t.orm.em.fork().count(Message, {})).toBe(messages);
  });
});
