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
  /** CHAT-1, CHAT-2: something happened in one live chat (a line, an agent joined, typing, the end). */
  CHAT_UPDATED: 'CHAT_UPDATED',
  /** CHAT-1: a chat queue moved (a chat was taken, cancelled or joined the queue). */
  CHAT_QUEUE_MOVED: 'CHAT_QUEUE_MOVED',
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
  /** CHAT-1, CHAT-2: `lineId` names the new transcript line (LINE); `party`/`typing` the typing signal (TYPING, never stored). */
  | (EventBase & { type: typeof Topic.CHAT_UPDATED; ticketId: number; brandId: string; change: ChatChange; lineId?: number; party?: 'CUSTOMER' | 'AGENT'; typing?: boolean })
  /** CHAT-1: the chat queue (language, product area) moved; its waiters recompute their positions. */
  | (EventBase & { type: typeof Topic.CHAT_QUEUE_MOVED; language: string; productArea: string })
  /** RT-4 degraded mode: events of other instances stop (INTERRUPTED) or flow again (RESUMED). */
  | (EventBase & { type: typeof Topic.TRANSPORT; state: TransportState });

/** What happened in a chat (CHAT-1, CHAT-2); STATE is the synthetic first event of a subscription. */
export type ChatChange = 'STATE' | 'QUEUE_MOVED' | 'AGENT_JOINED' | 'LINE' | 'TYPING' | 'ENDED';

/** State of the cross-instance event transport (Redis). */
export type TransportState = 'INTERRUPTED' | 'RESUMED';

export type DomainEventListener = (event: DomainEvent) => void;

/** How many recent event ids the bus remembers to drop duplicates (RT-4: Redis may redeliver around reconnects). */
export const REMEMBERED_EVENT_IDS = 10_000;

/**
 * Routes narrow which listeners the bus calls for an event, so an event costs work for the
 * subscriptions it may concern, not for every subscription of the instance. A route is a coarse,
 * data-free pre-filter: listeners still decide (and authorize) themselves.
 */
export const EventRoute = {
  /** TICKET_UPDATED events of one ticket. */
  ticket: (ticketId: number) => `ticket:${ticketId}`,
  /** TICKET_UPDATED events of one brand's tickets (and those whose brand the event does not name). */
  brandTickets: (brandId: string) => `${BRAND_PREFIX}${brandId}`,
  /** Every TICKET_UPDATED event. */
  allTickets: 'tickets',
  /** APPLICATION_STATUS_CHANGED events. */
  applicationStatus: 'application-status',
  /** CALLBACK_QUEUE_MOVED events of every queue. */
  callbackQueues: 'callback-queues',
  /** CHAT_UPDATED events of one chat ticket. */
  chat: (ticketId: number) => `chat:${ticketId}`,
  /** CHAT_QUEUE_MOVED events of every chat queue. */
  chatQueues: 'chat-queues',
} as const;
const BRAND_PREFIX = 'brand:';

/**
 * A tiny in-process event bus. Services publish after their transaction commits; the real-time layer
 * subscribes. A throwing listener never breaks the publisher or the other listeners.
 *
 * A listener registered without routes gets every event; one with routes (`EventRoute`) gets the
 * events on those routes, and TRANSPORT events (which concern everyone). A listener is called at
 * most once per event, and only listeners registered before the event was published get it.
 *
 * Duplicates are dropped here, once per instance: an event id seen among the last
 * `REMEMBERED_EVENT_IDS` is not published again, so no subscription on this instance delivers the
 * same event twice (and a subscription needs no memory of its own for it).
 */
export class EventBus {
  /** Every listener, with its routes (undefined: every event). */
  private readonly listeners = new Map<DomainEventListener, readonly string[] | undefined>();
  /** Listeners without routes. */
  private readonly everything = new Set<DomainEventListener>();
  /** Listeners by route. */
  private readonly routes = new Map<string, Set<DomainEventListener>>();
  private readonly seen = new Set<string>();

  /** Registers a listener (for every event, or for the events on `routes`); returns the function that removes it. */
  subscribe(listener: DomainEventListener, routes?: readonly string[]): () => void {
    if (this.listeners.has(listener)) this.unsubscribe(listener);
    this.listeners.set(listener, routes);
    if (!routes) this.everything.add(listener);
    else {
      for (const route of routes) {
        let set = this.routes.get(route);
        if (!set) this.routes.set(route, (set = new Set()));
        set.add(listener);
      }
    }
    return () => this.unsubscribe(listener);
  }

  /** Removes a listener registered with `subscribe`. */
  unsubscribe(listener: DomainEventListener): void {
    if (!this.listeners.has(listener)) return;
    const routes = this.listeners.get(listener);
    this.listeners.delete(listener);
    if (!routes) this.everything.delete(listener);
    else {
      for (const route of routes) {
        const set = this.routes.get(route);
        set?.delete(listener);
        if (set?.size === 0) this.routes.delete(route);
      }
    }
  }

  /** Number of listeners (diagnostics, tests). */
  get size(): number {
    return this.listeners.size;
  }

  publish(event: DomainEvent): void {
    if (this.seen.has(event.eventId)) return;
    this.seen.add(event.eventId);
    if (this.seen.size > REMEMBERED_EVENT_IDS) this.seen.delete(this.seen.values().next().value as string);
    for (const listener of this.targetsOf(event)) {
      try {
        listener(event);
      } catch {
        // a consumer's failure is the consumer's: the change is committed already
      }
    }
  }

  /** The listeners an event goes to, copied (listeners added while it is dispatched do not get it). */
  private targetsOf(event: DomainEvent): Iterable<DomainEventListener> {
    if (event.type === Topic.TRANSPORT) return [...this.listeners.keys()];
    const targets = new Set(this.everything);
    const add = (route: string) => this.routes.get(route)?.forEach((listener) => targets.add(listener));
    switch (event.type) {
      case Topic.TICKET_UPDATED:
        add(EventRoute.ticket(event.ticketId));
        add(EventRoute.allTickets);
        if (event.brandId) add(EventRoute.brandTickets(event.brandId));
        else for (const route of this.routes.keys()) if (route.startsWith(BRAND_PREFIX)) add(route);
        break;
      case Topic.APPLICATION_STATUS_CHANGED:
        add(EventRoute.applicationStatus);
        break;
      case Topic.CALLBACK_QUEUE_MOVED:
        add(EventRoute.callbackQueues);
        break;
      case Topic.CHAT_UPDATED:
        add(EventRoute.chat(event.ticketId));
        break;
      case Topic.CHAT_QUEUE_MOVED:
        add(EventRoute.chatQueues);
        break;
    }
    return targets;
  }
}

/**
 * Events that are not domain facts and stay out of the event log: typing signals (a chat's "is
 * typing" is stale a second later; replaying it would be wrong, storing it would cost a write per
 * keystroke burst). They travel on the bus and over Redis only, and are never resumed. TRANSPORT
 * events are local to an instance (neither logged nor sent).
 */
export function isEphemeral(event: DomainEvent): boolean {
  return event.type === Topic.CHAT_UPDATED && event.change === 'TYPING';
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

/** Builds a CHAT_UPDATED event with a fresh id (CHAT-1, CHAT-2). */
export function chatUpdated(ticket: { id: number; brand: { id: string } }, change: ChatChange, extra: { lineId?: number; party?: 'CUSTOMER' | 'AGENT'; typing?: boolean } = {}, at: Date = new Date()): DomainEvent {
  return { type: Topic.CHAT_UPDATED, ticketId: ticket.id, brandId: ticket.brand.id, change, ...extra, eventId: randomUUID(), occurredAt: at.toISOString() };
}

/** Builds a CHAT_QUEUE_MOVED event with a fresh id (CHAT-1). */
export function chatQueueMoved(language: string, productArea: string, at: Date = new Date()): DomainEvent {
  return { type: Topic.CHAT_QUEUE_MOVED, language, productArea, eventId: randomUUID(), occurredAt: at.toISOString() };
}
