import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Role } from '../../auth/roles';
import {
  canClose,
  canLeaveFeedback,
  canReply,
  canSetProxyAccess,
  closedNotice,
  type ActionDecision,
  TicketActionRefusal,
} from '../../auth/ticket-actions';
import type { Context } from '../../context';
import type { TicketView } from '../../read/tickets';
import type { TicketFeedback } from '../../entities';
import { TicketFollowupService } from '../../services/ticket-followup.service';
import { TicketQueryService } from '../../services/ticket-query.service';
import { TicketInterface } from '../types/ticket.types';
import { inputIdOf } from '../types/node';
import {
  CloseTicketInput,
  CloseTicketPayload,
  LeaveTicketFeedbackInput,
  LeaveTicketFeedbackPayload,
  ReplyToTicketInput,
  ReplyToTicketPayload,
  SetTicketProxyAccessInput,
  SetTicketProxyAccessPayload,
  TicketFeedbackType,
  TicketProxyAccessType,
} from './ticket-followup.types';

/** The ticket of a mutation's input (a malformed id is a NOT_FOUND userError, like an unreadable one). */
const ticketIdOf = (ctx: Context, input: { ticketId: string }) => inputIdOf(ctx.t, 'Ticket', input.ticketId, ['input', 'ticketId']);

/** Follow-up, closing, feedback and proxy access for customers (FUP, CLS, PRX). */
@Resolver()
export class TicketFollowupResolver {
  @Authorized(Role.CUSTOMER)
  @Mutation(() => ReplyToTicketPayload, { description: 'Reply on an open ticket with an e-mail thread, as its submitter or a brand admin (FUP-1…4); safe to retry with an `idempotencyKey`.' })
  async replyToTicket(@Ctx() ctx: Context, @Arg('input', () => ReplyToTicketInput, { description: 'The mutation input.' }) input: ReplyToTicketInput) {
    return new TicketFollowupService(ctx).reply({ ...input, ticketId: ticketIdOf(ctx, input) });
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => CloseTicketPayload, { description: 'Close a ticket you submitted (CLS-1).' })
  async closeTicket(@Ctx() ctx: Context, @Arg('input', () => CloseTicketInput, { description: 'The mutation input.' }) input: CloseTicketInput) {
    return new TicketFollowupService(ctx).close(ticketIdOf(ctx, input));
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => LeaveTicketFeedbackPayload, { description: 'Rate the support interaction of a closed ticket you submitted, once (CLS-3).' })
  async leaveTicketFeedback(@Ctx() ctx: Context, @Arg('input', () => LeaveTicketFeedbackInput, { description: 'The mutation input.' }) input: LeaveTicketFeedbackInput) {
    return new TicketFollowupService(ctx).leaveFeedback({ ...input, ticketId: ticketIdOf(ctx, input) });
  }

  @Authorized(Role.CUSTOMER)
  @Mutation(() => SetTicketProxyAccessPayload, { description: "Grant or revoke support's proxy access to your own account for one ticket (PRX-1…4)." })
  async setTicketProxyAccess(@Ctx() ctx: Context, @Arg('input', () => SetTicketProxyAccessInput, { description: 'The mutation input.' }) input: SetTicketProxyAccessInput) {
    return { ticket: await new TicketFollowupService(ctx).setProxyAccess({ ...input, ticketId: ticketIdOf(ctx, input) }) };
  }
}

const allowed = (d: ActionDecision) => d.allowed;
const reasonOf = (d: ActionDecision) => (d.allowed ? null : d.reason);

/** Capability and closing fields on every ticket kind: clients read the rules, never re-implement them. */
@Resolver(() => TicketInterface)
export class TicketCapabilitiesResolver {
  @FieldResolver(() => Boolean, { description: 'Whether the viewer can reply now (FUP-1, FUP-4); see viewerCanReplyReason when false.' })
  async viewerCanReply(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<boolean> {
    return allowed(canReply(ctx.viewer, await new TicketFollowupService(ctx).facts(ticket)));
  }

  @FieldResolver(() => TicketActionRefusal, { nullable: true, description: 'Why the viewer cannot reply; null when they can (FUP-4).' })
  async viewerCanReplyReason(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<TicketActionRefusal | null> {
    return reasonOf(canReply(ctx.viewer, await new TicketFollowupService(ctx).facts(ticket)));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer can close the ticket (CLS-1).' })
  async viewerCanClose(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<boolean> {
    return allowed(canClose(ctx.viewer, await new TicketFollowupService(ctx).facts(ticket)));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer can leave feedback now (CLS-3); false once feedback was received.' })
  async viewerCanLeaveFeedback(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<boolean> {
    return allowed(canLeaveFeedback(ctx.viewer, await new TicketFollowupService(ctx).facts(ticket)));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer can set proxy access for their own account on this ticket (PRX-2).' })
  async viewerCanSetProxyAccess(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<boolean> {
    return allowed(canSetProxyAccess(ctx.viewer, await new TicketQueryService(ctx).accessFacts(ticket)));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The notice a closed ticket carries (CLS-2); null while open.' })
  closedNotice(@Root() ticket: TicketView, @Ctx() ctx: Context): string | null {
    const key = closedNotice(ticket.status);
    return key && ctx.t(key);
  }

  @FieldResolver(() => TicketFeedbackType, { nullable: true, description: 'The feedback left on the ticket, if any (CLS-3).' })
  feedback(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<TicketFeedback | null> {
    return ctx.loaders.feedback.load(ticket.id);
  }

  @FieldResolver(() => Boolean, { description: 'Feedback was received: show the thank-you state instead of the feedback action (CLS-3).' })
  async feedbackReceived(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.feedback.load(ticket.id)) !== null;
  }

  @FieldResolver(() => TicketProxyAccessType, {
    nullable: true,
    description: "Support's proxy access to the viewer's own account for this ticket: effective value, its source and history (PRX-1…4). Null for viewers not associated with the ticket.",
  })
  async proxyAccess(@Root() ticket: TicketView, @Ctx() ctx: Context): Promise<TicketProxyAccessType | null> {
    const { viewer } = ctx;
    if (viewer.kind !== 'customer') return null;
    if (!canSetProxyAccess(viewer, await new TicketQueryService(ctx).accessFacts(ticket)).allowed) return null;
    return new TicketFollowupService(ctx).proxyAccessOf(ticket, viewer.account);
  }
}
