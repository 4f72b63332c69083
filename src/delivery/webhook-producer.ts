import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { canReadTicket } from '../auth/ticket-access';
import { webhookAudience } from '../auth/webhook-access';
import { toGlobalId } from '../domain/global-id';
import { OutboxEntry, OutboxTransport, Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent } from '../entities';
import { readTicketAccessFacts } from '../read/access-facts';
import { readWebhookTicketSnapshot, type WebhookTicketSnapshot } from '../read/webhooks';
import { Topic, type DomainEvent, type TicketChange } from '../realtime/events';
import type { WebhookPayload } from './payloads';

/** The ticket changes webhooks hear about, and the event each one is (others are not sent). */
export const WEBHOOK_EVENT_OF_CHANGE: Readonly<Partial<Record<TicketChange, WebhookEvent>>> = {
  CREATED: WebhookEvent.TICKET_CREATED,
  STATUS: WebhookEvent.TICKET_STATUS_CHANGED,
  MESSAGE: WebhookEvent.TICKET_MESSAGE_CREATED,
  ESCALATION: WebhookEvent.TICKET_ESCALATION_PROGRESSED,
  ASSIGNMENT: WebhookEvent.TICKET_ASSIGNED,
};

/** The body of a delivery: the event, its ids, and the ticket's snapshot (no message or description text). */
function bodyOf(hook: Webhook, event: DomainEvent & { type: typeof Topic.TICKET_UPDATED }, kind: WebhookEvent, ticket: WebhookTicketSnapshot): string {
  return JSON.stringify({
    event: kind,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    webhookId: hook.id,
    ticket: {
      id: toGlobalId('Ticket', ticket.id),
      number: ticket.id,
      brandId: ticket.brandId,
      type: ticket.type,
      status: ticket.status,
      productArea: ticket.productArea,
      supportLanguage: ticket.supportLanguage,
      submitterId: ticket.submitterId,
      assigneeId: ticket.assigneeId,
      escalationStatus: ticket.escalationStatus,
      createdAt: ticket.createdAt.toISOString(),
      lastActivityAt: ticket.lastActivityAt.toISOString(),
      closedAt: ticket.closedAt?.toISOString() ?? null,
    },
  });
}

/** What one delivery carries (a first delivery of an event, or a redelivery of an earlier body). */
export interface NewWebhookDelivery {
  webhookId: string;
  event: string;
  eventId: string;
  ticketId: number | null;
  body: string;
  /** The outbox `delivery_key`: unique, so the same event is never enqueued twice for a webhook. */
  outboxKey: string;
  redeliveryOf?: string;
}

/** The outbox key of an event's first delivery to a webhook: two instances enqueueing the same event collide on it. */
export function firstDeliveryKey(webhookId: string, eventId: string): string {
  return `webhook:${webhookId}:${eventId}`;
}

/**
 * Writes a delivery and its outbox entry in one transaction (the worker is woken on commit).
 * Returns the delivery, or undefined when its outbox key exists already (another instance, or an
 * earlier call, enqueued this event for this webhook).
 */
export async function writeWebhookDelivery(em: EntityManager, delivery: NewWebhookDelivery, now: Date): Promise<WebhookDelivery | undefined> {
  const id = randomUUID();
  const payload: WebhookPayload = { webhookId: delivery.webhookId, deliveryId: id, event: delivery.event, ticketId: delivery.ticketId, body: delivery.body };
  try {
    return await em.fork({ clear: true }).transactional(async (tx) => {
      const row = tx.create(WebhookDelivery, {
        id,
        webhookId: delivery.webhookId,
        event: delivery.event,
        eventId: delivery.eventId,
        ticketId: delivery.ticketId,
        body: delivery.body,
        outboxKey: delivery.outboxKey,
        redeliveryOf: delivery.redeliveryOf ?? null,
        createdAt: now,
      });
      tx.create(OutboxEntry, {
        transport: OutboxTransport.WEBHOOK,
        topic: `WEBHOOK_${delivery.event}`,
        destination: delivery.webhookId,
        deliveryKey: delivery.outboxKey,
        payload: payload as unknown as Record<string, unknown>,
        ticketId: delivery.ticketId,
        createdAt: now,
        nextAttemptAt: now,
      });
      return row;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return undefined;
    throw error;
  }
}

/**
 * THE producer of webhook deliveries: turns one domain event into WEBHOOK outbox entries, one per
 * webhook that listens to its kind of event and whose audience may read the ticket
 * (`webhookAudience` + `canReadTicket`, src/auth). A plain function of the event and an entity
 * manager, registered at one point (src/server.ts, an EventBus listener after commit); the durable
 * event log (issue 20) can feed it instead. Safe to call for the same event on every instance:
 * the first delivery's outbox key is unique per (webhook, event), the others are dropped.
 * Returns how many deliveries it wrote.
 */
export async function enqueueWebhookDeliveries(event: DomainEvent, em: EntityManager, now: Date = new Date()): Promise<number> {
  if (event.type !== Topic.TICKET_UPDATED) return 0;
  const kind = WEBHOOK_EVENT_OF_CHANGE[event.change];
  if (!kind) return 0;
  const hooks = (await em.find(Webhook, { paused: false }, { orderBy: { createdAt: 'asc' } })).filter((hook) => hook.events.includes(kind));
  if (hooks.length === 0) return 0;
  const [ticket, facts] = await Promise.all([readWebhookTicketSnapshot(em, event.ticketId), readTicketAccessFacts(em, [event.ticketId])]);
  const ticketFacts = facts.get(event.ticketId);
  if (!ticket || !ticketFacts) return 0;
  const fedrampBrands = new Set(ticket.brandFedramp ? [ticket.brandId] : []);
  let written = 0;
  for (const hook of hooks) {
    if (!canReadTicket(webhookAudience(hook, fedrampBrands), ticketFacts)) continue;
    const delivery = await writeWebhookDelivery(
      em,
      { webhookId: hook.id, event: kind, eventId: event.eventId, ticketId: event.ticketId, body: bodyOf(hook, event, kind, ticket), outboxKey: firstDeliveryKey(hook.id, event.eventId) },
      now,
    );
    if (delivery) written++;
  }
  return written;
}

/** The delivery log is kept this long (the outbox keeps its rows 7 days). */
export const WEBHOOK_LOG_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** Removes deliveries (and their attempts) older than the retention, at most `limit` per call (the server's periodic job). */
export async function purgeWebhookLog(em: EntityManager, now: Date, limit = 1000): Promise<number> {
  const old = await em.find(WebhookDelivery, { createdAt: { $lt: new Date(now.getTime() - WEBHOOK_LOG_RETENTION_MS) } }, { fields: ['id'], orderBy: { createdAt: 'asc' }, limit });
  if (old.length === 0) return 0;
  const ids = old.map((row) => row.id);
  await em.nativeDelete(WebhookAttempt, { deliveryId: { $in: ids } });
  return em.nativeDelete(WebhookDelivery, { id: { $in: ids } });
}
