import { canListOrganizationTickets, canReadTicket, canUseTicketHistory, type TicketAccessFacts, visibleTicketsWhere } from '../auth/ticket-access';
import { badUserInput, forbidden } from '../auth/errors';
import type { Context } from '../context';
import { accessFactsOf } from '../read/access-facts';
import { readTicketPage, readTicketRow, type TicketRow, type TicketView } from '../read/tickets';
import { Escalation, Ticket } from '../entities';
import { SortDirection, TicketScope, type PageRequest } from '../domain/ticket-list';

export interface TicketListQuery {
  scope: TicketScope;
  status?: readonly string[] | null;
  type?: readonly string[] | null;
  search?: string | null;
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

function encodeCursor(ticket: TicketView): string {
  return Buffer.from(JSON.stringify([ticket.createdAt.toISOString(), ticket.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: number } {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number];
    const createdAt = new Date(iso);
    if (Number.isNaN(createdAt.getTime()) || !Number.isSafeInteger(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw badUserInput(`"${cursor}" is not a valid cursor.`, 'after');
  }
}

/**
 * Ticket history: lists (HIST-1…5) and single tickets, with FED-1 and every visibility rule applied
 * through the functions in `src/auth` (the list's SQL condition is `visibleTicketsWhere`, built from
 * the same rule as `canReadTicket`). Reads are plain rows of the read side (src/read/tickets.ts):
 * this is the hottest path of the API (docs/performance.md).
 */
export class TicketQueryService {
  constructor(private readonly ctx: Context) {}

  /** HIST-2, HIST-4: a page of the viewer's tickets, sorted by created date, filtered by status and type; keyset-paginated on (createdAt, id). */
  async list(query: TicketListQuery): Promise<TicketPage> {
    const { viewer, em } = this.ctx;
    enforce(query.scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(viewer) : canUseTicketHistory(viewer));
    const { page } = query;
    // listing order as the client asked; a backward page walks it in reverse, then flips
    const ascending = query.direction === SortDirection.ASC;
    const { rows, totalCount } = await readTicketPage(em, {
      visible: visibleTicketsWhere(viewer, query.scope),
      status: query.status,
      type: query.type,
      search: query.search?.trim(),
      ascending: page.forward ? ascending : !ascending,
      after: page.cursor ? decodeCursor(page.cursor) : null,
      limit: page.size === 0 ? 0 : page.size + 1,
    });
    const hasMore = rows.length > page.size;
    const tickets = rows.slice(0, page.size);
    if (!page.forward) tickets.reverse();
    return {
      tickets,
      cursors: tickets.map(encodeCursor),
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
}

