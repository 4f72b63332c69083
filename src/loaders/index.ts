import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { createResolutionStatsLoader } from '../services/escalation-estimate.service';
import {
  Account,
  Agent,
  Attachment,
  Brand,
  ChatTranscriptEntry,
  Escalation,
  EscalationTimelineEntry,
  Message,
  SharedResource,
  TicketParticipant,
  TicketReference,
} from '../entities';

type EntityClass<T> = new (...args: never[]) => T;

/** Loads entities by primary key, one query per batch, results in key order (null when missing). */
function byId<T extends object, K extends string | number>(em: EntityManager, entity: EntityClass<T>, key: keyof T & string) {
  return new DataLoader<K, T | null>(async (ids) => {
    const rows = await em.find(entity, { [key]: { $in: [...ids] } } as never);
    const map = new Map(rows.map((row) => [(row as Record<string, unknown>)[key] as K, row]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** Loads the rows that point at each key through `fk`, one query per batch, ordered by `orderBy`. */
function groupedBy<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  fk: string,
  orderBy: Record<string, 'asc' | 'desc'>,
) {
  return new DataLoader<number, T[]>(async (ids) => {
    const rows = await em.find(entity, { [fk]: { $in: [...ids] } } as never, { orderBy: orderBy as never });
    const groups = new Map<number, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) {
      const ref = (row as Record<string, { id: number }>)[fk];
      groups.get(ref.id)?.push(row);
    }
    return ids.map((id) => groups.get(id) ?? []);
  });
}

/**
 * Every loader of one request (or one subscription event): built fresh with the request's entity
 * manager fork, so nothing cached outlives it.
 */
export function createLoaders(em: EntityManager) {
  return {
    account: byId<Account, string>(em, Account, 'id'),
    agent: byId<Agent, string>(em, Agent, 'id'),
    brand: byId<Brand, string>(em, Brand, 'id'),
    escalation: byId<Escalation, number>(em, Escalation, 'id'),
    referencesByTicket: groupedBy(em, TicketReference, 'ticket', { id: 'asc' }),
    participantsByTicket: groupedBy(em, TicketParticipant, 'ticket', { addedAt: 'asc', id: 'asc' }),
    messagesByTicket: groupedBy(em, Message, 'ticket', { createdAt: 'asc', id: 'asc' }),
    attachmentsByMessage: groupedBy(em, Attachment, 'message', { id: 'asc' }),
    transcriptByTicket: groupedBy(em, ChatTranscriptEntry, 'ticket', { sentAt: 'asc', id: 'asc' }),
    resourcesByTicket: groupedBy(em, SharedResource, 'ticket', { sharedAt: 'asc', id: 'asc' }),
    timelineByEscalation: groupedBy(em, EscalationTimelineEntry, 'escalation', { reachedAt: 'asc', id: 'asc' }),
    resolutionStats: createResolutionStatsLoader(em),
    escalationByTicket: new DataLoader<number, Escalation | null>(async (ticketIds) => {
      const rows = await em.find(Escalation, { ticket: { $in: [...ticketIds] } });
      const map = new Map(rows.map((row) => [row.ticket.id, row]));
      return ticketIds.map((id) => map.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
