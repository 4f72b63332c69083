import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message, ProxyAccessChange, Ticket, TicketFeedback } from '../src/entities';
import type { DomainEvent } from '../src/realtime/events';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';

const NOTICE = 'This ticket has been closed. If you have further questions or concerns, please create a new support ticket and reference this ticket ID.';

const CAPS = `id status closedAt lastActivityAt closedNotice viewerCanReply viewerCanReplyReason viewerCanClose viewerCanLeaveFeedback
  viewerCanSetProxyAccess feedbackReceived feedback { rating comment createdAt }
  proxyAccess { granted source history { granted changedAt } }
  messages { authorKind subject bodyHtml recipients }`;

const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) {
  ticket { id lastActivityAt messages { subject bodyHtml recipients authorKind } }
  message { subject bodyHtml recipients authorKind }
  userErrors { field code reason message } } }`;
const CLOSE = `mutation($input: CloseTicketInput!) { closeTicket(input: $input) { ticket { ${CAPS} } userErrors { field code reason message } } }`;
const FEEDBACK = `mutation($input: LeaveTicketFeedbackInput!) { leaveTicketFeedback(input: $input) {
  ticket { feedbackReceived viewerCanLeaveFeedback } feedback { rating comment } userErrors { field code reason message } } }`;
const PROXY = `mutation($input: SetTicketProxyAccessInput!) { setTicketProxyAccess(input: $input) {
  ticket { proxyAccess { granted source history { granted changedAt } } } userErrors { field code reason message } } }`;

describe.each(DATABASE_TARGETS)('follow-up, closing, feedback, proxy access through the real server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  const tok: Record<string, string> = {};
  const events: DomainEvent[] = [];

  const count = (entity: typeof Message | typeof TicketFeedback | typeof ProxyAccessChange) => t.orm.em.fork().count(entity as never, {});
  const row = (number: number) => t.orm.em.fork().findOneOrFail(Ticket, { id: number });
  const read = async (id: string, token: string) => ok(await t.gql(`query($id: ID!) { ticket(id: $id) { ${CAPS} } }`, { id }, token)).ticket;
  const emailTicket = (extra: Record<string, unknown> = {}) =>
    f.ticket({
      submitterId: 'a-std1',
      participantIds: ['a-std2'],
      subject: 'Survey link returns 404',
      createdAt: '2026-10-01T08:00:00.000Z',
      messages: [
        { authorKind: 'CUSTOMER', bodyHtml: '<p>The link is broken</p>', recipients: ['support@vendor.example'], createdAt: '2026-10-01T08:00:00.000Z' },
        { authorKind: 'AGENT', subject: 'Re: Survey link returns 404', bodyHtml: '<p>Please republish</p>', recipients: ['a-std1@example.com', 'cc@example.com'], createdAt: '2026-10-02T08:00:00.000Z' },
      ],
      ...extra,
    });

  beforeAll(async () => {
    t = await startTestServer(target);
    f = new Fixtures(t);
    t.server.events.subscribe((e) => events.push(e));
    await f.brand('brand-a');
    await f.brand('brand-b');
    await f.account('a-std1', 'brand-a');
    await f.account('a-std2', 'brand-a');
    await f.account('a-std3', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    await f.account('b-admin', 'brand-b', { role: 'BRAND_ADMIN' });
    await f.agent('agent-x');
    for (const id of ['a-std1', 'a-std2', 'a-std3', 'a-admin', 'b-admin']) tok[id] = await f.tokenFor(id);
  });
  afterAll(async () => t?.close());

  it('FUP-1: the submitter replies; the reply joins the thread with its subject and recipients, and bumps last activity', async () => {
    const ticket = await emailTicket();
    const before = events.length;
    t.clock.now = new Date('2026-11-02T16:00:00.000Z');
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: '<p>Still <b>broken</b></p>' } }, tok['a-std1'])).replyToTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.message).toEqual({
      subject: 'Survey link returns 404',
      bodyHtml: '<p>Still <b>broken</b></p>',
      recipients: ['support@vendor.example', 'a-std1@example.com', 'cc@example.com'],
      authorKind: 'CUSTOMER',
    });
    expect(res.ticket.messages).toHaveLength(3);
    expect(res.ticket.lastActivityAt).toBe('2026-11-02T16:00:00.000Z');
    expect(events.slice(before)).toEqual([expect.objectContaining({ type: 'TICKET_UPDATED', ticketId: ticket.number, change: 'MESSAGE' })]);
  });

  it('FUP-1: a brand admin of the brand replies to a ticket they did not submit', async () => {
    const ticket = await emailTicket();
    expect((await read(ticket.id, tok['a-admin'])).viewerCanReply).toBe(true);
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'Admin here' } }, tok['a-admin'])).replyToTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.message.bodyHtml).toBe('Admin here');
  });

  it('FUP-2: the stored reply is sanitized: no <script>, no onclick, no javascript: links', async () => {
    const ticket = await emailTicket();
    const res = ok(
      await t.gql(
        REPLY,
        { input: { ticketId: ticket.id, bodyHtml: '<p onclick="steal()">Hi</p><script>alert(1)</script><a href="javascript:alert(2)">x</a> <a href="https://ok.example/">ok</a>' } },
        tok['a-std1'],
      ),
    ).replyToTicket;
    expect(res.userErrors).toEqual([]);
    const stored = await t.orm.em.fork().find(Message, { ticket: ticket.number }, { orderBy: { id: 'desc' }, limit: 1 });
    for (const body of [res.message.bodyHtml, stored[0].bodyHtml]) {
      expect(body).not.toMatch(/script|onclick|javascript:/i);
      expect(body).toContain('<a href="https://ok.example/"');
    }
  });

  it('FUP-4: a reply to a closed ticket is refused with the reason and changes nothing', async () => {
    const ticket = await emailTicket({ status: 'CLOSED' });
    const caps = await read(ticket.id, tok['a-std1']);
    expect(caps.viewerCanReply).toBe(false);
    expect(caps.viewerCanReplyReason).toBe('TICKET_CLOSED');
    const messages = await count(Message);
    const activity = (await row(ticket.number)).lastActivityAt.getTime();
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'hello?' } }, tok['a-std1'])).replyToTicket;
    expect(res.ticket).toBeNull();
    expect(res.userErrors).toEqual([{ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'TICKET_CLOSED', message: expect.any(String) }]);
    expect(await count(Message)).toBe(messages);
    expect((await row(ticket.number)).lastActivityAt.getTime()).toBe(activity);
  });

  it('FUP-4: a standard user associated with, but not submitter of, the ticket is refused with FORBIDDEN/NOT_TICKET_OWNER', async () => {
    const ticket = await emailTicket();
    const caps = await read(ticket.id, tok['a-std2']);
    expect(caps.viewerCanReply).toBe(false);
    expect(caps.viewerCanReplyReason).toBe('NOT_TICKET_OWNER');
    const messages = await count(Message);
    const res = await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'me too' } }, tok['a-std2']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_OWNER' });
    expect(await count(Message)).toBe(messages);
  });

  it('FUP-4: a standard user with no relation to the ticket cannot even find it', async () => {
    const ticket = await emailTicket();
    const messages = await count(Message);
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'hi' } }, tok['a-std3'])).replyToTicket;
    expect(res.userErrors[0].code).toBe('NOT_FOUND');
    const other = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'hi' } }, tok['b-admin'])).replyToTicket;
    expect(other.userErrors[0].code).toBe('NOT_FOUND');
    expect(await count(Message)).toBe(messages);
  });

  it('FUP-1: a chat ticket without e-mails has no thread to reply to', async () => {
    const ticket = await f.ticket({ kind: 'CHAT', submitterId: 'a-std1', subject: 'Chat', transcript: [{ authorKind: 'CUSTOMER', authorName: 'A', text: 'hi' }] });
    const caps = await read(ticket.id, tok['a-std1']);
    expect([caps.viewerCanReply, caps.viewerCanReplyReason]).toEqual([false, 'NO_EMAIL_THREAD']);
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: 'hi' } }, tok['a-std1'])).replyToTicket;
    expect(res.userErrors[0]).toMatchObject({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'NO_EMAIL_THREAD' });
  });

  it('FUP-1: an empty reply is refused', async () => {
    const ticket = await emailTicket();
    const res = ok(await t.gql(REPLY, { input: { ticketId: ticket.id, bodyHtml: '<script>x</script>' } }, tok['a-std1'])).replyToTicket;
    expect(res.userErrors[0]).toMatchObject({ field: ['input', 'bodyHtml'], code: 'REQUIRED' });
  });

  it('CLS-1: closing by a non-owner is refused and the ticket stays open', async () => {
    const ticket = await emailTicket();
    for (const who of ['a-std2', 'a-admin']) {
      expect((await read(ticket.id, tok[who])).viewerCanClose).toBe(false);
      const res = await t.gql(CLOSE, { input: { ticketId: ticket.id } }, tok[who]);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_OWNER' });
    }
    const stored = await row(ticket.number);
    expect(stored.status).toBe('OPEN');
    expect(stored.closedAt).toBeNull();
  });

  it('CLS-1, CLS-2: the owner closes an open ticket; it carries the closed notice and can no longer be replied to', async () => {
    const ticket = await emailTicket();
    expect((await read(ticket.id, tok['a-std1'])).closedNotice).toBeNull();
    t.clock.now = new Date('2026-11-03T10:00:00.000Z');
    const before = events.length;
    const res = ok(await t.gql(CLOSE, { input: { ticketId: ticket.id } }, tok['a-std1'])).closeTicket;
    expect(res.userErrors).toEqual([]);
    expect(res.ticket).toMatchObject({
      status: 'CLOSED',
      closedAt: '2026-11-03T10:00:00.000Z',
      lastActivityAt: '2026-11-03T10:00:00.000Z',
      closedNotice: NOTICE,
      viewerCanClose: false,
      viewerCanReply: false,
      viewerCanReplyReason: 'TICKET_CLOSED',
      viewerCanLeaveFeedback: true,
      feedbackReceived: false,
    });
    expect(events.slice(before)).toEqual([expect.objectContaining({ ticketId: ticket.number, change: 'STATUS' })]);
    const again = ok(await t.gql(CLOSE, { input: { ticketId: ticket.id } }, tok['a-std1'])).closeTicket;
    expect(again.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', reason: 'TICKET_CLOSED' });
  });

  it('CLS-3: feedback once after closing; a second attempt is refused and changes nothing; then the thank-you state', async () => {
    const ticket = await emailTicket();
    const early = ok(await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 5 } }, tok['a-std1'])).leaveTicketFeedback;
    expect(early.userErrors[0]).toMatchObject({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'TICKET_NOT_CLOSED' });
    ok(await t.gql(CLOSE, { input: { ticketId: ticket.id } }, tok['a-std1']));

    const invalid = ok(await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 6 } }, tok['a-std1'])).leaveTicketFeedback;
    expect(invalid.userErrors[0]).toMatchObject({ field: ['input', 'rating'], code: 'INVALID' });
    const tooLong = ok(await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 4, comment: 'x'.repeat(2001) } }, tok['a-std1'])).leaveTicketFeedback;
    expect(tooLong.userErrors[0]).toMatchObject({ field: ['input', 'comment'], code: 'LIMIT_EXCEEDED' });
    const byOther = await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 1 } }, tok['a-std2']);
    expect(byOther.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_OWNER' });
    expect(await t.orm.em.fork().count(TicketFeedback, { ticket: ticket.number })).toBe(0);

    const first = ok(await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 4, comment: 'Quick and kind' } }, tok['a-std1'])).leaveTicketFeedback;
    expect(first.userErrors).toEqual([]);
    expect(first.feedback).toEqual({ rating: 4, comment: 'Quick and kind' });
    expect(first.ticket).toEqual({ feedbackReceived: true, viewerCanLeaveFeedback: false });

    const total = await count(TicketFeedback);
    const second = ok(await t.gql(FEEDBACK, { input: { ticketId: ticket.id, rating: 1, comment: 'changed my mind' } }, tok['a-std1'])).leaveTicketFeedback;
    expect(second.userErrors[0]).toMatchObject({ field: ['input', 'ticketId'], code: 'INVALID_STATE', reason: 'FEEDBACK_ALREADY_RECEIVED' });
    expect(await count(TicketFeedback)).toBe(total);
    const stored = await t.orm.em.fork().findOneOrFail(TicketFeedback, { ticket: ticket.number });
    expect([stored.rating, stored.comment]).toEqual([4, 'Quick and kind']);
    const caps = await read(ticket.id, tok['a-std1']);
    expect(caps).toMatchObject({ feedbackReceived: true, viewerCanLeaveFeedback: false, feedback: { rating: 4, comment: 'Quick and kind' } });
  });

  it('PRX-1, PRX-3, PRX-4: grant and revoke per ticket, effective value with its source, history with times', async () => {
    const ticket = await emailTicket();
    expect((await read(ticket.id, tok['a-std1'])).proxyAccess).toEqual({ granted: false, source: 'ACCOUNT_DEFAULT', history: [] });

    t.clock.now = new Date('2026-11-04T09:00:00.000Z');
    const granted = ok(await t.gql(PROXY, { input: { ticketId: ticket.id, granted: true } }, tok['a-std1'])).setTicketProxyAccess;
    expect(granted.userErrors).toEqual([]);
    expect(granted.ticket.proxyAccess).toEqual({ granted: true, source: 'TICKET_OVERRIDE', history: [{ granted: true, changedAt: '2026-11-04T09:00:00.000Z' }] });

    t.clock.now = new Date('2026-11-04T11:00:00.000Z');
    const revoked = ok(await t.gql(PROXY, { input: { ticketId: ticket.id, granted: false } }, tok['a-std1'])).setTicketProxyAccess;
    expect(revoked.ticket.proxyAccess).toEqual({
      granted: false,
      source: 'TICKET_OVERRIDE',
      history: [
        { granted: true, changedAt: '2026-11-04T09:00:00.000Z' },
        { granted: false, changedAt: '2026-11-04T11:00:00.000Z' },
      ],
    });
    // setting the same value again records nothing new
    const rows = await count(ProxyAccessChange);
    ok(await t.gql(PROXY, { input: { ticketId: ticket.id, granted: false } }, tok['a-std1']));
    expect(await count(ProxyAccessChange)).toBe(rows);
  });

  it('PRX-3: without a ticket override the account-level setting applies; the override wins over it', async () => {
    await f.account('a-granting', 'brand-a', { supportAccessGranted: true } as never);
    const token = await f.tokenFor('a-granting');
    const ticket = await f.ticket({ submitterId: 'a-granting', subject: 'Needs a look' });
    expect((await read(ticket.id, token)).proxyAccess).toMatchObject({ granted: true, source: 'ACCOUNT_DEFAULT' });
    const res = ok(await t.gql(PROXY, { input: { ticketId: ticket.id, granted: false } }, token)).setTicketProxyAccess;
    expect(res.ticket.proxyAccess).toMatchObject({ granted: false, source: 'TICKET_OVERRIDE' });
  });

  it("PRX-2: each user on the ticket sets their own; a brand admin not on the ticket cannot set anyone's", async () => {
    const ticket = await emailTicket();
    ok(await t.gql(PROXY, { input: { ticketId: ticket.id, granted: true } }, tok['a-std2']));
    expect((await read(ticket.id, tok['a-std2'])).proxyAccess).toMatchObject({ granted: true, source: 'TICKET_OVERRIDE' });
    expect((await read(ticket.id, tok['a-std1'])).proxyAccess).toMatchObject({ granted: false, source: 'ACCOUNT_DEFAULT' });

    const rows = await count(ProxyAccessChange);
    const caps = await read(ticket.id, tok['a-admin']);
    expect([caps.viewerCanSetProxyAccess, caps.proxyAccess]).toEqual([false, null]);
    const res = await t.gql(PROXY, { input: { ticketId: ticket.id, granted: true } }, tok['a-admin']);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_TICKET_PARTICIPANT' });
    expect(await count(ProxyAccessChange)).toBe(rows);
  });

  it('the mutations need a customer: anonymous callers get UNAUTHENTICATED', async () => {
    const ticket = await emailTicket();
    const res = await t.gql(CLOSE, { input: { ticketId: ticket.id } });
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
