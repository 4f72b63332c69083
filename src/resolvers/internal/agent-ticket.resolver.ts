import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { Ticket } from '../../entities';
import { TicketRecordService } from '../../services/ticket-record.service';
import { numericIdOf } from '../types/node';
import { TicketInterface } from '../types/ticket.types';
import { RecordTicketInput, RecordTicketPayload } from './agent-ticket.types';

/** Ticket work for support agents (internal schema). */
@Resolver()
export class AgentTicketResolver {
  @Authorized(Role.AGENT)
  @Query(() => TicketInterface, { nullable: true, description: 'Any ticket by global id.' })
  ticket(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Global ticket id.' }) id: string): Promise<Ticket | null> {
    return ctx.em.findOne(Ticket, { id: numericIdOf('Ticket', id) });
  }

  @Authorized(Role.AGENT)
  @Mutation(() => RecordTicketPayload, { description: 'Record a ticket of any kind with its thread, transcript, details and escalation.' })
  async recordTicket(@Ctx() ctx: Context, @Arg('input', () => RecordTicketInput, { description: 'The mutation input.' }) input: RecordTicketInput) {
    return { ticket: await new TicketRecordService(ctx).record(input) };
  }
}
