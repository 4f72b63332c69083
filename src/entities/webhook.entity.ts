import { Entity, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/**
 * The ticket events a webhook can receive (`Hub-Event` header and `event` of the body). Each maps
 * from one `TicketChange` of TICKET_UPDATED (src/delivery/webhook-producer.ts).
 */
export enum WebhookEvent {
  TICKET_CREATED = 'TICKET_CREATED',
  TICKET_STATUS_CHANGED = 'TICKET_STATUS_CHANGED',
  TICKET_MESSAGE_CREATED = 'TICKET_MESSAGE_CREATED',
  TICKET_ESCALATION_PROGRESSED = 'TICKET_ESCALATION_PROGRESSED',
  TICKET_ASSIGNED = 'TICKET_ASSIGNED',
}

/**
 * An integration's HTTP endpoint for ticket events (docs/webhooks.md). It belongs to the integration
 * that registered it (`ownerSubject`, the token's `sub`) and covers the brands it names; FedRAMP
 * brands only when the registering token was FedRAMP-cleared (`hub:fedramp`).
 */
@Entity({ tableName: 'webhook' })
@Index({ properties: ['ownerSubject'] })
export class Webhook {
  [OptionalProps]?: 'paused' | 'createdAt' | 'updatedAt' | 'description';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  ownerSubject!: string;

  @Property({ type: 'string', length: 2048 })
  url!: string;

  /** `WebhookEvent` values. */
  @Property({ type: 'json' })
  events!: string[];

  /** Brand ids whose ticket events it receives. */
  @Property({ type: 'json' })
  brandIds!: string[];

  /** Registered by a FedRAMP-cleared integration: may receive FedRAMP brands' events. */
  @Property({ type: 'boolean' })
  fedrampCleared!: boolean;

  /** The HMAC-SHA256 key of `Hub-Signature`; the hub must keep it to sign, so it is stored as is (shown to the integration once). */
  @Property({ type: 'string', length: 100 })
  secret!: string;

  @Property({ type: 'boolean' })
  paused: boolean = false;

  @Property({ type: 'string', length: 200, nullable: true })
  description?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}

/**
 * One delivery of one event to one webhook (`Hub-Delivery` is its id): the body, fixed when the
 * event was enqueued, and the outbox entry that carries it. A redelivery is a new delivery of the
 * same body. Kept for the delivery log (WEBHOOK_LOG_RETENTION_MS), longer than the outbox row.
 */
@Entity({ tableName: 'webhook_delivery' })
@Index({ properties: ['webhookId', 'createdAt'] })
export class WebhookDelivery {
  [OptionalProps]?: 'createdAt' | 'redeliveryOf' | 'ticketId';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 36 })
  webhookId!: string;

  @Property({ type: 'string', length: 50 })
  event!: string;

  /** The domain event's id: receivers de-duplicate on it (a redelivery repeats it). */
  @Property({ type: 'string', length: 64 })
  eventId!: string;

  @Property({ type: 'integer', nullable: true })
  ticketId?: number | null;

  /** The exact JSON sent (and signed) on every attempt. */
  @Property({ type: 'text' })
  body!: string;

  /** The `delivery_key` of its outbox entry. */
  @Property({ type: 'string', length: 255 })
  outboxKey!: string;

  @Property({ type: 'string', length: 36, nullable: true })
  redeliveryOf?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** One HTTP attempt of a delivery, as the delivery log shows it. */
@Entity({ tableName: 'webhook_attempt' })
@Index({ properties: ['deliveryId'] })
export class WebhookAttempt {
  [OptionalProps]?: 'statusCode' | 'error';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 36 })
  deliveryId!: string;

  /** The outbox attempt number, from 1. */
  @Property({ type: 'integer' })
  attempt!: number;

  @Property({ type: 'datetime' })
  at!: Date;

  /** The receiver's HTTP status; null when there was no answer (timeout, network, refused address). */
  @Property({ type: 'integer', nullable: true })
  statusCode?: number | null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'boolean' })
  succeeded!: boolean;

  @Property({ type: 'string', length: 500, nullable: true })
  error?: string | null;
}
