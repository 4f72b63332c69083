import type { EntityManager } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { inListParams, placeholders, selectRows, toDate, toNullableDate, type Row } from '../db/read-rows';
import { createResolutionStatsLoader } from '../services/escalation-estimate.service';
import {
  Attachment,
  Brand,
  ChatTranscriptEntry,
  Escalation,
  type EscalationStatus,
  type MessageAuthorKind,
  type ParticipantRole,
  type ProductArea,
  SharedResource,
  TicketReference,
} from '../entities';

/** What ticket fields show of an account (submitter, participants). */
export interface AccountName {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
}

/** What ticket fields show of an agent (assignee). */
export interface AgentName {
  id: string;
  displayName: string;
}

/** One participant of a ticket: who, and how they are associated (also an access fact, HIST-3). */
export interface ParticipantRow {
  accountId: string;
  role: ParticipantRole;
}

/** The columns of an escalation a ticket shows (ESC-1…4); the same names as the entity's properties. */
export interface EscalationRow {
  id: number;
  reference: string;
  problemDescription: string;
  productArea: ProductArea;
  status: EscalationStatus;
  estimatedResolutionAt: Date | null;
  submittedAt: Date;
  resolvedAt: Date | null;
}

/** One e-mail of a ticket thread (TKT-2); the same names as the entity's properties. */
export interface MessageRow {
  id: number;
  authorKind: MessageAuthorKind;
  subject: string;
  bodyHtml: string;
  recipients: string[];
  createdAt: Date;
}

export interface TimelineRow {
  status: EscalationStatus;
  reachedAt: Date;
}

/**
 * Read-only batch over plain rows (src/db/read-rows.ts): one `select … where <key> in (…)` per batch,
 * no entities; the rows grouped by `key`, in the order the SQL gives them.
 */
function rowsBy<K extends string | number, T>(em: EntityManager, sql: (inList: string) => string, key: string, map: (row: Row) => T) {
  return async (ids: readonly K[]): Promise<Map<K, T[]>> => {
    const values = inListParams(ids);
    const rows = await selectRows(em, sql(placeholders(values.length)), values);
    const groups = new Map<K, T[]>();
    for (const row of rows) {
      // PostgreSQL and SQLite both give integer keys as numbers; string keys stay strings
      const k = row[key] as K;
      const list = groups.get(k);
      if (list) list.push(map(row));
      else groups.set(k, [map(row)]);
    }
    return groups;
  };
}

function plainById<K extends string | number, T>(em: EntityManager, sql: (inList: string) => string, map: (row: Row) => T) {
  const load = rowsBy<K, T>(em, sql, 'id', map);
  return new DataLoader<K, T | null>(async (ids) => {
    const groups = await load(ids);
    return ids.map((id) => groups.get(id)?.[0] ?? null);
  });
}

function plainGrouped<T>(em: EntityManager, sql: (inList: string) => string, key: string, map: (row: Row) => T) {
  const load = rowsBy<number, T>(em, sql, key, map);
  return new DataLoader<number, T[]>(async (ids) => {
    const groups = await load(ids);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

const toEscalationRow = (row: Row): EscalationRow => ({
  id: Number(row.id),
  reference: row.reference as string,
  problemDescription: row.problem_description as string,
  productArea: row.product_area as ProductArea,
  status: row.status as EscalationStatus,
  estimatedResolutionAt: toNullableDate(row.estimated_resolution_at),
  submittedAt: toDate(row.submitted_at),
  resolvedAt: toNullableDate(row.resolved_at),
});

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

/**
 * Every loader of one request (or one subscription event): built fresh with the request's entity
 * manager fork, so nothing cached outlives it.
 */
export function createLoaders(em: EntityManager) {
  return {
    known: { participantsByTicket: new Map(), accounts: new Map(), agents: new Map(), escalationByTicket: new Map() } as KnownRows,
    // the ticket read path (lists, details, access facts): plain rows, see src/db/read-rows.ts
    account: plainById<string, AccountName>(
      em,
      (ids) => `select id, username, first_name, last_name from account where id in (${ids})`,
      (row) => ({ id: row.id as string, username: row.username as string, firstName: row.first_name as string, lastName: row.last_name as string }),
    ),
    agent: plainById<string, AgentName>(
      em,
      (ids) => `select id, display_name from agent where id in (${ids})`,
      (row) => ({ id: row.id as string, displayName: row.display_name as string }),
    ),
    participantsByTicket: plainGrouped<ParticipantRow>(
      em,
      (ids) => `select ticket_id, account_id, role from ticket_participant where ticket_id in (${ids}) order by added_at asc, id asc`,
      'ticket_id',
      (row) => ({ accountId: row.account_id as string, role: row.role as ParticipantRole }),
    ),
    escalationByTicket: new DataLoader<number, EscalationRow | null>(async (ticketIds) => {
      const groups = await rowsBy<number, EscalationRow & { ticketId: number }>(
        em,
        (ids) =>
          `select id, ticket_id, reference, problem_description, product_area, status, estimated_resolution_at, submitted_at, resolved_at from escalation where ticket_id in (${ids})`,
        'ticket_id',
        (row) => ({ ...toEscalationRow(row), ticketId: Number(row.ticket_id) }),
      )(ticketIds);
      return ticketIds.map((id) => {
        const found = groups.get(id)?.[0];
        if (!found) return null;
        const { ticketId: _ticketId, ...escalation } = found;
        return escalation;
      });
    }),
    timelineByEscalation: plainGrouped<TimelineRow>(
      em,
      (ids) => `select escalation_id, status, reached_at from escalation_timeline_entry where escalation_id in (${ids}) order by reached_at asc, id asc`,
      'escalation_id',
      (row) => ({ status: row.status as EscalationStatus, reachedAt: toDate(row.reached_at) }),
    ),
    ticketDescription: plainById<number, string>(em, (ids) => `select id, description from ticket where id in (${ids})`, (row) => row.description as string),
    brand: byId<Brand, string>(em, Brand, 'id'),
    escalation: byId<Escalation, number>(em, Escalation, 'id'),
    referencesByTicket: groupedBy(em, TicketReference, 'ticket', { id: 'asc' }),
    messagesByTicket: plainGrouped<MessageRow>(
      em,
      (ids) => `select id, ticket_id, author_kind, subject, body_html, recipients, created_at from message where ticket_id in (${ids}) order by created_at asc, id asc`,
      'ticket_id',
      (row) => ({
        id: Number(row.id),
        authorKind: row.author_kind as MessageAuthorKind,
        subject: row.subject as string,
        bodyHtml: row.body_html as string,
        // a JSON column: text on SQLite, already parsed by the PostgreSQL driver
        recipients: (typeof row.recipients === 'string' ? JSON.parse(row.recipients) : (row.recipients ?? [])) as string[],
        createdAt: toDate(row.created_at),
      }),
    ),
    attachmentsByMessage: groupedBy(em, Attachment, 'message', { id: 'asc' }),
    transcriptByTicket: groupedBy(em, ChatTranscriptEntry, 'ticket', { sentAt: 'asc', id: 'asc' }),
    resourcesByTicket: groupedBy(em, SharedResource, 'ticket', { sharedAt: 'asc', id: 'asc' }),
    resolutionStats: createResolutionStatsLoader(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
