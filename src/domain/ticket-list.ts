import { TicketStatus } from '../entities/enums';

/** HIST-3: whose tickets a list holds. */
export enum TicketScope {
  MINE = 'MINE',
  ORGANIZATION = 'ORGANIZATION',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

/**
 * HIST-4, HIST-8: what a ticket list is sorted by. Every order ends in the ticket number, so rows
 * with equal keys keep one order and keyset cursors stay exact across pages.
 */
export enum TicketOrderField {
  /** Created date, then number (HIST-4). */
  CREATED_AT = 'CREATED_AT',
  /** Last-activity date, then number (the seed's "last activity" column). */
  LAST_ACTIVITY_AT = 'LAST_ACTIVITY_AT',
  /** Ticket status in `TICKET_STATUS_ORDER`, then created date, then number (HIST-8). */
  STATUS = 'STATUS',
  /** Escalation status in ESC-3 order (tickets never escalated first), then created date, then number (HIST-8). */
  ESCALATION_STATUS = 'ESCALATION_STATUS',
}

/**
 * Which tickets a list keeps by escalation. A ticket counts as escalated when it has an escalation,
 * whatever its own status: a closed escalated ticket is still an incident (HIST-8).
 */
export enum TicketEscalationFilter {
  /** Tickets with an escalation, open or closed, resolved or not. */
  ANY = 'ANY',
  /** Tickets never escalated. */
  NONE = 'NONE',
  /** HIST-8: the incident history: unresolved escalations, and those resolved in the last six months. */
  INCIDENT_HISTORY = 'INCIDENT_HISTORY',
}

/** An instant range: `from` inclusive, `to` exclusive; either may be open. */
export interface InstantRange {
  from?: Date | null;
  to?: Date | null;
}

/** How far back resolved escalations stay in the incident history (HIST-8). */
export const INCIDENT_HISTORY_MONTHS = 6;

/**
 * HIST-8: the incident history holds every unresolved escalation and those resolved at or after
 * this instant: six calendar months before `now` (UTC; the 31st falls back to the month's last day).
 */
export function incidentHistorySince(now: Date): Date {
  const since = new Date(now.getTime());
  const day = since.getUTCDate();
  since.setUTCDate(1);
  since.setUTCMonth(since.getUTCMonth() - INCIDENT_HISTORY_MONTHS);
  const lastDay = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth() + 1, 0)).getUTCDate();
  since.setUTCDate(Math.min(day, lastDay));
  return since;
}

/** HIST-8: the order `STATUS` sorts in, ascending: open, then escalated, then closed. */
export const TICKET_STATUS_ORDER: readonly TicketStatus[] = [TicketStatus.OPEN, TicketStatus.ESCALATED, TicketStatus.CLOSED];

/** A validated page request: direction, size and the cursor to start from. */
export interface PageRequest {
  forward: boolean;
  size: number;
  cursor: string | null;
}
