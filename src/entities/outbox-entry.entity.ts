import { Entity, Enum, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/**
 * How an outbox entry leaves the hub: e-mail, or a signed webhook delivery (docs/webhooks.md), both
 * through the same table and worker (one sender registered per transport).
 */
export enum OutboxTransport {
  EMAIL = 'EMAIL',
  WEBHOOK = 'WEBHOOK',
}

/** Where an entry is in its life: waiting (or retrying), delivered, or given up after the last attempt. */
export enum OutboxStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/**
 * One message to deliver, written in the same transaction as the change it is about (transactional
 * outbox) and drained after commit by the delivery worker (src/delivery). The payload is fully rendered
 * when written, so a retry sends exactly the same bytes under the same `deliveryKey` (for e-mail, the
 * `Message-ID`): at-least-once delivery that receivers can de-duplicate.
 */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['ticketId'] })
export class OutboxEntry {
  [OptionalProps]?: 'createdAt' | 'status' | 'attempts' | 'nextAttemptAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Enum({ items: () => OutboxTransport })
  transport!: OutboxTransport;

  /** What produced it, e.g. `TICKET_CONFIRMATION`, `TICKET_REPLY`, `BOUNCE`. */
  @Property({ type: 'string', length: 50 })
  topic!: string;

  /** The main recipient: for e-mail the first `To` address, for a webhook its id. */
  @Property({ type: 'string', length: 320 })
  destination!: string;

  /** Stable identity of the delivery, the same on every attempt (e-mail: the `Message-ID`). */
  @Property({ type: 'string', length: 255, unique: true })
  deliveryKey!: string;

  /** The rendered message; its shape belongs to the transport (src/delivery/payloads.ts). */
  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'integer', nullable: true })
  ticketId?: number | null;

  @Enum({ items: () => OutboxStatus })
  status: OutboxStatus = OutboxStatus.PENDING;

  /** Attempts started so far (a claimed entry counts its attempt before sending). */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** Not before this instant (creation, or the backoff after a failed attempt). */
  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  /** While an instance is sending it: the end of its lease; past it another instance may take over. */
  @Property({ type: 'datetime', nullable: true })
  claimedUntil?: Date | null;

  @Property({ type: 'string', length: 100, nullable: true })
  claimedBy?: string | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;
}
