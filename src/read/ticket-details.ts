import type { EntityManager } from '@mikro-orm/core';
import type { EscalationStatus, MessageAuthorKind, ProductArea } from '../entities';
import { inChunks, placeholders, selectRows, toDate, toNullableDate, type Row } from './driver';

/**
 * The ticket details read model: what a ticket page and a ticket's detail show of the rows around a
 * ticket (names of its people, escalation and timeline, e-mails, description), one statement per
 * batch of keys (`where <key> in (…)`, chunked and padded by `inChunks`), plain objects with the
 * entities' property names. The request's loaders (src/loaders) batch and cache them.
 */

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
  /** The customer account that wrote it (null for agents' e-mails and mail from outside the hub's accounts). */
  authorAccountId: string | null;
  /** The agent that wrote it (null for customers' e-mails). */
  authorAgentId: string | null;
  subject: string;
  bodyHtml: string;
  recipients: string[];
  createdAt: Date;
}

export interface TimelineRow {
  status: EscalationStatus;
  reachedAt: Date;
}

/** The rows of `sql` for `keys`, grouped by their `key` column, in the order the statement gives them. */
async function grouped<K extends string | number, T>(em: EntityManager, keys: readonly K[], sql: (inList: string) => string, key: string, map: (row: Row) => T): Promise<Map<K, T[]>> {
  const rows = await inChunks(keys, (chunk) => selectRows(em, sql(placeholders(chunk.length)), chunk));
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    // PostgreSQL and SQLite both give integer keys as numbers; string keys stay strings
    const k = row[key] as K;
    const list = groups.get(k);
    if (list) list.push(map(row));
    else groups.set(k, [map(row)]);
  }
  return groups;
}

/** The first row of each key (`id` columns: at most one). */
async function single<K extends string | number, T>(em: EntityManager, keys: readonly K[], sql: (inList: string) => string, key: string, map: (row: Row) => T): Promise<Map<K, T>> {
  const groups = await grouped(em, keys, sql, key, map);
  return new Map([...groups].map(([k, list]) => [k, list[0]]));
}

export function readAccountNames(em: EntityManager, ids: readonly string[]): Promise<Map<string, AccountName>> {
  return single(em, ids, (inList) => `select id, username, first_name, last_name from account where id in (${inList})`, 'id', (row) => ({
    id: row.id as string,
    username: row.username as string,
    firstName: row.first_name as string,
    lastName: row.last_name as string,
  }));
}

export function readAgentNames(em: EntityManager, ids: readonly string[]): Promise<Map<string, AgentName>> {
  return single(em, ids, (inList) => `select id, display_name from agent where id in (${inList})`, 'id', (row) => ({ id: row.id as string, displayName: row.display_name as string }));
}

/** Each ticket's escalation (a ticket has at most one). */
export function readEscalationsByTicket(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, EscalationRow>> {
  return single(
    em,
    ticketIds,
    (inList) => `select id, ticket_id, reference, problem_description, product_area, status, estimated_resolution_at, submitted_at, resolved_at from escalation where ticket_id in (${inList})`,
    'ticket_id',
    (row) => ({
      id: Number(row.id),
      reference: row.reference as string,
      problemDescription: row.problem_description as string,
      productArea: row.product_area as ProductArea,
      status: row.status as EscalationStatus,
      estimatedResolutionAt: toNullableDate(row.estimated_resolution_at),
      submittedAt: toDate(row.submitted_at),
      resolvedAt: toNullableDate(row.resolved_at),
    }),
  );
}

/** Each escalation's timeline, oldest first (ESC-2, ESC-3). */
export function readTimelines(em: EntityManager, escalationIds: readonly number[]): Promise<Map<number, TimelineRow[]>> {
  return grouped(
    em,
    escalationIds,
    (inList) => `select escalation_id, status, reached_at from escalation_timeline_entry where escalation_id in (${inList}) order by reached_at asc, id asc`,
    'escalation_id',
    (row) => ({ status: row.status as EscalationStatus, reachedAt: toDate(row.reached_at) }),
  );
}

/** Each ticket's description: the one long column the ticket rows leave out (src/read/tickets.ts). */
export function readDescriptions(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, string>> {
  return single(em, ticketIds, (inList) => `select id, description from ticket where id in (${inList})`, 'id', (row) => row.description as string);
}

/** Each ticket's e-mail thread, oldest first (TKT-2). */
export function readMessages(em: EntityManager, ticketIds: readonly number[]): Promise<Map<number, MessageRow[]>> {
  return grouped(
    em,
    ticketIds,
    (inList) => `select id, ticket_id, author_kind, author_account_id, author_agent_id, subject, body_html, recipients, created_at from message where ticket_id in (${inList}) order by created_at asc, id asc`,
    'ticket_id',
    (row) => ({
      id: Number(row.id),
      authorKind: row.author_kind as MessageAuthorKind,
      authorAccountId: (row.author_account_id as string | null) ?? null,
      authorAgentId: (row.author_agent_id as string | null) ?? null,
      subject: row.subject as string,
      bodyHtml: row.body_html as string,
      // a JSON column: text on SQLite, already parsed by the PostgreSQL driver
      recipients: (typeof row.recipients === 'string' ? JSON.parse(row.recipients) : (row.recipients ?? [])) as string[],
      createdAt: toDate(row.created_at),
    }),
  );
}
