import { Entity, ManyToOne, OneToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Account } from './account.entity';
import { Ticket } from './ticket.entity';

/** Feedback on a closed ticket's support interaction, once per ticket (CLS-3). */
@Entity({ tableName: 'ticket_feedback' })
export class TicketFeedback {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @OneToOne(() => Ticket, { owner: true, ref: true, unique: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne(() => Account, { ref: true })
  account!: Ref<Account>;

  /** 1 (poor) to 5 (excellent). */
  @Property({ type: 'smallint' })
  rating!: number;

  @Property({ type: 'text', nullable: true })
  comment?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
