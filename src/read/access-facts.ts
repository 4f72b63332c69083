import type { EntityManager } from '@mikro-orm/core';
import type { TicketAccessFacts } from '../auth/ticket-access';
import type { ParticipantRole } from '../entities';
import { inChunks, placeholders, selectRows, toDate } from './driver';

/**
 * The access facts read model: what the ticket rules of `src/auth` read of a ticket (brand,
 * submitter, participants, creation date), for a request (through its loaders) and for fan-outs to
 * thousands of subscribers (`readTicketAccessFacts`). The participant rows are read by one statement
 * here, whoever asks: the ticket's `participants` field, the rules, the fan-outs.
 */

/** One participant of a ticket: who, and how they are associated (also an access fact, HIST-1). */
export interface ParticipantRow {
  accountId: string;
  role: ParticipantRole;
}

/** The participants of each ticket, in the order they were added (tickets without any are missing). */
export async function readParticipants(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, ParticipantRow[]>> {
  const rows = await inChunks(ticketIds, (ids) =>
    selectRows(em, `select ticket_id, account_id, role from ticket_participant where ticket_id in (${placeholders(ids.length)}) order by added_at asc, id asc`, ids),
  );
  const groups = new Map<number, ParticipantRow[]>();
  for (const row of rows) {
    const id = Number(row.ticket_id);
    const participant: ParticipantRow = { accountId: String(row.account_id), role: row.role as ParticipantRole };
    const list = groups.get(id);
    if (list) list.push(participant);
    else groups.set(id, [participant]);
  }
  return groups;
}

/** The facts of a ticket already read (a row or an entity) and its participants. */
export function accessFactsOf(
  ticket: { brand: { id: string }; submitter: { id: string }; createdAt: Date },
  participants: readonly ParticipantRow[],
): TicketAccessFacts {
  return { brandId: ticket.brand.id, submitterId: ticket.submitter.id, participantIds: participants.map((p) => p.accountId), createdAt: ticket.createdAt };
}

/** The access facts of many tickets from plain rows: two statements however many tickets (unknown ids are missing). */
export async function readTicketAccessFacts(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, TicketAccessFacts>> {
  const ids = [...new Set(ticketIds)];
  const [tickets, participants] = await Promise.all([
    inChunks(ids, (chunk) => selectRows(em, `select id, brand_id, submitter_id, created_at from ticket where id in (${placeholders(chunk.length)})`, chunk)),
    readParticipants(em, ids),
  ]);
  const facts = new Map<number, TicketAccessFacts>();
  for (const t of tickets) {
    const id = Number(t.id);
    facts.set(id, accessFactsOf({ brand: { id: String(t.brand_id) }, submitter: { id: String(t.submitter_id) }, createdAt: toDate(t.created_at) }, participants.get(id) ?? []));
  }
  return facts;
}
