import type { EntityManager } from '@mikro-orm/core';
import type { SqlCondition } from '../auth/ticket-access';
import { ESCALATION_ORDER, EscalationStatus, type ConferenceCallStatus, type ProductArea, type SupportLanguage, type SupportTopic, type TicketKind, type TicketStatus } from '../entities/enums';
import { TICKET_STATUS_ORDER, TicketOrderField, type InstantRange } from '../domain/ticket-list';
import { isPostgres, placeholders, selectArrays, selectRows, toBoolean, toDate, toNullableDate, withDateParams } from './driver';

/**
 * The tickets read model: the ticket page, single tickets and their columns as plain rows
 * (`TicketRow`), over the statements of `./driver`. Which tickets a viewer may see is not decided
 * here: the page takes the condition `visibleTicketsWhere` (src/auth/ticket-access.ts) builds.
 */

/** Phone request details of a ticket (CON-7), as the `PhoneDetails` embeddable holds them. */
export interface PhoneDetailsView {
  number: string;
  country: string;
  extension?: string | null;
  confirmationEmail: string;
  recordingConsent: boolean;
}

/** Conference call details of a ticket (TKT-4), as the `ConferenceDetails` embeddable holds them. */
export interface ConferenceDetailsView {
  scheduledAt: Date;
  callStatus: ConferenceCallStatus;
  meetingUrl?: string | null;
  passcode?: string | null;
  screenShare: boolean;
  cancelledAt?: Date | null;
}

/**
 * What the GraphQL ticket types read of a ticket. Both the managed `Ticket` entity (mutations hand
 * back the ticket they changed) and the plain `TicketRow` of the read path satisfy it, so every field
 * resolver and access rule works on either.
 */
export interface TicketView {
  id: number;
  kind: TicketKind;
  status: TicketStatus;
  subject: string;
  /** Absent on rows of the read path: a long text a list rarely shows, loaded when asked for. */
  description?: string;
  descriptionLanguage: string;
  supportLanguage: SupportLanguage;
  productArea: ProductArea;
  /** CON-2: the topic picked on the contact page, if any. */
  topic?: SupportTopic | null;
  brand: { id: string };
  submitter: { id: string };
  assignee?: { id: string } | null;
  enterprise: boolean;
  awaitingVerification: boolean;
  enterpriseAccessAllowed?: boolean | null;
  verifiedAt?: Date | null;
  enterpriseHandoverAt?: Date | null;
  phone?: PhoneDetailsView | null;
  conference?: ConferenceDetailsView | null;
  createdAt: Date;
  lastActivityAt: Date;
  closedAt?: Date | null;
}

/**
 * The ticket columns the read path selects (alias `t`), in the order `TicketRow` reads them: all but
 * `description`, the one column that can be long (selecting it made the page query four times
 * slower on the bench data); the `description` field loads it in one batch when a query asks for it.
 */
const COLUMNS = [
  'id',
  'kind',
  'status',
  'subject',
  'description_language',
  'support_language',
  'product_area',
  'topic',
  'brand_id',
  'submitter_id',
  'assignee_id',
  'enterprise',
  'awaiting_verification',
  'enterprise_access_allowed',
  'verified_at',
  'enterprise_handover_at',
  'phone_number',
  'phone_country',
  'phone_extension',
  'phone_confirmation_email',
  'phone_recording_consent',
  'conference_scheduled_at',
  'conference_call_status',
  'conference_meeting_url',
  'conference_passcode',
  'conference_screen_share',
  'conference_cancelled_at',
  'created_at',
  'last_activity_at',
  'closed_at',
] as const;

/** The select list of `COLUMNS`; rows come back as arrays (`selectArrays`) in this order. */
export const TICKET_COLUMNS = COLUMNS.map((c) => `t.${c}`).join(', ');

/** Position of each column in a row array. */
const AT = Object.fromEntries(COLUMNS.map((column, i) => [column, i])) as { readonly [C in (typeof COLUMNS)[number]]: number };

function toNullableBoolean(value: unknown): boolean | null {
  return value === null || value === undefined ? null : toBoolean(value);
}

/**
 * A ticket read as a plain row (the hot read path: lists, `ticket(id)`, `node`), not a managed
 * entity: no identity map, no change tracking, no reference objects to build. Read-only by design;
 * services that change a ticket load the entity.
 */
export class TicketRow implements TicketView {
  readonly id: number;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly subject: string;
  readonly descriptionLanguage: string;
  readonly supportLanguage: SupportLanguage;
  readonly productArea: ProductArea;
  readonly topic: SupportTopic | null;
  readonly brand: { id: string };
  readonly submitter: { id: string };
  readonly assignee: { id: string } | null;
  readonly enterprise: boolean;
  readonly awaitingVerification: boolean;
  readonly enterpriseAccessAllowed: boolean | null;
  readonly verifiedAt: Date | null;
  readonly enterpriseHandoverAt: Date | null;
  readonly phone: PhoneDetailsView | null;
  readonly conference: ConferenceDetailsView | null;
  readonly createdAt: Date;
  readonly lastActivityAt: Date;
  readonly closedAt: Date | null;

  /** `values`: one row of `select ${TICKET_COLUMNS}` as an array. */
  constructor(values: readonly unknown[]) {
    this.id = Number(values[AT.id]);
    this.kind = values[AT.kind] as TicketKind;
    this.status = values[AT.status] as TicketStatus;
    this.subject = values[AT.subject] as string;
    this.descriptionLanguage = values[AT.description_language] as string;
    this.supportLanguage = values[AT.support_language] as SupportLanguage;
    this.productArea = values[AT.product_area] as ProductArea;
    this.topic = (values[AT.topic] as SupportTopic | null | undefined) ?? null;
    this.brand = { id: values[AT.brand_id] as string };
    this.submitter = { id: values[AT.submitter_id] as string };
    this.assignee = values[AT.assignee_id] === null || values[AT.assignee_id] === undefined ? null : { id: values[AT.assignee_id] as string };
    this.enterprise = toBoolean(values[AT.enterprise]);
    this.awaitingVerification = toBoolean(values[AT.awaiting_verification]);
    this.enterpriseAccessAllowed = toNullableBoolean(values[AT.enterprise_access_allowed]);
    this.verifiedAt = toNullableDate(values[AT.verified_at]);
    this.enterpriseHandoverAt = toNullableDate(values[AT.enterprise_handover_at]);
    // an embedded object is present when its required column is (the entity's nullable embeddables)
    this.phone =
      values[AT.phone_number] === null || values[AT.phone_number] === undefined
        ? null
        : {
            number: values[AT.phone_number] as string,
            country: values[AT.phone_country] as string,
            extension: (values[AT.phone_extension] as string | null) ?? null,
            confirmationEmail: values[AT.phone_confirmation_email] as string,
            recordingConsent: toBoolean(values[AT.phone_recording_consent]),
          };
    this.conference =
      values[AT.conference_scheduled_at] === null || values[AT.conference_scheduled_at] === undefined
        ? null
        : {
            scheduledAt: toDate(values[AT.conference_scheduled_at]),
            callStatus: values[AT.conference_call_status] as ConferenceCallStatus,
            meetingUrl: (values[AT.conference_meeting_url] as string | null) ?? null,
            passcode: (values[AT.conference_passcode] as string | null) ?? null,
            screenShare: toBoolean(values[AT.conference_screen_share]),
            cancelledAt: toNullableDate(values[AT.conference_cancelled_at]),
          };
    this.createdAt = toDate(values[AT.created_at]);
    this.lastActivityAt = toDate(values[AT.last_activity_at]);
    this.closedAt = toNullableDate(values[AT.closed_at]);
  }
}

/** A `where` clause under construction: SQL conditions joined by `and`, with their `?` parameters. */
class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  get sql(): string {
    return this.parts.join(' and ');
  }
}

/** A sort key of a ticket list: its SQL expression and how its value travels in a cursor. */
interface SortKey {
  sql: string;
  kind: 'date' | 'number';
}

/** `case <column> when 'A' then 0 when 'B' then 1 … end`: a status's position in its order, in SQL. */
function rankOf(column: string, order: readonly string[]): string {
  return `case ${column} ${order.map((value, i) => `when '${value}' then ${i}`).join(' ')} end`;
}

const CREATED: SortKey = { sql: 't.created_at', kind: 'date' };
const NUMBER: SortKey = { sql: 't.id', kind: 'number' };

/**
 * The keys of each order (HIST-4, HIST-8), most significant first; all end in the ticket number, so
 * no two rows tie and a keyset cursor (the row's key values) is exact. Tickets never escalated rank
 * -1 by escalation status (one escalation per ticket: the subquery reads one indexed row).
 */
const ORDER_KEYS: Readonly<Record<TicketOrderField, readonly SortKey[]>> = {
  [TicketOrderField.CREATED_AT]: [CREATED, NUMBER],
  [TicketOrderField.LAST_ACTIVITY_AT]: [{ sql: 't.last_activity_at', kind: 'date' }, NUMBER],
  [TicketOrderField.STATUS]: [{ sql: rankOf('t.status', TICKET_STATUS_ORDER), kind: 'number' }, CREATED, NUMBER],
  [TicketOrderField.ESCALATION_STATUS]: [
    { sql: `coalesce((select ${rankOf('e.status', ESCALATION_ORDER)} from escalation e where e.ticket_id = t.id), -1)`, kind: 'number' },
    CREATED,
    NUMBER,
  ],
};

/** A keyset position: the values of an order's keys, as a cursor carries them (dates as ISO strings). */
export type SortPosition = readonly (string | number)[];

/**
 * The key values of `order` checked and converted for SQL, or null when `position` does not fit the
 * order (another order's cursor, or a forged one).
 */
export function sortPositionParams(order: TicketOrderField, position: readonly unknown[]): unknown[] | null {
  const keys = ORDER_KEYS[order];
  if (position.length !== keys.length) return null;
  const params: unknown[] = [];
  for (const [i, key] of keys.entries()) {
    const value = position[i];
    if (key.kind === 'number') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return null;
      params.push(value);
    } else {
      const date = typeof value === 'string' ? new Date(value) : null;
      if (!date || Number.isNaN(date.getTime())) return null;
      params.push(date);
    }
  }
  return params;
}

/** One page of a ticket list: which tickets (visibility and filters), in which order, where it starts, how many rows. */
export interface TicketPageQuery {
  /** The viewer's visibility condition (`visibleTicketsWhere`). */
  visible: SqlCondition;
  status?: readonly string[] | null;
  type?: readonly string[] | null;
  /** Ticket number, escalation reference or subject words (already trimmed; empty means none). */
  search?: string | null;
  /** Tickets with an escalation, or without one. */
  escalated?: boolean | null;
  /** Tickets whose escalation is in one of these statuses. */
  escalationStatus?: readonly string[] | null;
  /** HIST-8: tickets whose escalation is unresolved or was resolved at or after this instant. */
  incidentsSince?: Date | null;
  createdAt?: InstantRange | null;
  /** Closed in this range (open tickets never match). */
  closedAt?: InstantRange | null;
  order: TicketOrderField;
  /** The direction the page walks. */
  ascending: boolean;
  /** Keyset position the page starts after, exclusive (`sortPositionParams`). */
  after?: readonly unknown[] | null;
  /** Rows to read; 0 reads only the count. */
  limit: number;
}

/** `column >= from and column < to`, for the ends a range has. */
function addRange(where: Where, column: string, range: InstantRange | null | undefined): void {
  if (range?.from) where.add(`${column} >= ?`, range.from);
  if (range?.to) where.add(`${column} < ?`, range.to);
}

/** The filters of a page (visibility included), without its position. */
function filtersOf(em: EntityManager, query: TicketPageQuery): Where {
  const where = new Where().add(query.visible.sql, ...query.visible.params);
  if (query.status?.length) where.add(`t.status in (${placeholders(query.status.length)})`, ...query.status);
  if (query.type?.length) where.add(`t.kind in (${placeholders(query.type.length)})`, ...query.type);
  if (query.search) addSearch(em, where, query.search);
  const escalation = 'select 1 from escalation e where e.ticket_id = t.id';
  if (query.escalated != null) where.add(`${query.escalated ? '' : 'not '}exists (${escalation})`);
  if (query.escalationStatus?.length) where.add(`exists (${escalation} and e.status in (${placeholders(query.escalationStatus.length)}))`, ...query.escalationStatus);
  if (query.incidentsSince) where.add(`exists (${escalation} and (e.status <> ? or e.resolved_at >= ?))`, EscalationStatus.RESOLVED, query.incidentsSince);
  addRange(where, 't.created_at', query.createdAt);
  addRange(where, 't.closed_at', query.closedAt);
  return where;
}

/**
 * A page of tickets in walk order, each row's keyset position, and the number of tickets the list
 * holds (filters applied, page position not): two statements run together, or only the count for a
 * page of 0. The statements do not depend on the page size: a page of 50 costs what a page of 5 does.
 */
export async function readTicketPage(em: EntityManager, query: TicketPageQuery): Promise<{ rows: TicketRow[]; positions: SortPosition[]; totalCount: number }> {
  const where = filtersOf(em, query);
  const keys = ORDER_KEYS[query.order];
  const paged = new Where().add(where.sql, ...where.params);
  // row values compare key by key, as the order does (SQLite ≥ 3.15 and PostgreSQL alike)
  if (query.after) paged.add(`(${keys.map((k) => k.sql).join(', ')}) ${query.ascending ? '>' : '<'} (${placeholders(keys.length)})`, ...query.after);
  const dir = query.ascending ? 'asc' : 'desc';
  const [arrays, counted] = await Promise.all([
    query.limit === 0
      ? Promise.resolve([])
      : selectArrays(
          em,
          `select ${TICKET_COLUMNS}, ${keys.map((k) => k.sql).join(', ')} from ticket t where ${paged.sql} order by ${keys.map((k) => `${k.sql} ${dir}`).join(', ')} limit ?`,
          [...withDateParams(em, paged.params), query.limit],
        ),
    selectRows<{ n: number | string }>(em, `select count(*) as n from ticket t where ${where.sql}`, withDateParams(em, where.params)),
  ]);
  const positions = arrays.map((values) => keys.map((key, i) => (key.kind === 'date' ? toDate(values[COLUMNS.length + i]).toISOString() : Number(values[COLUMNS.length + i]))));
  return { rows: arrays.map((values) => new TicketRow(values)), positions, totalCount: Number(counted[0].n) };
}

/** Ticket number, escalation reference or subject words (case-insensitive; `%`, `_` and `\\` match themselves). */
function addSearch(em: EntityManager, where: Where, search: string): void {
  const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const likeOp = isPostgres(em) ? 'ilike' : 'like';
  const options = [`t.subject ${likeOp} ? escape '\\'`];
  const params: unknown[] = [like];
  const digits = /^#?(\d{1,15})$/.exec(search);
  if (digits) {
    options.push('t.id = ?');
    params.push(Number(digits[1]));
  }
  options.push(`exists (select 1 from escalation e where e.ticket_id = t.id and e.reference ${likeOp} ? escape '\\')`);
  params.push(like);
  where.add(`(${options.join(' or ')})`, ...params);
}

/** One ticket by number as a plain row, or null; whether the viewer may read it is the caller's rule. */
export async function readTicketRow(em: EntityManager, id: number): Promise<TicketRow | null> {
  const [row] = await selectArrays(em, `select ${TICKET_COLUMNS} from ticket t where t.id = ?`, [id]);
  return row ? new TicketRow(row) : null;
}
