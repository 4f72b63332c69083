import { canListOrganizationTickets, canReadTicket, canUseTicketHistory, HISTORY_CUTOFF, type TicketAccessFacts } from '../auth/ticket-access';
import { badUserInput, forbidden } from '../auth/errors';
import type { Viewer } from '../auth/viewer';
import type { Context } from '../context';
import { placeholders, selectArrays, selectRows } from '../db/read-rows';
import { TICKET_COLUMNS, TicketRow, type TicketView } from '../db/ticket-rows';
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

/** A `where` clause under construction: SQL fragments joined by `and`, with their `?` parameters. */
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

/**
 * Ticket history read side: lists (HIST-1…5) and single tickets, with FED-1 and every visibility
 * rule applied through the functions in `src/auth`. Reads are plain rows over hand-written SQL
 * (src/db/ticket-rows.ts): this is the hottest path of the API (docs/performance.md).
 */
export class TicketQueryService {
  constructor(private readonly ctx: Context) {}

  /** HIST-2, HIST-4: a page of the viewer's tickets, sorted by created date, filtered by status and type; keyset-paginated on (createdAt, id). */
  async list(query: TicketListQuery): Promise<TicketPage> {
    const { viewer, em } = this.ctx;
    enforce(query.scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(viewer) : canUseTicketHistory(viewer));
    const where = this.scopeCondition(viewer, query.scope);
    if (query.status?.length) where.add(`t.status in (${placeholders(query.status.length)})`, ...query.status);
    if (query.type?.length) where.add(`t.kind in (${placeholders(query.type.length)})`, ...query.type);
    const search = query.search?.trim();
    if (search) this.addSearch(where, search);

    const { page } = query;
    // listing order as the client asked; a backward page walks it in reverse, then flips
    const ascending = query.direction === SortDirection.ASC;
    const walkAscending = page.forward ? ascending : !ascending;
    const paged = new Where().add(where.sql, ...where.params);
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor);
      const op = walkAscending ? '>' : '<';
      const at = this.dateParam(cursor.createdAt);
      paged.add(`(t.created_at ${op} ? or (t.created_at = ? and t.id ${op} ?))`, at, at, cursor.id);
    }
    const dir = walkAscending ? 'asc' : 'desc';
    const [rows, counted] = await Promise.all([
      page.size === 0
        ? Promise.resolve([])
        : selectArrays(em, `select ${TICKET_COLUMNS} from ticket t where ${paged.sql} order by t.created_at ${dir}, t.id ${dir} limit ?`, [...paged.params, page.size + 1]),
      selectRows<{ n: number | string }>(em, `select count(*) as n from ticket t where ${where.sql}`, where.params),
    ]);
    const hasMore = rows.length > page.size;
    const tickets = rows.slice(0, page.size).map((row) => new TicketRow(row));
    if (!page.forward) tickets.reverse();
    return {
      tickets,
      cursors: tickets.map(encodeCursor),
      hasNextPage: page.forward ? hasMore : page.cursor !== null,
      hasPreviousPage: page.forward ? page.cursor !== null : hasMore,
      totalCount: Number(counted[0].n),
    };
  }

  /** A date as the database compares it (epoch milliseconds on SQLite, a timestamp on PostgreSQL). */
  private dateParam(date: Date): unknown {
    return this.ctx.em.getPlatform().processDateProperty(date);
  }

  /** The rows a viewer's list may hold, before filters: HIST-1 (mine) or HIST-3 (organization), HIST-5 cutoff. */
  private scopeCondition(viewer: Viewer, scope: TicketScope): Where {
    const where = new Where().add('t.created_at >= ?', this.dateParam(HISTORY_CUTOFF));
    if (viewer.kind !== 'customer') return where;
    where.add('t.brand_id = ?', viewer.brandId);
    if (scope === TicketScope.ORGANIZATION) return where;
    return where.add('exists (select 1 from ticket_participant p where p.ticket_id = t.id and p.account_id = ?)', viewer.accountId);
  }

  /** Ticket number, escalation reference or subject words (case-insensitive; `%`, `_` and `\\` match themselves). */
  private addSearch(where: Where, search: string): void {
    const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const likeOp = this.ctx.em.getPlatform().constructor.name.startsWith('PostgreSql') ? 'ilike' : 'like';
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
    const [row] = await selectArrays(this.ctx.em, `select ${TICKET_COLUMNS} from ticket t where t.id = ?`, [id]);
    if (!row) return null;
    const ticket = new TicketRow(row);
    return (await this.canRead(ticket)) ? ticket : null;
  }

  /** Facts the access rules need, through the request's loaders. */
  async accessFacts(ticket: TicketView): Promise<TicketAccessFacts> {
    const participants = await this.ctx.loaders.participantsByTicket.load(ticket.id);
    return {
      brandId: ticket.brand.id,
      submitterId: ticket.submitter.id,
      participantIds: participants.map((p) => p.accountId),
      createdAt: ticket.createdAt,
    };
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

