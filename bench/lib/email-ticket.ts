import type { Viewer } from './access';
import type { BenchDb } from './db';

/**
 * The write case's work without the API (bench/write.ts): what `createEmailTicket` stores for a
 * request with an idempotency key — the replay look-up, then in one transaction the ticket, its
 * SUBMITTER participant, the first e-mail of the thread and the CON-9 confirmation in the outbox.
 * Used by the baseline and by the peer, so both write the same rows the API writes.
 */

export interface EmailTicketInput {
  productArea: string;
  subject: string;
  description: string;
  idempotencyKey: string;
}

/** What the bench's mutation selects of the created ticket. */
export interface CreatedTicket {
  id: string;
  number: number;
  type: string;
  status: string;
  subject: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const created = (id: number, subject: string): CreatedTicket => ({ id: Buffer.from(`Ticket:${id}`).toString('base64url'), number: id, type: 'EMAIL', status: 'OPEN', subject });

export async function createEmailTicketRows(db: BenchDb, viewer: Viewer, input: EmailTicketInput, now = new Date()): Promise<CreatedTicket> {
  const [existing] = await db.query<{ id: number; subject: string }>('select id, subject from ticket where submitter_id = ? and idempotency_key = ?', [viewer.id, input.idempotencyKey]);
  if (existing) return created(Number(existing.id), existing.subject);
  const subject = input.subject.trim();
  return db.transaction(async (q) => {
    const [row] = await q<{ id: number }>(
      `insert into ticket (kind, status, subject, description, description_language, support_language, product_area, brand_id, submitter_id, enterprise, awaiting_verification, idempotency_key, created_at, last_activity_at)
       values ('EMAIL', 'OPEN', ?, ?, 'en', 'ENGLISH', ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
      [subject, input.description, input.productArea, viewer.brandId, viewer.id, false, false, input.idempotencyKey, now, now],
    );
    const id = Number(row.id);
    await q('insert into ticket_participant (ticket_id, account_id, role, added_at) values (?, ?, ?, ?)', [id, viewer.id, 'SUBMITTER', now]);
    await q('insert into message (ticket_id, author_kind, author_account_id, subject, body_html, recipients, created_at) values (?, ?, ?, ?, ?, ?, ?)', [
      id,
      'CUSTOMER',
      viewer.id,
      subject,
      `<p>${escapeHtml(input.description)}</p>`,
      JSON.stringify([viewer.email]),
      now,
    ]);
    const messageId = `<ticket-${id}@hub.localhost>`;
    const text = `We received your request "${subject}" (ticket ${id}). Reply to this e-mail to add to it.`;
    const payload = { to: [viewer.email], subject: `[Ticket ${id}] ${subject}`, html: `<p>${escapeHtml(text)}</p>`, text, messageId };
    await q(
      `insert into outbox (transport, topic, destination, delivery_key, payload, ticket_id, status, attempts, next_attempt_at, created_at) values ('EMAIL', 'TICKET_CONFIRMATION', ?, ?, ?, ?, 'PENDING', 0, ?, ?)`,
      [viewer.email, messageId, JSON.stringify(payload), id, now, now],
    );
    return created(id, subject);
  });
}
