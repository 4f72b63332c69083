import { randomUUID } from 'node:crypto';

/** What changed on a ticket; subscribers re-read the ticket through the usual services. */
export type TicketChange =
  | 'CREATED'
  | 'STATUS'
  | 'MESSAGE'
  | 'TRANSCRIPT'
  | 'ESCALATION'
  | 'ASSIGNMENT'
  | 'CONFERENCE'
  | 'RESOURCE'
  | 'FEEDBACK'
  | 'PROXY_ACCESS'
  | 'CALLBACK'
  | 'VERIFICATION';

/** Topics of domain events: the `type` of every event. */
export const Topic = {
  TICKET_UPDATED: 'TICKET_UPDATED',
  APPLICATION_STATUS_CHANGED: 'APPLICATION_STATUS_CHANGED',
  CALLBACK_QUEUE_MOVED: 'CALLBACK_QUEUE_MOVED',
  /** Local only, never crosses Redis: the cross-instance transport was lost or came back. */
  TRANSPORT: 'TRANSPORT',
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

/** Fields every event has: a unique id (consumers drop duplicates) and when it happened. */
interface EventBase {
  /** Unique per event, so a consumer can drop duplicates. */
  eventId: string;
  occurredAt: string;
}

/** Domain events carry ids and the kind of change, never entities (they may cross processes). */
export type DomainEvent =
  /** `brandId` (when known) lets subscriptions skip other brands' events without a query (a customer only ever reads their brand's tickets). */
  | (EventBase & { type: typeof Topic.TICKET_UPDATED; ticketId: number; brandId?: string; change: TicketChange })
  /** STAT-2: one status-page component changed. */
  | (EventBase & { type: typeof Topic.APPLICATION_STATUS_CHANGED; component: string })
  /** PHN-4: a callback queue moved (its head started a call); waiters recompute their positions. */
  | (EventBase & { type: typeof Topic.CALLBACK_QUEUE_MOVED; language: string; productArea: string; ticketId: number })
  /** RT-4 degraded mode: events of other instances stop (INTERRUPTED) or flow again (RESUMED). */
  | (EventBase & { type: typeof Topic.TRANSPORT; state: TransportState });

/** State of the cross-instance event transport (Redis). */
export type TransportState = 'INTERRUPTED' | 'RESUMED';

export type DomainEventListener = (event: DomainEvent) => void;

/**
 * A tiny in-process event bus. Services publish after their transaction commits; the real-time layer
 * subscribes. A throwing listener never breaks the publisher or the other listeners.
 */
export class EventBus {
  private readonly listeners = new Set<DomainEventListener>();

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: DomainEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // a consumer's failure is the consumer's: the change is committed already
      }
    }
  }
}

/** A ticket id, or the ticket itself (its brand id then travels with the event). */
export type TicketRefForEvent = number | { id: number; brand: { id: string } };

/** Builds a TICKET_UPDATED event with a fresh id. */
export function ticketUpdated(ticket: TicketRefForEvent, change: TicketChange, at: Date = new Date()): DomainEvent {
  const ids = typeof ticket === 'number' ? { ticketId: ticket } : { ticketId: ticket.id, brandId: ticket.brand.id };
  return { type: Topic.TICKET_UPDATED, ...ids, change, eventId: randomUUID(), occurredAt: at.toISOString() };
}

/** Builds an APPLICATION_STATUS_CHANGED event with a fresh id (STAT-2). */
export function applicationStatusChanged(component: string, at: Date = new Date()): DomainEvent {
  return { type: Topic.APPLICATION_STATUS_CHANGED, component, eventId: randomUUID(), occurredAt: at.toISOString() };
}

/** Builds a TRANSPORT event (local only) with a fresh id. */
export function transportChanged(state: TransportState, at: Date = new Date()): DomainEvent {
  return { type: Topic.TRANSPORT, state, eventId: randomUUID(), occurredAt: at.toISOString() };
}

/** Builds a CALLBACK_QUEUE_MOVED event with a fresh id (PHN-4): `ticketId` is the caller whose call started. */
export function callbackQueueMoved(language: string, productArea: string, ticketId: number, at: Date = new Date()): DomainEvent {
  return { type: Topic.CALLBACK_QUEUE_MOVED, language, productArea, ticketId, eventId: randomUUID(), occurredAt: at.toISOString() };
}
