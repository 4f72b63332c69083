import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Role } from '../../auth/roles';
import type { Context } from '../../context';
import { TicketWorkService } from '../../services/ticket-work.service';
import { inputIdOf } from '../types/node';
import {
  AcceptConferenceCallInput,
  AdvanceEscalationInput,
  AppendChatTranscriptInput,
  AppendChatTranscriptPayload,
  AssignTicketInput,
  EscalateTicketInput,
  PostAgentReplyInput,
  PostAgentReplyPayload,
  SetTicketStatusInput,
  ShareResourceInput,
  TicketWorkPayload,
} from './ticket-work.types';

/** The input with its ticket's global id decoded (a malformed one is a NOT_FOUND userError). */
function decoded<T extends { ticketId: string }>(ctx: Context, input: T): Omit<T, 'ticketId'> & { ticketId: number } {
  return { ...input, ticketId: inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId']) };
}

/** Agents working tickets; each change bumps last activity and emits a TICKET_UPDATED event. */
@Resolver()
export class TicketWorkResolver {
  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Assign a ticket to an agent (the caller by default).' })
  async assignTicket(@Ctx() ctx: Context, @Arg('input', () => AssignTicketInput, { description: 'The mutation input.' }) input: AssignTicketInput) {
    return new TicketWorkService(ctx).assign(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => PostAgentReplyPayload, { description: 'Send an e-mail in the ticket thread; the body is sanitized (FUP-2); safe to retry with an `idempotencyKey`.' })
  async postAgentReply(@Ctx() ctx: Context, @Arg('input', () => PostAgentReplyInput, { description: 'The mutation input.' }) input: PostAgentReplyInput) {
    return new TicketWorkService(ctx).postReply(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => AppendChatTranscriptPayload, { description: "Append lines to a chat ticket's transcript (TKT-5); safe to retry with an `idempotencyKey`." })
  async appendChatTranscript(@Ctx() ctx: Context, @Arg('input', () => AppendChatTranscriptInput, { description: 'The mutation input.' }) input: AppendChatTranscriptInput) {
    return new TicketWorkService(ctx).appendTranscript(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Set a ticket OPEN or CLOSED.' })
  async setTicketStatus(@Ctx() ctx: Context, @Arg('input', () => SetTicketStatusInput, { description: 'The mutation input.' }) input: SetTicketStatusInput) {
    return new TicketWorkService(ctx).setStatus(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Escalate a ticket to engineering: escalation SUBMITTED, ticket ESCALATED (ESC-1).' })
  async escalateTicket(@Ctx() ctx: Context, @Arg('input', () => EscalateTicketInput, { description: 'The mutation input.' }) input: EscalateTicketInput) {
    return new TicketWorkService(ctx).escalate(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Move an escalation to the next ESC-3 status, recording its timeline entry.' })
  async advanceEscalation(@Ctx() ctx: Context, @Arg('input', () => AdvanceEscalationInput, { description: 'The mutation input.' }) input: AdvanceEscalationInput) {
    return new TicketWorkService(ctx).advanceEscalation(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Accept a scheduled conference call (TKT-4).' })
  async acceptConferenceCall(@Ctx() ctx: Context, @Arg('input', () => AcceptConferenceCallInput, { description: 'The mutation input.' }) input: AcceptConferenceCallInput) {
    return new TicketWorkService(ctx).acceptConferenceCall(decoded(ctx, input));
  }

  @Authorized(Role.AGENT)
  @Mutation(() => TicketWorkPayload, { description: 'Share a support resource on the ticket (TKT-1).' })
  async shareResource(@Ctx() ctx: Context, @Arg('input', () => ShareResourceInput, { description: 'The mutation input.' }) input: ShareResourceInput) {
    return new TicketWorkService(ctx).shareResource(decoded(ctx, input));
  }
}
