import { simpleParser } from 'mailparser';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry, OutboxStatus } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { MailCatcher, type CaughtMail } from './utils/mail';

const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number } userErrors { field code message } } }`;
const AGENT_REPLY = `mutation($input: PostAgentReplyInput!) { postAgentReply(input: $input) { message { bodyHtml } userErrors { code message } } }`;
const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { bodyHtml } userErrors { code message } } }`;
const BY_LINK = `mutation($input: UpdateEmailPreferencesByLinkInput!) { updateEmailPreferencesByLink(input: $input) { emailPreferences { email } userErrors { field code message } } }`;
const PREFS = `{ viewer { emailPreferences { settings { category pending { subscribed } } } } }`;
const MINUTE = 60_000;

describe.each(DATABASE_TARGETS)('outbound e-mail through a real SMTP server ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let smtp: MailCatcher;
  let agentToken: string;
  const tok: Record<string, string> = {};
  const to = (address: string, subject?: RegExp) => (m: CaughtMail) => m.envelope.to.includes(address) && (!subject || subject.test(m.mail.subject ?? ''));
  const entry = (deliveryKey: string) => t.orm.em.fork().findOneOrFail(OutboxEntry, { deliveryKey });

  beforeAll(async () => {
    smtp = await MailCatcher.start();
    // the poll is 10 minutes: every mail below arrives because the commit woke the worker
    t = await startTestServer(target, { mailPatch: { smtpUrl: smtp.url, delivery: { pollIntervalMs: 600_000, retryDelaysMs: [MINUTE, MINUTE], leaseMs: MINUTE, batchSize: 20 } } });
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('succ', { successPackage: true });
    await f.account('a-std', 'brand-a');
    await f.account('a-cc', 'brand-a');
    await t.internal(`mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { account { id } } }`, {
      input: { id: 's-seat', brandId: 'succ', username: 's-seat', email: 's-seat@example.com', firstName: 'Sam', lastName: 'Seat', enterpriseSeat: true },
    });
    await f.agent('agent-m');
    agentToken = await t.token('agent-m', ['hub:agent']);
    for (const id of ['a-std', 'a-cc', 's-seat']) tok[id] = await f.tokenFor(id);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  let ticket: { id: string; number: number };
  let confirmation: CaughtMail;

  it('CON-9, CON-10: the confirmation is sent over SMTP after commit: [Ticket #n] subject, the thread root Message-ID, plain text beside HTML', async () => {
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Export fails', description: 'The CSV export <b>stops</b>' } }, tok['a-std'])).createEmailTicket;
    expect(res.userErrors).toEqual([]);
    ticket = res.ticket;
    [confirmation] = await smtp.waitFor(to('a-std@example.com', new RegExp(`^\\[Ticket #${ticket.number}\\] Export fails$`)));
    const { mail, envelope } = confirmation;
    expect(envelope.to).toEqual(['a-std@example.com']);
    expect(mail.from?.value).toEqual([{ name: 'Customer Success Hub', address: 'support@hub.localhost' }]);
    expect(mail.replyTo?.value).toEqual([{ name: 'Customer Success Hub', address: 'support@hub.localhost' }]);
    expect(mail.messageId).toBe(`<ticket-${ticket.number}@hub.localhost>`);
    expect(mail.text).toContain(`We received your request #${ticket.number}: Export fails.`);
    expect(mail.html).toContain(`<p>We received your request #${ticket.number}: Export fails.</p>`);
    await t.server.delivery.until((stats) => stats.delivered >= 1);
    const row = await entry(mail.messageId!);
    expect(row).toMatchObject({ status: 'DELIVERED', attempts: 1, topic: 'TICKET_CONFIRMATION' });
  });

  it('PREF-6: the manage link at the bottom of the confirmation changes the preferences, and the hub shows it', async () => {
    const link = /(http:\/\/localhost:\d+\/email-preferences\?token=)(\S+)/.exec(confirmation.mail.text ?? '');
    expect(link).not.toBeNull();
    expect(confirmation.mail.html).toContain(link![1]);
    const token = decodeURIComponent(link![2]);
    const res = ok(await t.gql(BY_LINK, { input: { token, changes: [{ category: 'CUSTOMER_EVENTS', subscribed: false }] } })).updateEmailPreferencesByLink;
    expect(res).toEqual({ emailPreferences: { email: 'a-std@example.com' }, userErrors: [] });
    const settings = ok(await t.gql(PREFS, undefined, tok['a-std'])).viewer.emailPreferences.settings;
    expect(settings.find((s: any) => s.category === 'CUSTOMER_EVENTS').pending).toEqual({ subscribed: false });
    // the link is bound to its address and signed with its own key: changing one character breaks it
    const tampered = ok(await t.gql(BY_LINK, { input: { token: token.slice(0, -2) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-1), changes: [{ category: 'NEWS_AND_UPDATES', subscribed: false }] } })).updateEmailPreferencesByLink;
    expect(tampered.userErrors[0]).toMatchObject({ field: ['input', 'token'], code: 'INVALID' });
  });

  it('CON-10, FUP-1, FUP-2: an agent reply is mailed to the thread recipients, threaded under the confirmation, sanitized', async () => {
    const res = ok(await t.internal(AGENT_REPLY, { input: { ticketId: ticket.id, bodyHtml: '<p>Please retry <b>now</b><script>alert(1)</script></p>' } }, agentToken)).postAgentReply;
    expect(res.userErrors).toEqual([]);
    const [first, reply] = await smtp.waitFor(to('a-std@example.com', /Export fails/), 2);
    expect(first.mail.messageId).toBe(confirmation.mail.messageId);
    const mail = reply.mail;
    expect(mail.subject).toBe(`[Ticket #${ticket.number}] Export fails`);
    expect(mail.inReplyTo).toBe(`<ticket-${ticket.number}@hub.localhost>`);
    expect(mail.references).toEqual(`<ticket-${ticket.number}@hub.localhost>`);
    expect(mail.messageId).toMatch(new RegExp(`^<ticket-${ticket.number}\\.[0-9a-f-]+@hub\\.localhost>$`));
    expect(mail.html).toContain('<b>now</b>');
    expect(mail.html).not.toContain('script');
    expect(mail.text).toContain('Please retry now');
    expect(mail.text).toContain('Agent agent-m wrote:');
    expect(mail.text).toMatch(/email-preferences\?token=/);
  });

  it('CON-10, TKT-3: an agent reply on a ticket without e-mails yet starts the thread with the submitter', async () => {
    const phone = await f.ticket({ submitterId: 'a-cc', subject: 'Called earlier', createdAt: '2026-10-01T08:00:00.000Z' });
    ok(await t.internal(AGENT_REPLY, { input: { ticketId: phone.id, bodyHtml: '<p>Summary of our call</p>' } }, agentToken));
    const [mail] = await smtp.waitFor(to('a-cc@example.com', /Called earlier/));
    expect(mail.mail.subject).toBe(`[Ticket #${phone.number}] Called earlier`);
    const thread = ok(await t.gql(`query($id: ID!) { ticket(id: $id) { ... on EmailTicket { messages { recipients } } } }`, { id: phone.id }, tok['a-cc'])).ticket.messages;
    expect(thread).toEqual([{ recipients: ['a-cc@example.com'] }]);
  });

  it("CON-10: a customer's reply in the hub is copied to the thread's other recipients, never back to its author", async () => {
    const shared = await f.ticket({
      submitterId: 'a-std',
      subject: 'Shared thread',
      createdAt: '2026-10-01T08:00:00.000Z',
      messages: [{ authorKind: 'AGENT', bodyHtml: '<p>Hello both</p>', recipients: ['a-std@example.com', 'a-cc@example.com'], createdAt: '2026-10-01T08:00:00.000Z' }],
    });
    const res = ok(await t.gql(REPLY, { input: { ticketId: shared.id, bodyHtml: '<p>Adding my colleague</p>' } }, tok['a-std'])).replyToTicket;
    expect(res.userErrors).toEqual([]);
    const [copy] = await smtp.waitFor(to('a-cc@example.com', /Shared thread/));
    expect(copy.mail.subject).toBe(`[Ticket #${shared.number}] Shared thread`);
    expect(copy.mail.text).toContain('First a-std wrote:');
    expect(copy.mail.text).toContain('Adding my colleague');
    const rows = await t.orm.em.fork().find(OutboxEntry, { ticketId: shared.number });
    expect(rows.map((r) => r.destination)).toEqual(['a-cc@example.com']);
  });

  it('ENT-4, ENT-5: the hand-over goes to the Enterprise mailbox and the verification request to the user', async () => {
    const saved = t.clock.now;
    t.clock.now = new Date('2026-11-07T18:00:00.000Z'); // Saturday: outside Enterprise hours
    try {
      const weekend = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Weekend', description: 'x' } }, tok['s-seat'])).createEmailTicket;
      const [handover] = await smtp.waitFor(to('enterprise-support@support.example.com', new RegExp(`#${weekend.ticket.number}\\]`)));
      expect(handover.mail.subject).toBe(`[Ticket #${weekend.ticket.number}] Hand-over from general support`);
      expect(handover.mail.inReplyTo).toBe(`<ticket-${weekend.ticket.number}@hub.localhost>`);
      expect(handover.mail.text).not.toMatch(/email-preferences/);
    } finally {
      t.clock.now = saved;
    }
    const forward = `mutation($input: ForwardToEnterpriseSupportInput!) { forwardToEnterpriseSupport(input: $input) { ticket { number } userErrors { code } } }`;
    const { ticket: forwarded } = ok(await t.internal(forward, { input: { accountId: 's-seat', productArea: 'SURVEY_PLATFORM', subject: 'From your account team', description: 'Q' } }, agentToken)).forwardToEnterpriseSupport;
    const [verify] = await smtp.waitFor(to('s-seat@example.com', /Verify & Confirm/));
    expect(verify.mail.subject).toBe(`[Ticket #${forwarded.number}] Verify & Confirm: From your account team`);
    expect(verify.mail.messageId).toBe(`<ticket-${forwarded.number}@hub.localhost>`);
  });

  it('CON-10: a temporary refusal is retried after the backoff, and the same Message-ID arrives exactly once', async () => {
    const before = t.server.delivery.counters();
    let refusals = 0;
    smtp.verdict = (mail) => (/Flaky relay/.test(mail.subject ?? '') && refusals++ === 0 ? 451 : undefined);
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Flaky relay', description: 'x' } }, tok['a-std'])).createEmailTicket;
    const key = `<ticket-${res.ticket.number}@hub.localhost>`;
    await t.server.delivery.until((s) => s.retried === before.retried + 1);
    const waiting = await entry(key);
    expect(waiting).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(waiting.nextAttemptAt.getTime()).toBe(t.clock.now.getTime() + MINUTE);
    expect(waiting.lastError).toMatch(/451/);
    // not due yet: a round now claims nothing
    t.server.delivery.wake();
    await t.server.delivery.settled();
    expect((await entry(key)).attempts).toBe(1);
    expect(t.server.delivery.counters().retried).toBe(before.retried + 1);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + MINUTE);
    try {
      t.server.delivery.wake();
      const arrived = await smtp.waitFor((m) => m.mail.messageId === key);
      expect(arrived).toHaveLength(1);
      await t.server.delivery.until((s) => s.delivered >= before.delivered + 1 && s.inFlight === 0);
      expect(await entry(key)).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    } finally {
      t.clock.now = saved;
      smtp.verdict = () => undefined;
    }
  });

  it('CON-10: a permanent refusal fails the entry at once; metrics show delivered, retried, failed and the oldest waiting', async () => {
    const before = t.server.delivery.counters();
    smtp.verdict = (mail) => (/Bad mailbox/.test(mail.subject ?? '') ? 550 : undefined);
    try {
      const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Bad mailbox', description: 'x' } }, tok['a-std'])).createEmailTicket;
      await t.server.delivery.until((s) => s.failed === before.failed + 1);
      expect(await entry(`<ticket-${res.ticket.number}@hub.localhost>`)).toMatchObject({ status: 'FAILED', attempts: 1 });
    } finally {
      smtp.verdict = () => undefined;
    }
    const metrics = await (await fetch(t.publicUrl.replace(/\/graphql$/, '/metrics'))).text();
    const counters = t.server.delivery.counters();
    expect(metrics).toContain(`hub_outbox_deliveries_total{outcome="delivered"} ${counters.delivered}`);
    expect(metrics).toContain(`hub_outbox_deliveries_total{outcome="retried"} ${counters.retried}`);
    expect(metrics).toContain(`hub_outbox_deliveries_total{outcome="failed"} ${counters.failed}`);
    expect(metrics).toMatch(/hub_outbox_oldest_waiting_seconds 0\n/);
  });
});

describe.each(DATABASE_TARGETS)('outbound e-mail without SMTP_URL: .eml files ($name)', (target) => {
  let t: TestServer;
  const mailDir = mkdtempSync(join(tmpdir(), 'hub-eml-'));
  beforeAll(async () => {
    t = await startTestServer(target, { mailPatch: { mailDir } });
    const f = new Fixtures(t);
    await f.brand('brand-e');
    await f.account('e-std', 'brand-e');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(mailDir, { recursive: true, force: true });
  });

  it('CON-10: each mail is written as an .eml file under HUB_DATA_DIR/mail that a mail client opens', async () => {
    const token = await t.token('e-std');
    const res = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Local mail', description: 'x' } }, token)).createEmailTicket;
    await t.server.delivery.until((s) => s.delivered >= 1);
    const files = readdirSync(mailDir).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(mailDir, files[0])));
    expect(mail.subject).toBe(`[Ticket #${res.ticket.number}] Local mail`);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('e-std@example.com');
    expect(mail.messageId).toBe(`<ticket-${res.ticket.number}@hub.localhost>`);
    expect(mail.text).toContain('We received your request');
  });

  it('CON-10: delivered entries are kept for 7 days, then purged; waiting and failed ones stay', async () => {
    const em = t.orm.em.fork();
    const delivered = await em.count(OutboxEntry, { status: OutboxStatus.DELIVERED });
    expect(delivered).toBeGreaterThan(0);
    expect(await t.server.delivery.purgeDelivered()).toBe(0);
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 7 * 24 * 3600 * 1000 + 1000);
    try {
      expect(await t.server.delivery.purgeDelivered()).toBe(delivered);
    } finally {
      t.clock.now = saved;
    }
    expect(await em.count(OutboxEntry, {})).toBe(0);
  });
});
