import { canListOrganizationTickets, canReadTicket, canUseTicketHistory, type TicketAccessFacts, visibleTicketsWhere } from '../auth/ticket-access';
import { badUserInput, forbidden, InputErrorReason } from '../auth/errors';
import type { Context } from '../context';
import { accessFactsOf } from '../read/access-facts';
import { readTicketPage, readTicketRow, sortPositionParams, type SortPosition, type TicketRow, type TicketView } from '../read/tickets';
import { ChatTranscriptEntry, Escalation, Message, Ticket } from '../entities';
import {
  incidentHistorySince,
  SortDirection,
  TicketEscalationFilter,
  TicketOrderField,
  TicketScope,
  type InstantRange,
  type PageRequest,
} from '../domain/ticket-list';

export interface TicketListQuery {
  scope: TicketScope;
  status?: readonly string[] | null;
  type?: readonly string[] | null;
  search?: string | null;
  /** By escalation: any, none, or the HIST-8 incident history. */
  escalation?: TicketEscalationFilter | null;
  /** Only tickets whose escalation is in one of these statuses (ESC-3). */
  escalationStatus?: readonly string[] | null;
  createdAt?: InstantRange | null;
  closedAt?: InstantRange | null;
  order?: TicketOrderField;
  direction: SortDirection;
  page: PageRequest;
}

export interface TicketPage {
  tickets: TicketRow[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** Throws the GraphQL error for a refused decision. */
function enforce(decision: ReturnType<typeof canUseTicketHistory>): void {
  if (!decision.allowed) throw forbidden(decision.reason, decision.message);
}

/** A cursor: the order it belongs to and the row's key values in it (opaque to clients). */
function encodeCursor(order: TicketOrderField, position: SortPosition): string {
  return Buffer.from(JSON.stringify([order, ...position])).toString('base64url');
}

/** The keyset position of `cursor` for `order`; a malformed cursor, or one of another order, is BAD_USER_INPUT. */
function decodeCursor(order: TicketOrderField, cursor: string, argument: 'after' | 'before'): unknown[] {
  let params: unknown[] | null = null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === order) params = sortPositionParams(order, decoded.slice(1));
  } catch {
    params = null;
  }
  if (!params) throw badUserInput(`"${cursor}" is not a cursor of this list and order.`, argument, InputErrorReason.INVALID_CURSOR);
  return params;
}

/** A range with its ends in order; `from` after `to` is BAD_USER_INPUT. */
function checkRange(range: InstantRange | null | undefined, field: string): InstantRange | null {
  if (!range) return null;
  if (range.from && range.to && range.from.getTime() > range.to.getTime()) throw badUserInput(`\`${field}.from\` is after \`${field}.to\`.`, field, InputErrorReason.INVALID_RANGE);
  return range;
}

/**
 * Ticket history: lists (HIST-1…5) and single tickets, with FED-1 and every visibility rule applied
 * through the functions in `src/auth` (the list's SQL condition is `visibleTicketsWhere`, built from
 * the same rule as `canReadTicket`). Reads are plain rows of the read side (src/read/tickets.ts):
 * this is the hottest path of the API (docs/performance.md).
 */
export class TicketQueryService {
  constructor(private readonly ctx: Context) {}

  /**
   * HIST-2, HIST-4, HIST-8: a page of the viewer's tickets, sorted by created date, last activity,
   * status or escalation status, filtered by status, type, search, escalation (any, none, by status,
   * the incident history) and created/closed ranges; keyset-paginated on the order's keys.
   */
  async list(query: TicketListQuery): Promise<TicketPage> {
    const { viewer, em } = this.ctx;
    enforce(query.scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(viewer) : canUseTicketHistory(viewer));
    const { page } = query;
    const order = query.order ?? TicketOrderField.CREATED_AT;
    // listing order as the client asked; a backward page walks it in reverse, then flips
    const ascending = query.direction === SortDirection.ASC;
    const { rows, positions, totalCount } = await readTicketPage(em, {
      visible: visibleTicketsWhere(viewer, query.scope),
      status: query.status,
      type: query.type,
      search: query.search?.trim(),
      escalated: query.escalation === TicketEscalationFilter.ANY ? true : query.escalation === TicketEscalationFilter.NONE ? false : null,
      escalationStatus: query.escalationStatus,
      incidentsSince: query.escalation === TicketEscalationFilter.INCIDENT_HISTORY ? incidentHistorySince(this.ctx.now()) : null,
      createdAt: checkRange(query.createdAt, 'filter.createdAt'),
      closedAt: checkRange(query.closedAt, 'filter.closedAt'),
      order,
      ascending: page.forward ? ascending : !ascending,
      after: page.cursor ? decodeCursor(order, page.cursor, page.forward ? 'after' : 'before') : null,
      limit: page.size === 0 ? 0 : page.size + 1,
    });
    const hasMore = rows.length > page.size;
    const tickets = rows.slice(0, page.size);
    const cursors = positions.slice(0, page.size).map((position) => encodeCursor(order, position));
    if (!page.forward) {
      tickets.reverse();
      cursors.reverse();
    }
    return {
      tickets,
      cursors,
      hasNextPage: page.forward ? hasMore : page.cursor !== null,
      hasPreviousPage: page.forward ? page.cursor !== null : hasMore,
      totalCount,
    };
  }

  /**
   * One ticket by number, or null when it does not exist or the viewer may not read it (the two are
   * indistinguishable on purpose). FedRAMP viewers get FORBIDDEN/FEDRAMP_RESTRICTED (FED-1).
   */
  async findReadable(id: number): Promise<Ticket | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const ticket = await this.ctx.em.findOne(Ticket, { id });
    if (!ticket) return null;
    return (await this.canRead(ticket)) ? ticket : null;
  }

  /** `findReadable` for reading only (queries): the same rules, a plain row instead of a managed entity. */
  async findReadableRow(id: number): Promise<TicketRow | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const ticket = await readTicketRow(this.ctx.em, id);
    if (!ticket) return null;
    return (await this.canRead(ticket)) ? ticket : null;
  }

  /** Facts the access rules need, through the request's loaders. */
  async accessFacts(ticket: TicketView): Promise<TicketAccessFacts> {
    return accessFactsOf(ticket, await this.ctx.loaders.participantsByTicket.load(ticket.id));
  }

  async canRead(ticket: TicketView): Promise<boolean> {
    return canReadTicket(this.ctx.viewer, await this.accessFacts(ticket));
  }

  /** An escalation by id, readable when its ticket is. */
  async findReadableEscalation(id: number): Promise<Escalation | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const escalation = await this.ctx.em.findOne(Escalation, { id });
    if (!escalation) return null;
    const ticket = await this.findReadableRow(escalation.ticket.id);
    return ticket ? escalation : null;
  }

  /** An e-mail of a thread by id, readable when its ticket is (the same rule as `ticket(id)`). */
  async findReadableMessage(id: number): Promise<Message | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const message = await this.ctx.em.findOne(Message, { id });
    return message && (await this.findReadableRow(message.ticket.id)) ? message : null;
  }

  /** A chat transcript line by id, readable when its ticket is. */
  async findReadableTranscriptLine(id: number): Promise<ChatTranscriptEntry | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const line = await this.ctx.em.findOne(ChatTranscriptEntry, { id });
    return line && (await this.findReadableRow(line.ticket.id)) ? line : null;
  }
}

