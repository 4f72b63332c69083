import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { canUseTicketHistory, type Decision } from '../../auth/ticket-access';
import { badUserInput, forbidden, ForbiddenReason } from '../../auth/errors';
import type { Context } from '../../context';
import { CallbackState, TicketKind } from '../../entities';
import { currentState, deliver, payloadOf, sharedRead, type TransportNotice } from '../../realtime/delivery';
import { readableTicketEvent, resumePoint, ticketScopeDecision } from '../../realtime/ticket-events';
import type { QueueWatcher } from '../../realtime/queue-fanout';
import { viewerKeyOf } from '../../realtime/viewers';
import { EventRoute, Topic } from '../../realtime/events';
import { ApplicationStatusService } from '../../services/application-status.service';
import { CallbackQueueService, type QueueStatus } from '../../services/callback-queue.service';
import { TicketQueryService } from '../../services/ticket-query.service';
import { CallbackQueueStatusType } from './contact.types';
import { ApplicationComponentStatusType } from '../types/profile.types';
import { TicketScope } from '../types/enums';
import { numericIdOf } from '../types/node';
import { TicketEventType } from './realtime.types';
import { subscribeToChat } from '../chat-support';
import { ChatEventType } from '../types/chat.types';

function enforce(decision: Decision): void {
  if (!decision.allowed) throw forbidden(decision.reason, decision.message);
}

/**
 * Public subscriptions (RT-1…3, PHN-4, STAT-2). Events carry ids; every delivery re-reads through the
 * same services and access functions as the queries, with a fresh context per event.
 */
@Resolver()
export class RealtimeResolver {
  @Subscription(() => TicketEventType, {
    description: 'Changes to one ticket: status, messages, escalation, assignment (RT-1). FORBIDDEN when the ticket is not readable; delivery stops when access is lost (RT-3).',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      enforce(canUseTicketHistory(ctx.viewer));
      const id = numericIdOf('Ticket', args.id as string);
      const ticket = await new TicketQueryService(ctx).findReadable(id);
      if (!ticket) throw forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, 'The ticket does not exist or you cannot read it.');
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
    description: "Changes to the viewer's tickets (MINE) or, for brand administrators, the organization's (ORGANIZATION); only tickets the viewer can read (RT-3).",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const scope = (args.scope as TicketScope | undefined) ?? TicketScope.MINE;
      enforce(ticketScopeDecision(ctx, scope));
      // a customer only ever reads their own brand's tickets: other brands' events are skipped without a
      // query (the rules still decide at delivery for the rest; a brand move needs a new subscription)
      const brandId = ctx.viewer.kind === 'customer' ? ctx.viewer.brandId : undefined;
      return deliver(ctx, {
        after: resumePoint(ctx, args.after),
        routes: [brandId ? EventRoute.brandTickets(brandId) : EventRoute.allTickets],
        accept: (event) => event.type === Topic.TICKET_UPDATED && (!brandId || !event.brandId || event.brandId === brandId),
        resolve: (event, fresh) => readableTicketEvent(event, fresh, scope),
      });
    },
  })
  ticketsUpdated(
    @Root() event: TicketEventType | TransportNotice,
    @Arg('scope', () => TicketScope, { defaultValue: TicketScope.MINE, description: 'Whose tickets.' }) _scope: TicketScope,
    @Arg('after', () => ID, { nullable: true, description: 'Resume after this eventId (the last one received): every event missed since is delivered first, in order (EVENTS_EXPIRED past the event log retention). Over SSE the Last-Event-ID header does the same.' }) _after?: string | null,
  ): TicketEventType {
    return payloadOf(event);
  }

  @Subscription(() => ApplicationComponentStatusType, {
    description: 'A product or service changed state (STAT-2). Public, like the status page.',
    subscribe: ({ context }) =>
      deliver(context as Context, {
        routes: [EventRoute.applicationStatus],
        accept: (event) => event.type === Topic.APPLICATION_STATUS_CHANGED,
        resolve: async (event, fresh) => {
          if (event.type !== Topic.APPLICATION_STATUS_CHANGED) return null;
          const statuses = await sharedRead(fresh.em, 'ApplicationStatus:list', () => new ApplicationStatusService(fresh).list());
          const status = statuses.find((s) => s.component === event.component);
          return status ? { value: status } : null;
        },
      }),
  })
  applicationStatusChanged(@Root() status: ApplicationComponentStatusType | TransportNotice): ApplicationComponentStatusType {
    return payloadOf(status);
  }

  @Subscription(() => CallbackQueueStatusType, {
    description: 'Position, estimated wait and English-fallback offer of a phone callback, now and whenever the queue moves (PHN-4, RT-2); completes when the call starts.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      enforce(canUseTicketHistory(ctx.viewer));
      const id = numericIdOf('Ticket', args.ticketId as string);
      const ticket = await new TicketQueryService(ctx).findReadable(id);
      if (!ticket) throw forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, 'The ticket does not exist or you cannot read it.');
      const request = ticket.kind === TicketKind.PHONE ? await new CallbackQueueService(ctx).forTicket(id) : null;
      if (!request) throw badUserInput('This ticket has no callback request.', 'ticketId');
      // the queue the request waits in; it changes if the caller switches to English (PHN-3)
      const watcher: QueueWatcher = {
        ticketId: id,
        who: viewerKeyOf(ctx.viewer) ?? 'anonymous',
        queue: { language: request.language as string, productArea: request.productArea as string },
      };
      const fanout = ctx.realtime?.queues;
      const unwatch = fanout?.watch(watcher);
      return deliver<QueueStatus>(ctx, {
        initial: currentState({ type: Topic.TICKET_UPDATED, ticketId: id, change: 'STATUS' }),
        // positions may have moved while the transport was down
        resyncOnResume: () => currentState({ type: Topic.TICKET_UPDATED, ticketId: id, change: 'STATUS' }),
        routes: [EventRoute.ticket(id), EventRoute.callbackQueues],
        accept: (event) =>
          (event.type === Topic.TICKET_UPDATED && event.ticketId === id) ||
          (event.type === Topic.CALLBACK_QUEUE_MOVED && event.language === watcher.queue.language && event.productArea === watcher.queue.productArea),
        // PHN-4: a queue move is computed once per instance for all its watchers (see QueueFanout)
        shared: fanout ? (event) => (event.type === Topic.CALLBACK_QUEUE_MOVED ? fanout.statusFor(event, watcher) : undefined) : undefined,
        resolve: async (_event, fresh) => {
          if (!(await new TicketQueryService(fresh).findReadable(id))) return null;
          const service = new CallbackQueueService(fresh);
          const current = await service.forTicket(id);
          if (!current) return null;
          const queue = { language: current.language as string, productArea: current.productArea as string };
          if (fanout) fanout.requeue(watcher, queue);
          else watcher.queue = queue;
          const status = await service.status(current);
          return { value: status, last: status.state !== CallbackState.WAITING };
        },
        onEnd: unwatch,
      });
    },
  })
  callbackQueuePosition(@Root() status: QueueStatus | TransportNotice, @Arg('ticketId', () => ID, { description: 'Global id of the phone ticket.' }) _ticketId: string): QueueStatus {
    return payloadOf(status);
  }

  @Subscription(() => ChatEventType, {
    description:
      'Your chat as it happens (CHAT-1, CHAT-2): the current state first, then queue position and estimated wait as the queue moves, the agent joining, every line, typing signals and the end; completes after the end. FedRAMP customers may follow their own chat while it is open (FED-1).',
    subscribe: ({ args, context }) => subscribeToChat(context as Context, args.ticketId as string),
  })
  chatUpdated(@Root() event: ChatEventType | TransportNotice, @Arg('ticketId', () => ID, { description: 'Global id of the chat ticket.' }) _ticketId: string): ChatEventType {
    return payloadOf(event);
  }
}
