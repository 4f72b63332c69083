import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { type ParticipantRow, readParticipants } from '../read/access-facts';
import {
  type AccountName,
  type AgentName,
  type EscalationRow,
  type MessageRow,
  readAccountNames,
  readAgentNames,
  readDescriptions,
  readEscalationsByTicket,
  readMessages,
  readTimelines,
  type TimelineRow,
} from '../read/ticket-details';
import { createResolutionStatsLoader } from '../services/escalation-estimate.service';
import { Attachment, Brand, ChatTranscriptEntry, Escalation, Message, ProxyAccessChange, SharedResource, TicketFeedback, TicketReference } from '../entities';

export type { AccountName, AgentName, EscalationRow, MessageRow, ParticipantRow, TimelineRow };

/** A loader over a read-side batch read keyed like the loader (src/read): one statement per batch, null when missing. */
function plainById<K extends string | number, T>(read: (keys: readonly K[]) => Promise<Map<K, T>>) {
  return new DataLoader<K, T | null>(async (keys) => {
    const found = await read(keys);
    return keys.map((key) => found.get(key) ?? null);
  });
}

/** `plainById` for reads that give each key a list (empty when none). */
function plainGrouped<K extends string | number, T>(read: (keys: readonly K[]) => Promise<Map<K, T[]>>) {
  return new DataLoader<K, T[]>(async (keys) => {
    const found = await read(keys);
    return keys.map((key) => found.get(key) ?? []);
  });
}

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
 * Rows already loaded for this request, readable without a promise: filled by
 * `prefetchTicketRelations` for a page of tickets, read first by the ticket field resolvers, which
 * fall back to the loaders for anything not here. Each list item of a page then resolves its
 * submitter, participants, assignee and escalation synchronously instead of through a promise
 * chain per field (docs/performance.md). Same request, same rows: nothing outlives the request.
 */
export interface KnownRows {
  participantsByTicket: Map<number, ParticipantRow[]>;
  accounts: Map<string, AccountName>;
  agents: Map<string, AgentName>;
  escalationByTicket: Map<number, EscalationRow | null>;
}

/** Which relations of a page of tickets the query selects. */
export interface TicketRelationsWanted {
  submitter: boolean;
  participants: boolean;
  assignee: boolean;
  escalation: boolean;
}

/**
 * Loads, for a whole page of tickets and through the request's loaders (so batching and statement
 * counts stay as they are), the relations the query selects, and keeps them in `loaders.known`.
 */
export async function prefetchTicketRelations(
  loaders: Loaders,
  tickets: readonly { id: number; submitter: { id: string }; assignee?: { id: string } | null }[],
  wanted: TicketRelationsWanted,
): Promise<void> {
  if (!tickets.length) return;
  const ids = tickets.map((t) => t.id);
  const agentIds = wanted.assignee ? [...new Set(tickets.flatMap((t) => (t.assignee ? [t.assignee.id] : [])))] : [];
  const [participants, escalations, agents] = await Promise.all([
    wanted.participants ? loaders.participantsByTicket.loadMany(ids) : [],
    wanted.escalation ? loaders.escalationByTicket.loadMany(ids) : [],
    loaders.agent.loadMany(agentIds),
  ]);
  const accountIds = new Set<string>(wanted.submitter ? tickets.map((t) => t.submitter.id) : []);
  participants.forEach((rows, i) => {
    if (rows instanceof Error) return;
    loaders.known.participantsByTicket.set(ids[i], rows);
    for (const row of rows) accountIds.add(row.accountId);
  });
  escalations.forEach((row, i) => {
    if (!(row instanceof Error)) loaders.known.escalationByTicket.set(ids[i], row);
  });
  agents.forEach((row) => {
    if (row && !(row instanceof Error)) loaders.known.agents.set(row.id, row);
  });
  const accounts = await loaders.account.loadMany([...accountIds]);
  for (const row of accounts) if (row && !(row instanceof Error)) loaders.known.accounts.set(row.id, row);
}

/** Whose proxy-access changes, on which ticket (PRX-1…4): a key of `proxyChanges`. */
export interface ProxyChangesKey {
  ticketId: number;
  accountId: string;
}

/**
 * Every loader of one request (or one subscription event), and the rows already prefetched for it
 * (`known`): built fresh with the request's entity-manager fork, so nothing cached outlives it. No
 * loader depends on the viewer (a subscription event's loaders serve all its subscribers): what is
 * per account takes the account in its key.
 */
export function createLoaders(em: EntityManager) {
  return {
    known: { participantsByTicket: new Map(), accounts: new Map(), agents: new Map(), escalationByTicket: new Map() } as KnownRows,
    // the ticket read path (lists, details, access facts): plain rows of the read side, src/read
    account: plainById<string, AccountName>((ids) => readAccountNames(em, ids)),
    agent: plainById<string, AgentName>((ids) => readAgentNames(em, ids)),
    participantsByTicket: plainGrouped<number, ParticipantRow>((ids) => readParticipants(em, ids)),
    escalationByTicket: plainById<number, EscalationRow>((ids) => readEscalationsByTicket(em, ids)),
    timelineByEscalation: plainGrouped<number, TimelineRow>((ids) => readTimelines(em, ids)),
    ticketDescription: plainById<number, string>((ids) => readDescriptions(em, ids)),
    messagesByTicket: plainGrouped<number, MessageRow>((ids) => readMessages(em, ids)),
    // entities, through MikroORM
    brand: byId<Brand, string>(em, Brand, 'id'),
    escalation: byId<Escalation, number>(em, Escalation, 'id'),
    referencesByTicket: groupedBy(em, TicketReference, 'ticket', { id: 'asc' }),
    attachmentsByMessage: groupedBy(em, Attachment, 'message', { id: 'asc' }),
    transcriptByTicket: groupedBy(em, ChatTranscriptEntry, 'ticket', { sentAt: 'asc', id: 'asc' }),
    resourcesByTicket: groupedBy(em, SharedResource, 'ticket', { sharedAt: 'asc', id: 'asc' }),
    resolutionStats: createResolutionStatsLoader(em),
    // the follow-up, closing and proxy-access capabilities (FUP-4, CLS-1…3, PRX-1…4)
    /** Number of e-mails per ticket. */
    messageCount: new DataLoader<number, number>(async (ids) => {
      const rows = await em.find(Message, { ticket: { $in: [...ids] } }, { fields: ['id', 'ticket'] });
      const counts = new Map<number, number>();
      for (const row of rows) counts.set(row.ticket.id, (counts.get(row.ticket.id) ?? 0) + 1);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    feedback: new DataLoader<number, TicketFeedback | null>(async (ids) => {
      const rows = await em.find(TicketFeedback, { ticket: { $in: [...ids] } });
      const map = new Map(rows.map((r) => [r.ticket.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** An account's own proxy-access changes per ticket, oldest first. */
    proxyChanges: new DataLoader<ProxyChangesKey, ProxyAccessChange[], string>(
      async (keys) => {
        const ticketIds = [...new Set(keys.map((k) => k.ticketId))];
        const accountIds = [...new Set(keys.map((k) => k.accountId))];
        const rows = await em.find(ProxyAccessChange, { ticket: { $in: ticketIds }, account: { $in: accountIds } }, { orderBy: { changedAt: 'asc', id: 'asc' } });
        const groups = new Map<string, ProxyAccessChange[]>();
        for (const row of rows) {
          const key = proxyChangesKey({ ticketId: row.ticket.id, accountId: row.account.id });
          const list = groups.get(key);
          if (list) list.push(row);
          else groups.set(key, [row]);
        }
        return keys.map((k) => groups.get(proxyChangesKey(k)) ?? []);
      },
      { cacheKeyFn: proxyChangesKey },
    ),
  };
}

function proxyChangesKey(key: ProxyChangesKey): string {
  return `${key.ticketId}:${key.accountId}`;
}

export type Loaders = ReturnType<typeof createLoaders>;
