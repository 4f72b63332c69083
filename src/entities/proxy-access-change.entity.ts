import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, OptionalProps } from '@mikro-orm/core';
import { Account } from './account.entity';
import { ProxyAccessOrigin } from './enums';
import { Ticket } from './ticket.entity';

/**
 * One grant or revoke of the support team's proxy access for a ticket, by one user for their own
 * account (PRX-1…4). The latest row per (ticket, account) is the ticket-level override; the rows are
 * the history.
 */
@Entity({ tableName: 'proxy_access_change' })
@Index({ properties: ['ticket', 'account', 'changedAt'] })
export class ProxyAccessChange {
  [OptionalProps]?: 'changedAt' | 'origin';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @ManyToOne(() => Ticket, { ref: true, deleteRule: 'cascade' })
  ticket!: Ref<Ticket>;

  @ManyToOne(() => Account, { ref: true })
  account!: Ref<Account>;

  @Property({ type: 'boolean' })
  granted!: boolean;

  /** ENT-5: the verification answer is recorded here too, with its origin. */
  @Enum({ items: () => ProxyAccessOrigin, default: ProxyAccessOrigin.TICKET_SETTING })
  origin: ProxyAccessOrigin = ProxyAccessOrigin.TICKET_SETTING;

  @Property({ type: 'datetime' })
  changedAt: Date = new Date();
}
