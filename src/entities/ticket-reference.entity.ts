import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Escalation } from './escalation.entity';
import { Ticket } from './ticket.entity';

/** FUP-5: an earlier ticket or escalation a new request refers to. Exactly one target is set. */
@Entity({ tableName: 'ticket_reference' })
@Index({ properties: ['ticket'] })
export class TicketReference {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  /** The new ticket that carries the reference. */
  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne(() => Ticket, { ref: true, nullable: true })
  referencedTicket?: Ref<Ticket> | null;

  @ManyToOne(() => Escalation, { ref: true, nullable: true })
  referencedEscalation?: Ref<Escalation> | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
