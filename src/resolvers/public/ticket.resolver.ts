import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import type { TicketRow } from '../../read/tickets';
import { prefetchTicketRelations } from '../../loaders';
import { TicketQueryService } from '../../services/ticket-query.service';
import { selectedFieldsAt } from '../types/look-ahead';
import { ConnectionArgs, pageRequest } from '../types/connection';
import { SortDirection, TicketScope } from '../types/enums';
import { numericIdOf } from '../types/node';
import { TicketConnection, TicketFilter, TicketInterface, TicketOrder } from '../types/ticket.types';

/** Ticket history queries (HIST, TKT, ESC, FED-1). */
@Resolver()
export class TicketResolver {
  @Authorized(Role.CUSTOMER)
  @Query(() => TicketConnection, {
    nullable: true,
    description:
      "The viewer's tickets (MINE) or, for brand admins, the organization's (HIST-1…5). Null with a FORBIDDEN error on this path when refused (FEDRAMP_RESTRICTED for FedRAMP users, FED-1; NOT_BRAND_ADMIN for ORGANIZATION without the role, HIST-3): the rest of the answer, `viewer` included, still resolves. With `filter: { escalation: INCIDENT_HISTORY }` the incident history (HIST-8). `viewer.canSeeTicketHistory` / `viewer.canListOrganizationTickets` say so up front.",
  })
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
}
