import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { TicketWorkService } from '../../services/ticket-work.service';
import { withUserErrors } from '../types/user-error';
import {
  AcceptConferenceCallInput,
  AdvanceEscalationInput,
  AppendChatTranscriptInput,
  AssignTicketInput,
  EscalateTicketInput,
  PostAgentReplyInput,
  PostAgentReplyPayload,
  SetTicketStatusInput,
  ShareResourceInput,
  TicketWorkPayload,
} from './ticket-work.types';

/** Agents working tickets; each change bumps last activity and emits a TICKET_UPDATED event. */
@Resolver()
export class TicketWorkResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Assign a ticket to an agent (the caller by default).' })
  assignTicket(@Ctx() ctx: Context, @Arg('input', () => AssignTicketInput, { description: 'The mutation input.' }) input: AssignTicketInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).assign(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => PostAgentReplyPayload, { description: 'Send an e-mail in the ticket thread; the body is sanitized (FUP-2).' })
  postAgentReply(@Ctx() ctx: Context, @Arg('input', () => PostAgentReplyInput, { description: 'The mutation input.' }) input: PostAgentReplyInput) {
    return withUserErrors(() => new TicketWorkService(ctx).postReply(input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: "Append lines to a chat ticket's transcript (TKT-5)." })
  appendChatTranscript(@Ctx() ctx: Context, @Arg('input', () => AppendChatTranscriptInput, { description: 'The mutation input.' }) input: AppendChatTranscriptInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).appendTranscript(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Set a ticket OPEN or CLOSED.' })
  setTicketStatus(@Ctx() ctx: Context, @Arg('input', () => SetTicketStatusInput, { description: 'The mutation input.' }) input: SetTicketStatusInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).setStatus(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Escalate a ticket to engineering: escalation SUBMITTED, ticket ESCALATED (ESC-1).' })
  escalateTicket(@Ctx() ctx: Context, @Arg('input', () => EscalateTicketInput, { description: 'The mutation input.' }) input: EscalateTicketInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).escalate(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Move an escalation to the next ESC-3 status, recording its timeline entry.' })
  advanceEscalation(@Ctx() ctx: Context, @Arg('input', () => AdvanceEscalationInput, { description: 'The mutation input.' }) input: AdvanceEscalationInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).advanceEscalation(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Accept a scheduled conference call (TKT-4).' })
  acceptConferenceCall(@Ctx() ctx: Context, @Arg('input', () => AcceptConferenceCallInput, { description: 'The mutation input.' }) input: AcceptConferenceCallInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).acceptConferenceCall(input) }));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Share a support resource on the ticket (TKT-1).' })
  shareResource(@Ctx() ctx: Context, @Arg('input', () => ShareResourceInput, { description: 'The mutation input.' }) input: ShareResourceInput) {
    return withUserErrors(async () => ({ ticket: await new TicketWorkService(ctx).shareResource(input) }));
  }
}
