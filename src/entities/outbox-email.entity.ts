import { Entity, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';

/** An e-mail queued for the mailer (CON-9 confirmations and others); written in the same transaction. */
@Entity({ tableName: 'outbox_email' })
@Index({ properties: ['sentAt'] })
export class OutboxEmail {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'string', length: 320 })
  to!: string;

  @Property({ type: 'string', length: 300 })
  subject!: string;

  @Property({ type: 'text' })
  body!: string;

  /** What produced it, e.g. `TICKET_CONFIRMATION`. */
  @Property({ type: 'string', length: 50 })
  template!: string;

  @Property({ type: 'integer', nullable: true })
  ticketId?: number | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;
}
