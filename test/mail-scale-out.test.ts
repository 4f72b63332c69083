import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntry, OutboxStatus } from '../src/entities';
import { Fixtures } from './utils/fixtures';
import { DATABASE_TARGETS, existingDatabase, ok, startTestServer, type TestServer } from './utils/harness';
import { MailCatcher } from './utils/mail';

const EMAIL = `mutation($input: CreateEmailTicketInput!) { createEmailTicket(input: $input) { ticket { id number } userErrors { code } } }`;
const REPLY = `mutation($input: ReplyToTicketInput!) { replyToTicket(input: $input) { message { attachments { url } } userErrors { code message } } }`;
const TICKETS = 40;

// two instances on one PostgreSQL database, as behind a load balancer (TEST_DATABASE_URL, CI)
const postgres = DATABASE_TARGETS.find((target) => target.name === 'postgresql');
if (postgres) describe('two API instances on PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  let drop: () => Promise<void>;
  let smtp: MailCatcher;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    smtp = await MailCatcher.start();
    const created = await postgres.create();
    drop = created.drop;
    // both poll every 5 ms and claim one entry at a time: they compete for every row
    const mailPatch = { smtpUrl: smtp.url, delivery: { pollIntervalMs: 5, retryDelaysMs: [60_000], leaseMs: 60_000, batchSize: 1 } };
    a = await startTestServer(existingDatabase(created.database), { mailPatch });
    b = await startTestServer(existingDatabase(created.database), { mailPatch });
    const f = new Fixtures(a);
    await f.brand('brand-s');
    for (let i = 0; i < 4; i++) tok[`s-${i}`] = await f.tokenFor(await f.account(`s-${i}`, 'brand-s'));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
    await smtp?.close();
  });

  it('CON-10: every outbox message is delivered exactly once, whichever instance wrote it (FOR UPDATE SKIP LOCKED)', async () => {
    const numbers = await Promise.all(
      Array.from({ length: TICKETS }, async (_, i) => {
        const server = i % 2 ? b : a;
        const res = ok(await server.gql(EMAIL, { input: { productArea: 'SURVEY_PLATFORM', subject: `Scale ${i}`, description: 'x' } }, tok[`s-${i % 4}`])).createEmailTicket;
        expect(res.userErrors).toEqual([]);
        return res.ticket.number as number;
      }),
    );
    const received = await smtp.waitFor((m) => /^\[Ticket #\d+\] Scale \d+$/.test(m.mail.subject ?? ''), TICKETS);
    // every row recorded as delivered, and both workers idle: their counters are final
    const em = a.orm.em.fork();
    for (let i = 0; i < 500 && (await em.count(OutboxEntry, { status: OutboxStatus.DELIVERED })) < TICKETS; i++) await new Promise((r) => setTimeout(r, 10));
    await Promise.all([a, b].map((s) => s.server.delivery.until((stats) => stats.inFlight === 0)));
    expect(await em.count(OutboxEntry, { status: OutboxStatus.DELIVERED })).toBe(TICKETS);
    expect(await em.count(OutboxEntry, { status: { $ne: OutboxStatus.DELIVERED } })).toBe(0);
    const [countsA, countsB] = [a.server.delivery.counters(), b.server.delivery.counters()];
    expect(countsA.delivered + countsB.delivered).toBe(TICKETS);
    expect(countsA.retried + countsB.retried + countsA.failed + countsB.failed).toBe(0);
    const ids = received.map((m) => m.mail.messageId);
    expect(new Set(ids).size).toBe(TICKETS);
    expect(ids.sort()).toEqual(numbers.map((n) => `<ticket-${n}@hub.localhost>`).sort());
    expect(smtp.received.filter((m) => /Scale/.test(m.mail.subject ?? ''))).toHaveLength(TICKETS);
  });

  it('FUP-3, FUP-6: a file uploaded through one instance is linked by a reply through the other and served by both', async () => {
    const { id: ticketId } = await new Fixtures(a).ticket({ submitterId: 's-0', subject: 'Across', createdAt: '2026-10-01T08:00:00.000Z' });
    const content = Buffer.from('id,value\n1,across\n');
    const upload = await fetch(`${a.publicUrl.replace(/\/graphql$/, '')}/uploads?fileName=across.csv`, { method: 'POST', headers: { authorization: `Bearer ${tok['s-0']}` }, body: content });
    expect(upload.status).toBe(201);
    const { uploadId } = (await upload.json()) as { uploadId: string };
    const reply = ok(await b.gql(REPLY, { input: { ticketId, bodyHtml: '<p>file</p>', attachmentIds: [uploadId] } }, tok['s-0'])).replyToTicket;
    expect(reply.userErrors).toEqual([]);
    const url = new URL(reply.message.attachments[0].url);
    for (const server of [a, b]) {
      const res = await fetch(`http://127.0.0.1:${server.server.port}${url.pathname}${url.search}`);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
    }
  });
});
