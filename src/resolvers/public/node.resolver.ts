import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../auth/errors';
import { canReadAccountNode, canReadBrandNode } from '../../auth/profile-access';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { BillingService } from '../../services/billing.service';
import { TicketQueryService } from '../../services/ticket-query.service';
import { asNode, fromGlobalId, Node, numericIdOf, toGlobalId } from '../types/node';
import { billingInquiryType, contractType } from './profile.resolver';

/**
 * `node(id)` / `nodes(ids)`: every type implementing Node resolves here, through the same rules as
 * its ordinary path — tickets, escalations, messages and chat lines as `ticket(id)` (FED-1: FORBIDDEN for FedRAMP users),
 * the viewer and their brand only for themselves, contracts as `viewer.billing` (BILL-1), billing
 * inquiries for their submitter. Anything else, or not visible, is null: ids cannot be probed.
 * `test/node.test.ts` walks every implementation of Node found by introspection.
 */
async function resolveNode(ctx: Context, id: string): Promise<object | null> {
  const { type, localId } = fromGlobalId(id);
  const { viewer } = ctx;
  switch (type) {
    case 'Ticket':
      return new TicketQueryService(ctx).findReadableRow(numericIdOf('Ticket', id));
    case 'Escalation':
      return new TicketQueryService(ctx).findReadableEscalation(numericIdOf('Escalation', id));
    case 'TicketMessage':
      return new TicketQueryService(ctx).findReadableMessage(numericIdOf('TicketMessage', id));
    case 'ChatTranscriptEntry':
      return new TicketQueryService(ctx).findReadableTranscriptLine(numericIdOf('ChatTranscriptEntry', id));
    case 'Account':
      return viewer.kind === 'customer' && canReadAccountNode(viewer, localId) ? asNode('Viewer', viewer.account) : null;
    case 'Brand':
      return viewer.kind === 'customer' && canReadBrandNode(viewer, localId)
        ? asNode('Brand', { id: toGlobalId('Brand', viewer.brand.id), name: viewer.brand.name })
        : null;
    case 'Contract': {
      const contract = await new BillingService(ctx).findVisibleContract(numericIdOf('Contract', id));
      return contract && contractType(contract);
    }
    case 'BillingInquiry': {
      const inquiry = await new BillingService(ctx).findOwnInquiry(numericIdOf('BillingInquiry', id));
      return inquiry && billingInquiryType(inquiry);
    }
    default:
      return null;
  }
}

/** Relay object identification for the public schema. */
@Resolver()
export class NodeResolver {
  @Authorized(Role.CUSTOMER)
  @Query(() => Node, { nullable: true, description: 'Any object by global id, or null when it does not exist or is not visible.' })
  node(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global id.' }) id: string): Promise<object | null> {
    return resolveNode(ctx, id);
  }

  @Authorized(Role.CUSTOMER)
  @Query(() => [Node], { nullable: 'items', description: 'Objects by global ids (at most 100), in order; null for each one not found or not visible.' })
  nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID], { description: 'Global ids.' }) ids: string[]): Promise<(object | null)[]> {
    if (ids.length > 100) throw badUserInput('`ids` takes at most 100 ids.', 'ids');
    return Promise.all(ids.map((id) => resolveNode(ctx, id)));
  }
}
