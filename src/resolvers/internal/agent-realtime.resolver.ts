import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { forbidden, notFound } from '../../auth/errors';
import { canWatchTicketsAsAgent } from '../../auth/ticket-access';
import type { Context } from '../../context';
import { deliver, payloadOf, type TransportNotice } from '../../realtime/delivery';
import { EventRoute, Topic } from '../../realtime/events';
import { readableTicketEvent, resumePoint } from '../../realtime/ticket-events';
import { TicketQueryService } from '../../services/ticket-query.service';
import { TicketEventType } from '../public/realtime.types';
import { subscribeToChat } from '../chat-support';
import { ChatEventType } from '../types/chat.types';
import { numericIdOf } from '../types/node';

function agentOnly(ctx: Context): void {
  const decision = canWatchTicketsAsAgent(ctx.viewer);
  if (!decision.allowed) throw forbidden(decision.reason, decision.message);
}

/**
 * Ticket subscriptions of the internal schema, on `ws://…/internal/graphql`, for support agents.
 * The same delivery (src/realtime/delivery.ts) and per-event access check (`readableTicketEvent`,
 * the viewer re-read at every event) as the public subscriptions.
 */
@Resolver()
export class AgentRealtimeResolver {
  @Subscription(() => TicketEventType, {
    description: 'Changes to one ticket: status, messages, escalation, assignment (RT-1), for support agents. NOT_FOUND when there is no such ticket.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      agentOnly(ctx);
      const id = numericIdOf('Ticket', args.id as string);
      if (!(await new TicketQueryService(ctx).findReadable(id))) throw notFound('There is no ticket with this id.');
      return deliver(ctx, {
        after: resumePoint(ctx, args.after),
        routes: [EventRoute.ticket(id)],
        accept: (event) => event.type === Topic.TICKET_UPDATED && event.ticketId === id,
        resolve: (event, fresh) => readableTicketEvent(event, fresh),
      });
    },
  })
  ticketUpdated(
    @Root() event: TicketEventType | TransportNotice,
    @Arg('id', () => ID, { description: 'Global ticket id.' }) _id: string,
    @Arg('after', () => ID, { nullable: true, description: 'Resume after this eventId (the last one received): every event missed since is delivered first, in order (EVENTS_EXPIRED past the event log retention). Over SSE the Last-Event-ID header does the same.' }) _after?: string | null,
  ): TicketEventType {
    return payloadOf(event);
  }

  @Subscription(() => TicketEventType, {
    description: "Every ticket change of every brand (the agents' live queue), for support agents.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      agentOnly(ctx);
      return deliver(ctx, {
        after: resumePoint(ctx, args.after),
        routes: [EventRoute.allTickets],
        accept: (event) => event.type === Topic.TICKET_UPDATED,
        resolve: (event, fresh) => readableTicketEvent(event, fresh),
      });
    },
  })
  ticketsUpdated(@Root() event: TicketEventType | TransportNotice, @Arg('after', () => ID, { nullable: true, description: 'Resume after this eventId (the last one received): every event missed since is delivered first, in order (EVENTS_EXPIRED past the event log retention). Over SSE the Last-Event-ID header does the same.' }) _after?: string | null): TicketEventType {
    return payloadOf(event);
  }

  @Subscription(() => ChatEventType, {
    description: 'A chat as it happens, for support agents: the current state, queue moves, the join, every line, typing signals and the end (CHAT-1, CHAT-2); completes after the end.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      agentOnly(ctx);
      return subscribeToChat(ctx, args.ticketId as string);
    },
  })
  chatUpdated(@Root() event: ChatEventType | TransportNotice, @Arg('ticketId', () => ID, { description: 'Global id of the chat ticket.' }) _ticketId: string): ChatEventType {
    return payloadOf(event);
  }
}
