import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { canListOrganizationTickets, canReadTicket, canUseTicketHistory, type Decision } from '../../auth/ticket-access';
import { badUserInput, forbidden, ForbiddenReason } from '../../auth/errors';
import type { Context } from '../../context';
import { CallbackState, TicketKind } from '../../entities';
import { currentState, deliver } from '../../realtime/delivery';
import { Topic, type DomainEvent } from '../../realtime/events';
import { ApplicationStatusService } from '../../services/application-status.service';
import { CallbackQueueService, type QueueStatus } from '../../services/callback-queue.service';
import { TicketQueryService } from '../../services/ticket-query.service';
import { CallbackQueueStatusType } from './contact.types';
import { ApplicationComponentStatusType } from '../types/profile.types';
import { TicketScope } from '../types/enums';
import { numericIdOf } from '../types/node';
import { TicketChangeKind, TicketEventType } from './realtime.types';

function enforce(decision: Decision): void {
  if (!decision.allowed) throw forbidden(decision.reason, decision.message);
}

/** May the viewer watch this scope at all (FED-1, HIST-3)? Checked up front and again per event. */
function scopeDecision(ctx: Context, scope: TicketScope): Decision {
  return scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(ctx.viewer) : canUseTicketHistory(ctx.viewer);
}

/** The ticket of a TICKET_UPDATED event if the fresh viewer may read it (and, for MINE, is on it). */
async function readableTicketEvent(event: DomainEvent, fresh: Context, scope?: TicketScope) {
  if (event.type !== Topic.TICKET_UPDATED) return null;
  if (scope && !scopeDecision(fresh, scope).allowed) return null;
  const service = new TicketQueryService(fresh);
  const ticket = await service.findReadable(event.ticketId);
  if (!ticket) return null;
  if (scope === TicketScope.MINE && fresh.viewer.kind === 'customer') {
    const facts = await service.accessFacts(ticket);
    const mine = facts.submitterId === fresh.viewer.accountId || facts.participantIds.includes(fresh.viewer.accountId);
    if (!mine || !canReadTicket(fresh.viewer, facts)) return null;
  }
  const value: TicketEventType = { eventId: event.eventId, change: event.change as TicketChangeKind, ticket };
  return { value };
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
        accept: (event) => event.type === Topic.TICKET_UPDATED && event.ticketId === id,
        resolve: (event, fresh) => readableTicketEvent(event, fresh),
      });
    },
  })
  ticketUpdated(@Root() event: TicketEventType, @Arg('id', () => ID, { description: 'Global ticket id.' }) _id: string): TicketEventType {
    return event;
  }

  @Subscription(() => TicketEventType, {
    description: "Changes to the viewer's tickets (MINE) or, for brand administrators, the organization's (ORGANIZATION); only tickets the viewer can read (RT-3).",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      const scope = (args.scope as TicketScope | undefined) ?? TicketScope.MINE;
      enforce(scopeDecision(ctx, scope));
      return deliver(ctx, {
        accept: (event) => event.type === Topic.TICKET_UPDATED,
        resolve: (event, fresh) => readableTicketEvent(event, fresh, scope),
      });
    },
  })
  ticketsUpdated(
    @Root() event: TicketEventType,
    @Arg('scope', () => TicketScope, { defaultValue: TicketScope.MINE, description: 'Whose tickets.' }) _scope: TicketScope,
  ): TicketEventType {
    return event;
  }

  @Subscription(() => ApplicationComponentStatusType, {
    description: 'A product or service changed state (STAT-2). Public, like the status page.',
    subscribe: ({ context }) =>
      deliver(context as Context, {
        accept: (event) => event.type === Topic.APPLICATION_STATUS_CHANGED,
        resolve: async (event, fresh) => {
          if (event.type !== Topic.APPLICATION_STATUS_CHANGED) return null;
          const status = (await new ApplicationStatusService(fresh.em).list()).find((s) => s.component === event.component);
          return status ? { value: status } : null;
        },
      }),
  })
  applicationStatusChanged(@Root() status: ApplicationComponentStatusType): ApplicationComponentStatusType {
    return status;
  }

  @Subscription(() => CallbackQueueStatusType, {
    description: 'Position, estimated wait and English-fallback offer of a phone callback, now and whenever the queue moves (PHN-4, RT-2); completes when the call starts.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      enforce(canUseTicketHistory(ctx.viewer));
      const id = numericIdOf('Ticket', args.ticketId as string);
      const ticket = await new TicketQueryService(ctx).findReadable(id);
      if (!ticket) throw forbidden(ForbiddenReason.NOT_TICKET_PARTICIPANT, 'The ticket does not exist or you cannot read it.');
      const request = ticket.kind === TicketKind.PHONE ? await new CallbackQueueService(ctx.em, ctx.settings).forTicket(id) : null;
      if (!request) throw badUserInput('This ticket has no callback request.', 'ticketId');
      // the queue the request waits in; it changes if the caller switches to English (PHN-3)
      const queue = { language: request.language as string, productArea: request.productArea as string };
      return deliver<QueueStatus>(ctx, {
        initial: currentState({ type: Topic.TICKET_UPDATED, ticketId: id, change: 'STATUS' }),
        accept: (event) =>
          (event.type === Topic.TICKET_UPDATED && event.ticketId === id) ||
          (event.type === Topic.CALLBACK_QUEUE_MOVED && event.language === queue.language && event.productArea === queue.productArea),
        resolve: async (_event, fresh) => {
          if (!(await new TicketQueryService(fresh).findReadable(id))) return null;
          const service = new CallbackQueueService(fresh.em, fresh.settings);
          const current = await service.forTicket(id);
          if (!current) return null;
          queue.language = current.language;
          queue.productArea = current.productArea;
          const status = await service.status(current);
          return { value: status, last: status.state !== CallbackState.WAITING };
        },
      });
    },
  })
  callbackQueuePosition(@Root() status: QueueStatus, @Arg('ticketId', () => ID, { description: 'Global id of the phone ticket.' }) _ticketId: string): QueueStatus {
    return status;
  }
}
