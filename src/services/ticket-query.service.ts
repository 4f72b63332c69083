import type { FilterQuery } from '@mikro-orm/core';
import { canListOrganizationTickets, canReadTicket, canUseTicketHistory, HISTORY_CUTOFF, type TicketAccessFacts } from '../auth/ticket-access';
import { badUserInput, forbidden } from '../auth/errors';
import type { Viewer } from '../auth/viewer';
import type { Context } from '../context';
import { Escalation, Ticket } from '../entities';
import type { PageRequest } from '../resolvers/types/connection';
import { SortDirection, TicketScope } from '../resolvers/types/enums';

export interface TicketListQuery {
  scope: TicketScope;
  status?: readonly string[] | null;
  type?: readonly string[] | null;
  search?: string | null;
  direction: SortDirection;
  page: PageRequest;
}

export interface TicketPage {
  tickets: Ticket[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/** Throws the GraphQL error for a refused decision. */
function enforce(decision: ReturnType<typeof canUseTicketHistory>): void {
  if (!decision.allowed) throw forbidden(decision.reason, decision.message);
}

function encodeCursor(ticket: Ticket): string {
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

/** Keyset condition for rows strictly after (`gt`) or before the cursor in (createdAt, id) order. */
function keyset(cursor: { createdAt: Date; id: number }, greater: boolean): FilterQuery<Ticket> {
  const op = greater ? '$gt' : '$lt';
  return { $or: [{ createdAt: { [op]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [op]: cursor.id } }] } as FilterQuery<Ticket>;
}

/** The rows a viewer's list may hold, before filters: HIST-1 (mine) or HIST-3 (organization), HIST-5 cutoff. */
function scopeCondition(viewer: Viewer, scope: TicketScope): FilterQuery<Ticket> {
  if (viewer.kind !== 'customer') return { createdAt: { $gte: HISTORY_CUTOFF } };
  const base = { brand: viewer.brandId, createdAt: { $gte: HISTORY_CUTOFF } };
  if (scope === TicketScope.ORGANIZATION) return base;
  return { ...base, participants: { account: viewer.accountId } } as FilterQuery<Ticket>;
}

/**
 * Ticket history read side: lists (HIST-1…5) and single tickets, with FED-1 and every visibility
 * rule applied through the functions in `src/auth`.
 */
export class TicketQueryService {
  constructor(private readonly ctx: Context) {}

  /** A page of the viewer's tickets; keyset-paginated on (createdAt, id). */
  async list(query: TicketListQuery): Promise<TicketPage> {
    const { viewer, em } = this.ctx;
    enforce(query.scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(viewer) : canUseTicketHistory(viewer));
    const conditions: FilterQuery<Ticket>[] = [scopeCondition(viewer, query.scope)];
    if (query.status?.length) conditions.push({ status: { $in: [...query.status] } } as FilterQuery<Ticket>);
    if (query.type?.length) conditions.push({ kind: { $in: [...query.type] } } as FilterQuery<Ticket>);
    const search = query.search?.trim();
    if (search) conditions.push(this.searchCondition(search));
    const where = { $and: conditions } as FilterQuery<Ticket>;

    const { page } = query;
    // listing order as the client asked; a backward page walks it in reverse, then flips
    const ascending = query.direction === SortDirection.ASC;
    const walkAscending = page.forward ? ascending : !ascending;
    const paged = page.cursor ? ({ $and: [where, keyset(decodeCursor(page.cursor), walkAscending)] } as FilterQuery<Ticket>) : where;
    const dir = walkAscending ? 'asc' : 'desc';
    const [rows, totalCount] = await Promise.all([
      page.size === 0 ? Promise.resolve([] as Ticket[]) : em.find(Ticket, paged, { orderBy: { createdAt: dir, id: dir }, limit: page.size + 1 }),
      em.count(Ticket, where),
    ]);
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

  /** Ticket number, escalation reference or subject words (case-insensitive). */
  private searchCondition(search: string): FilterQuery<Ticket> {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const likeOp = this.ctx.em.getPlatform().constructor.name.startsWith('PostgreSql') ? '$ilike' : '$like';
    const options: FilterQuery<Ticket>[] = [{ subject: { [likeOp]: like } } as FilterQuery<Ticket>];
    const digits = /^#?(\d{1,15})$/.exec(search);
    if (digits) options.push({ id: Number(digits[1]) });
    options.push({ escalation: { reference: { [likeOp]: like } } } as FilterQuery<Ticket>);
    return { $or: options } as FilterQuery<Ticket>;
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

  /** Facts the access rules need, through the request's loaders. */
  async accessFacts(ticket: Ticket): Promise<TicketAccessFacts> {
    const participants = await this.ctx.loaders.participantsByTicket.load(ticket.id);
    return {
      brandId: ticket.brand.id,
      submitterId: ticket.submitter.id,
      participantIds: participants.map((p) => p.accountId),
      createdAt: ticket.createdAt,
    };
  }

  async canRead(ticket: Ticket): Promise<boolean> {
    return canReadTicket(this.ctx.viewer, await this.accessFacts(ticket));
  }

  /** An escalation by id, readable when its ticket is. */
  async findReadableEscalation(id: number): Promise<Escalation | null> {
    enforce(canUseTicketHistory(this.ctx.viewer));
    const escalation = await this.ctx.em.findOne(Escalation, { id });
    if (!escalation) return null;
    const ticket = await this.findReadable(escalation.ticket.id);
    return ticket ? escalation : null;
  }
}

