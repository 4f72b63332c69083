import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import type { TicketRow } from '../../read/tickets';
import type { Escalation } from '../../entities';
import { prefetchTicketRelations } from '../../loaders';
import { TicketQueryService } from '../../services/ticket-query.service';
import { selectedFieldsAt } from '../types/look-ahead';
import { ConnectionArgs, pageRequest } from '../types/connection';
import { SortDirection, TicketScope } from '../types/enums';
import { fromGlobalId, Node, numericIdOf } from '../types/node';
import { TicketConnection, TicketFilter, TicketInterface, TicketOrder } from '../types/ticket.types';
import { badUserInput } from '../../auth/errors';

/** Ticket history queries (HIST, TKT, ESC, FED-1). */
@Resolver()
export class TicketResolver {
  @Authorized(Role.CUSTOMER)
  @Query(() => TicketConnection, { description: "The viewer's tickets (MINE) or, for brand admins, the organization's (HIST-1…5); with `filter: { escalation: INCIDENT_HISTORY }` the incident history (HIST-8)." })
  async tickets(
    @Ctx() ctx: Context,
    @Args(() => ConnectionArgs) paging: ConnectionArgs,
    @Arg('scope', () => TicketScope, { defaultValue: TicketScope.MINE, description: 'Whose tickets.' }) scope: TicketScope,
    @Arg('filter', () => TicketFilter, { nullable: true, description: 'Status, type, search, escalation and date-range filters.' }) filter?: TicketFilter | null,
    @Arg('orderBy', () => TicketOrder, { nullable: true, description: 'Sort order; newest first by default.' }) orderBy?: TicketOrder | null,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<TicketConnection> {
    const page = await new TicketQueryService(ctx).list({
      scope,
      status: filter?.status,
      type: filter?.type,
      search: filter?.search,
      escalation: filter?.escalation,
      escalationStatus: filter?.escalationStatus,
      createdAt: filter?.createdAt,
      closedAt: filter?.closedAt,
      order: orderBy?.field,
      direction: orderBy?.direction ?? SortDirection.DESC,
      page: pageRequest(paging),
    });
    if (info) {
      // the relations a list screen shows, loaded for the whole page up front (same statements as the loaders)
      const selected = selectedFieldsAt(info, ['edges', 'node']);
      await prefetchTicketRelations(ctx.loaders, page.tickets, {
        submitter: selected.has('submitter'),
        participants: selected.has('participants'),
        assignee: selected.has('assignee'),
        escalation: selected.has('escalation'),
      });
    }
    return {
      edges: page.tickets.map((node, i) => ({ node, cursor: page.cursors[i] })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      },
      totalCount: page.totalCount,
    };
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => TicketInterface, { nullable: true, description: 'One ticket, or null when it does not exist or is not visible to the viewer.' })
  ticket(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global ticket id.' }) id: string): Promise<TicketRow | null> {
    return new TicketQueryService(ctx).findReadableRow(numericIdOf('Ticket', id));
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => Node, { nullable: true, description: 'Any object by global id, or null when it does not exist or is not visible.' })
  node(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id.' }) id: string): Promise<TicketRow | Escalation | null> {
    return resolveNode(ctx, id);
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => [Node], { nullable: 'items', description: 'Objects by global ids (at most 100), in order; null for each one not found or not visible.' })
  nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[]): Promise<(TicketRow | Escalation | null)[]> {
    if (ids.length > 100) throw badUserInput('`ids` takes at most 100 ids.', 'ids');
    return Promise.all(ids.map((id) => resolveNode(ctx, id)));
  }
}

async function resolveNode(ctx: Context, id: string): Promise<TicketRow | Escalation | null> {
  const { type } = fromGlobalId(id);
  const service = new TicketQueryService(ctx);
  if (type === 'Ticket') return service.findReadableRow(numericIdOf('Ticket', id));
  if (type === 'Escalation') return service.findReadableEscalation(numericIdOf('Escalation', id));
  return null;
}
