import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, Unique, OptionalProps } from '@mikro-orm/core';
import { Account } from './account.entity';
import { ParticipantRole } from './enums';
import { Ticket } from './ticket.entity';

/** An account associated with a ticket: its submitter, or an additional user (HIST-1, TKT-1). */
@Entity({ tableName: 'ticket_participant' })
@Unique({ properties: ['ticket', 'account'] })
@Index({ properties: ['account', 'ticket'] })
export class TicketParticipant {
  [OptionalProps]?: 'role' | 'addedAt';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne(() => Account, { ref: true })
  account!: Ref<Account>;

  @Enum({ items: () => ParticipantRole })
  role: ParticipantRole = ParticipantRole.ASSOCIATED;

  @Property({ type: 'datetime' })
  addedAt: Date = new Date();
}
