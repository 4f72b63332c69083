import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachment, Message, OutboxEntry, StagedUploadRecord, StoredFile } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, ok, startTestServer, type TestServer } from './utils/harness';
import { SAMPLES } from './utils/attachment-samples';
import { MailCatcher, rawMail, type CaughtMail } from './utils/mail';
import { Live, WsClients } from './utils/ws';

const SECRET = 'inbound-webhook-secret-for-tests-0123456789';
const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number } userErrors { code } } }`;
const THREAD = `query($id: ID!) { ticket(id: $id) { ... on EmailTicket { messages { authorKind bodyHtml attachments { fileName contentType sizeBytes url } } } } }`;
const TICKET_UPDATED = `subscription($id: ID!) { ticketUpdated(id: $id) { change ticket { id messages { bodyHtml } } } }`;

describe.each(DATABASE_TARGETS)('inbound e-mail over SMTP and the webhook ($name)', (target) => {
  let t: TestServer;
  let f: Fixtures;
  let smtp: MailCatcher;
  let ws: WsClients;
  const tok: Record<string, string> = {};
  let sequence = 0;
  const nextId = () => `<client-${Date.now()}-${++sequence}@mail.example.com>`;
  const base = () => t.publicUrl.replace(/\/graphql$/, '');

  /** Sends a raw mail to the hub's inbound SMTP listener, as the MX would; resolves once the hub answered 250. */
  const overSmtp = async (raw: Buffer, from: string | false = 'sender@example.com') => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: t.server.inboundSmtpPort!, secure: false, ignoreTLS: true });
    try {
      await transport.sendMail({ envelope: { from: from === false ? '' : from, to: ['support@hub.localhost'] }, raw });
    } finally {
      transport.close();
    }
  };
  const overWebhook = async (raw: Buffer, secret = SECRET) => {
    const res = await fetch(`${base()}/inbound/mail`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' }, body: raw });
    return { status: res.status, body: (await res.json()) as any };
  };
  const counts = async () => {
    const em = t.orm.em.fork();
    return {
      messages: await em.count(Message, {}),
      attachments: await em.count(Attachment, {}),
      staged: await em.count(StagedUploadRecord, {}),
      files: await em.count(StoredFile, {}),
      mails: await em.count(OutboxEntry, { topic: { $ne: 'BOUNCE' } }),
    };
  };
  const bounces = (to: string) => t.orm.em.fork().find(OutboxEntry, { topic: 'BOUNCE', destination: to });
  /** Bounces written in answer to the mail with this Message-ID. */
  const bouncesOf = async (messageId: string) => (await t.orm.em.fork().find(OutboxEntry, { topic: 'BOUNCE' })).filter((b) => b.payload.inReplyTo === messageId);
  const bounceMail = (to: string, messageId: string) => (m: CaughtMail) => m.envelope.to.includes(to) && m.mail.inReplyTo === messageId && /^Not delivered to your ticket/.test(m.mail.subject ?? '');

  let ticket: { id: string; number: number };
  const root = () => `<ticket-${ticket.number}@hub.localhost>`;

  beforeAll(async () => {
    smtp = await MailCatcher.start();
    t = await startTestServer(target, { mailPatch: { smtpUrl: smtp.url, inboundSmtpPort: 0, inboundSecret: SECRET } });
    ws = new WsClients(t.publicUrl);
    f = new Fixtures(t);
    await f.brand('brand-a');
    await f.brand('brand-f', { fedramp: true });
    await f.account('a-std', 'brand-a');
    await f.account('a-other', 'brand-a');
    await f.account('a-admin', 'brand-a', { role: 'BRAND_ADMIN' });
    for (const id of ['a-std', 'a-other', 'a-admin']) tok[id] = await f.tokenFor(id);
    ticket = ok(await t.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: 'Quota exceeded', description: 'x' } }, tok['a-std'])).createEmailTicket.ticket;
  });
  afterAll(async () => {
    await ws?.closeAll();
    await t?.close();
    await smtp?.close();
  });

  it('CON-9, FUP-1, RT-1: a reply over SMTP joins its ticket by In-Reply-To, without the quoted history, as a live event', async () => {
    const live = new Live(ws.open(tok['a-std']), TICKET_UPDATED, { id: ticket.id });
    for (let i = 0; i < 200 && t.server.subscriptions.stats().subscriptions < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const text = 'It happens on every export.\n\nOn Mon, Nov 2, 2026 at 3:00 PM Customer Success Hub <support@hub.localhost> wrote:\n> We received your request\n> Reply to this e-mail\n';
    await overSmtp(rawMail({ from: 'First a-std <a-std@example.com>', to: 'support@hub.localhost', subject: 'Re: your request', text, messageId: nextId(), inReplyTo: root(), references: [root()] }));
    const messages = ok(await t.gql(THREAD, { id: ticket.id }, tok['a-std'])).ticket.messages;
    expect(messages.at(-1)).toEqual({ authorKind: 'CUSTOMER', bodyHtml: '<p>It happens on every export.</p>', attachments: [] });
    const [event] = await live.waitFor(1);
    live.dispose();
    expect((event.data as any).ticketUpdated.change).toBe('MESSAGE');
    expect((event.data as any).ticketUpdated.ticket.messages.at(-1).bodyHtml).toBe('<p>It happens on every export.</p>');
  });

  it('CON-9, FUP-2, FUP-3: a reply over the authenticated webhook is matched by [Ticket #n], sanitized, and keeps its attachments', async () => {
    const raw = rawMail({
      from: 'a-admin@example.com',
      to: 'support@hub.localhost',
      subject: `RE: [Ticket #${ticket.number}] Quota exceeded`,
      text: 'Log attached <script>alert(1)</script>\n\n-----Original Message-----\nFrom: support\nold text',
      messageId: nextId(),
      attachments: [{ filename: 'export.csv', content: SAMPLES.csv, contentType: 'text/csv' }, { filename: 'screen.png', content: SAMPLES.png, contentType: 'image/png' }],
    });
    const refused = await overWebhook(raw, 'wrong-secret');
    expect(refused.status).toBe(401);
    const res = await overWebhook(raw);
    expect(res).toMatchObject({ status: 202, body: { outcome: 'ACCEPTED', ticketNumber: ticket.number } });
    const last = ok(await t.gql(THREAD, { id: ticket.id }, tok['a-std'])).ticket.messages.at(-1);
    expect(last.bodyHtml).toBe('<p>Log attached &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(last.attachments.map((a: any) => [a.fileName, a.contentType, a.sizeBytes])).toEqual([['export.csv', 'text/csv', SAMPLES.csv.length], ['screen.png', 'image/png', SAMPLES.png.length]]);
    const file = await fetch(last.attachments[0].url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(SAMPLES.csv)).toBe(true);
  });

  it('CON-10: the same mail delivered twice is stored once', async () => {
    const raw = rawMail({ from: 'a-std@example.com', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] again`, text: 'Once only', messageId: nextId() });
    await overSmtp(raw);
    const before = await counts();
    expect((await overWebhook(raw)).body).toEqual({ outcome: 'IGNORED', reason: 'DUPLICATE' });
    expect(await counts()).toEqual(before);
  });

  describe('refusals change nothing and are answered with exactly one bounce', () => {
    const cases: [string, () => Promise<{ from: string; raw: Buffer; reason: RegExp }>][] = [
      ['CON-10, FUP-1: an unknown sender', async () => ({ from: 'stranger@elsewhere.example', raw: rawMail({ from: 'stranger@elsewhere.example', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] hi`, text: 'let me in', messageId: nextId() }), reason: /could not match your e-mail to a ticket/ })],
      ["CON-10, FUP-4: a standard user replying to someone else's ticket", async () => ({ from: 'a-other@example.com', raw: rawMail({ from: 'a-other@example.com', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] me too`, text: 'me too', messageId: nextId() }), reason: /could not match your e-mail to a ticket/ })],
      ['CON-10, FUP-4: a closed ticket', async () => {
        const closed = await f.ticket({ submitterId: 'a-std', status: 'CLOSED', subject: 'Old', createdAt: '2026-10-01T08:00:00.000Z', messages: [{ authorKind: 'AGENT', bodyHtml: '<p>done</p>', recipients: ['a-std@example.com'] }] });
        return { from: 'a-std@example.com', raw: rawMail({ from: 'a-std@example.com', to: 'support@hub.localhost', subject: 'Re: Old', text: 'one more thing', messageId: nextId(), inReplyTo: `<ticket-${closed.number}@hub.localhost>` }), reason: /closed/i };
      }],
      ['CON-10, FUP-3: a sixth attachment', async () => ({ from: 'a-std@example.com', raw: rawMail({ from: 'a-std@example.com', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] files`, text: 'six files', messageId: nextId(), attachments: Array.from({ length: 6 }, (_, i) => ({ filename: `f${i}.csv`, content: SAMPLES.csv })) }), reason: /at most 5 attachments/ })],
      ['CON-10, FUP-3: an .exe', async () => ({ from: 'a-std@example.com', raw: rawMail({ from: 'a-std@example.com', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] tool`, text: 'run this', messageId: nextId(), attachments: [{ filename: 'fix.pdf', content: SAMPLES.exe }] }), reason: /Only CSV, TSV/ })],
    ];
    it.each(cases)('%s', async (_name, build) => {
      const { from, raw, reason } = await build();
      const messageId = /Message-ID: (\S+)/.exec(raw.toString())![1];
      const before = await counts();
      await overSmtp(raw, from);
      // the same refused mail arriving again (a retrying MX) is not answered twice
      expect((await overWebhook(raw)).body).toMatchObject({ outcome: 'REFUSED' });
      expect(await counts()).toEqual(before);
      expect(await bouncesOf(messageId)).toHaveLength(1);
      const [bounce] = await smtp.waitFor(bounceMail(from, messageId));
      expect(bounce.mail.headers.get('auto-submitted')).toBe('auto-replied');
      expect(bounce.mail.text).toMatch(reason);
    });

    it('CON-10: no bounce to a bounce or an auto-reply (loop protection)', async () => {
      const before = await counts();
      const autoReply = rawMail({ from: 'a-std@example.com', to: 'support@hub.localhost', subject: `Out of office: [Ticket #${ticket.number}]`, text: 'I am away', messageId: nextId(), headers: { 'Auto-Submitted': 'auto-replied' } });
      expect((await overWebhook(autoReply)).body).toEqual({ outcome: 'IGNORED', reason: 'AUTOMATED' });
      const daemon = rawMail({ from: 'MAILER-DAEMON@mx.example.com', to: 'support@hub.localhost', subject: 'Undelivered Mail Returned to Sender', text: 'failed', messageId: nextId() });
      await overSmtp(daemon, false);
      const ours = rawMail({ from: 'support@hub.localhost', to: 'support@hub.localhost', subject: `[Ticket #${ticket.number}] loop`, text: 'loop', messageId: `<bounce.abc@hub.localhost>` });
      expect((await overWebhook(ours)).body).toEqual({ outcome: 'IGNORED', reason: 'AUTOMATED' });
      expect(await counts()).toEqual(before);
      for (const raw of [autoReply, daemon, ours]) expect(await bouncesOf(/Message-ID: (\S+)/.exec(raw.toString())![1])).toEqual([]);
      expect(await bounces('mailer-daemon@mx.example.com')).toHaveLength(0);
      expect(await bounces('support@hub.localhost')).toHaveLength(0);
    });
  });
});
