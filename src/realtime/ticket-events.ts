import { badUserInput } from '../auth/errors';
import { canListOrganizationTickets, canReadTicket, canUseTicketHistory } from '../auth/ticket-access';
import type { Context } from '../context';
import { Ticket } from '../entities';
import { TicketScope } from '../domain/ticket-list';
import { TicketQueryService } from '../services/ticket-query.service';
import { resumeIdOf, sharedRead, type Delivered } from './delivery';
import { Topic, type DomainEvent, type TicketChange } from './events';

/** What a ticket subscription delivers: the event's id and kind of change, and the ticket re-read. */
export interface TicketEventPayload {
  eventId: string;
  change: TicketChange;
  ticket: Ticket;
}

/**
 * Where a ticket subscription resumes: its `after` argument, else (over SSE) the stream's
 * `Last-Event-ID` header; undefined starts live. Not an event id: BAD_USER_INPUT on `after`.
 */
export function resumePoint(ctx: Context, after: unknown): number | undefined {
  const id = resumeIdOf(after ?? ctx.lastEventId);
  if (id === null) throw badUserInput('`after` is the eventId of an event this subscription delivered.', 'after');
  return id;
}

/** May the viewer watch this scope at all (FED-1, HIST-3)? Checked up front and again per event. */
export function ticketScopeDecision(ctx: Context, scope: TicketScope) {
  return scope === TicketScope.ORGANIZATION ? canListOrganizationTickets(ctx.viewer) : canUseTicketHistory(ctx.viewer);
}

/**
 * The per-event access check of every ticket subscription, public and internal (RT-3): the ticket of
 * a TICKET_UPDATED event if the fresh viewer may read it (and, for MINE, is on it); null skips the
 * event. The same rules as `TicketQueryService.findReadable`; the ticket row is read once per event
 * and instance.
 */
export async function readableTicketEvent(event: DomainEvent, fresh: Context, scope?: TicketScope): Promise<Delivered<TicketEventPayload> | null> {
  if (event.type !== Topic.TICKET_UPDATED) return null;
  if (scope && !ticketScopeDecision(fresh, scope).allowed) return null;
  if (!canUseTicketHistory(fresh.viewer).allowed) return null;
  const service = new TicketQueryService(fresh);
  const ticket = await sharedRead(fresh.em, `Ticket:${event.ticketId}`, () => fresh.em.findOne(Ticket, { id: event.ticketId }));
  if (!ticket) return null;
  // in a scope, as the list of that scope would hold it (MINE: only tickets the viewer is on)
  if (!canReadTicket(fresh.viewer, await service.accessFacts(ticket), scope)) return null;
  return { value: { eventId: event.eventId, change: event.change, ticket } };
}
